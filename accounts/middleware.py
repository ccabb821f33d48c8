"""Security for staff roles: two-factor login when REQUIRE_2FA is on, and an idle timeout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a staff member without a verified second factor may still reach.
_OTP_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/")
_IDLE_KEY = "varn_last_seen"


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff_role:
            if self._idle_expired(request):
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if settings.REQUIRE_2FA and not user.is_verified() and not request.path.startswith(_OTP_EXEMPT_PREFIXES):
                return redirect(f"{reverse('accounts:2fa-verify')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _idle_expired(request) -> bool:
        from .models import Policy

        now = time.time()
        last = request.session.get(_IDLE_KEY)
        request.session[_IDLE_KEY] = now
        if last is None:
            return False
        limit = Policy.current().idle_timeout_minutes * 60
        return now - float(last) > limit


class LanguageMiddleware:
    """Swedish unless the person chose otherwise: the language cookie set by the switch, then
    the logged-in user's saved choice, then Swedish. The browser's Accept-Language is ignored,
    so the interface is Swedish by default as the municipality's own words."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        supported = {code for code, _name in settings.LANGUAGES}
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in supported:
            user = getattr(request, "user", None)
            lang = getattr(user, "language", None) if user is not None and user.is_authenticated else None
        if lang not in supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
