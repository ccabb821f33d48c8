"""Security for staff roles: two-factor login when REQUIRE_2FA is on, and an idle timeout."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a staff member without a verified second factor may still reach.
_OTP_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/")
_IDLE_KEY = "varn_last_seen"
# Left in the fresh session after an idle logout; the login page turns it into a message
# (the message framework is not yet installed on the request at this point of the stack).
IDLE_LOGOUT_FLAG = "varn_idle_logout"
# Seconds between writes of the last-seen time to the session (see `_idle_expired`).
IDLE_GRANULARITY = 30


def _redirect(request, url_name: str):
    """A redirect that keeps where the person was going; htmx requests get HX-Redirect so that
    the whole page goes, not a fragment of it."""
    nxt = request.get_full_path() if request.method == "GET" else request.path
    url = f"{reverse(url_name)}?{urlencode({'next': nxt})}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .permissions import is_security_staff

        user = request.user
        if is_security_staff(user):
            if self._idle_expired(request):
                from .signals import LOGOUT_REASON_ATTR

                setattr(request, LOGOUT_REASON_ATTR, "idle")
                logout(request)
                request.session[IDLE_LOGOUT_FLAG] = True
                return _redirect(request, "accounts:login")
            if settings.REQUIRE_2FA and not user.is_verified() and not request.path.startswith(_OTP_EXEMPT_PREFIXES):
                return _redirect(request, "accounts:2fa-verify")
        return self.get_response(request)

    @staticmethod
    def _idle_expired(request) -> bool:
        """Whether the person has been idle past the policy's limit. The time of the last request
        is written to the session at most every IDLE_GRANULARITY seconds (a write costs three
        queries), so the limit is allowed that much slack: never earlier than the policy says."""
        from .models import Policy

        now = time.time()
        last = request.session.get(_IDLE_KEY)
        if last is None or now - float(last) >= IDLE_GRANULARITY:
            request.session[_IDLE_KEY] = now
        if last is None:
            return False
        limit = Policy.current().idle_timeout_minutes * 60 + IDLE_GRANULARITY
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
