import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from core.hooks import home_panels

from . import permissions, security, selectors
from .forms import AuditFilterForm, AuthenticatorCodeForm, SecondFactorForm
from .middleware import IDLE_LOGOUT_FLAG


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if request.session.pop(IDLE_LOGOUT_FLAG, False):
            messages.info(request, _("You were logged out after a period of inactivity. Log in again to go on."))
        return super().get(request, *args, **kwargs)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, reachable before login; remembers the choice on the user."""
    response = django_set_language(request)
    lang = request.POST.get("language")
    user = request.user
    if user.is_authenticated and lang in dict(user._meta.get_field("language").choices) and user.language != lang:
        user.language = lang
        user.save(update_fields=["language"])
    return response


def home(request):
    return render(request, "accounts/home.html", {"panels": home_panels(request.user)})


# ------------------------------------------------------------------ two-factor login

_RECOVERY_CODES_KEY = "varn_recovery_codes"  # shown once, then removed from the session
_NEXT_KEY = "varn_2fa_next"


def _safe_next(request) -> str | None:
    nxt = request.GET.get("next") or request.POST.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return None


def _with_next(url_name: str, nxt: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': nxt})}" if nxt else url


@never_cache
def two_factor_setup(request):
    """Set up the authenticator app: a QR code (and the key as text), confirmed with a code;
    then ten recovery codes, shown once. When already set up: the status, new recovery codes,
    and moving to a new phone (`?replace=1`)."""
    user = request.user
    permissions.require(permissions.can_enrol_two_factor(user))
    nxt = _safe_next(request)
    enrolled = security.has_confirmed_totp(user)
    if enrolled and not user.is_verified():
        return redirect(_with_next("accounts:2fa-verify", nxt))
    replacing = enrolled and (request.GET.get("replace") or request.POST.get("replace")) == "1"
    if enrolled and not replacing:
        return render(request, "accounts/2fa_status.html", {
            "codes_left": security.recovery_codes_left(user), "required": settings.REQUIRE_2FA,
        })
    device = security.totp_device_pending(user=user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = security.totp_device_confirm(user=user, device=device, token=form.cleaned_data["code"])
        except security.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            request.session.cycle_key()
            otp_login(request, device)
            if replacing and security.recovery_codes_left(user):
                messages.success(request, _("Your new authenticator app is set up. The old one no longer works."))
                return redirect(nxt or "accounts:2fa-setup")
            request.session[_RECOVERY_CODES_KEY] = security.recovery_codes_generate(user=user)
            request.session[_NEXT_KEY] = nxt or ""
            return redirect("accounts:2fa-recovery-codes")
    return render(request, "accounts/2fa_setup.html", {
        "form": form, "next": nxt or "", "replacing": replacing, "required": settings.REQUIRE_2FA,
        "qr_svg": security.qr_code_svg(device.config_url), "secret": security.secret_for_manual_entry(device),
        "issuer": settings.OTP_TOTP_ISSUER, "username": user.get_username(),
    })


@never_cache
def two_factor_recovery_codes(request):
    """The recovery codes just made, shown once."""
    user = request.user
    permissions.require(permissions.can_enrol_two_factor(user))
    if not user.is_verified():
        return redirect("accounts:2fa-verify")
    codes = request.session.pop(_RECOVERY_CODES_KEY, None)
    nxt = request.session.pop(_NEXT_KEY, "") or reverse("accounts:home")
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. If you have lost them, make new ones."))
        return redirect("accounts:2fa-setup")
    return render(request, "accounts/2fa_recovery_codes.html", {"codes": codes, "next": nxt})


@require_POST
def two_factor_recovery_new(request):
    """Replace the recovery codes (the old ones stop working)."""
    user = request.user
    permissions.require(permissions.can_enrol_two_factor(user))
    if not user.is_verified():
        return redirect("accounts:2fa-verify")
    request.session[_RECOVERY_CODES_KEY] = security.recovery_codes_generate(user=user)
    request.session[_NEXT_KEY] = reverse("accounts:2fa-setup")
    return redirect("accounts:2fa-recovery-codes")


@never_cache
def two_factor_verify(request):
    """Ask a staff member for their second factor: a code from the app or a recovery code."""
    user = request.user
    nxt = _safe_next(request)
    if not permissions.can_enrol_two_factor(user) or user.is_verified():
        return redirect(nxt or "accounts:home")
    if not security.has_confirmed_totp(user):
        return redirect(_with_next("accounts:2fa-setup", nxt))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = security.second_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", error)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = security.recovery_codes_left(user)
                messages.warning(request, _(
                    "You logged in with a recovery code; it cannot be used again. %(left)s recovery codes "
                    "are left. If you have lost your phone, ask an administrator to reset your two-factor "
                    "login.") % {"left": left})
            return redirect(nxt or "accounts:home")
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": nxt or ""})


def two_factor_admin(request):
    """For the administrator: every staff member's second factor, with a reset."""
    permissions.require(permissions.can_manage_two_factor(request.user))
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.two_factor_users(search=search), 50).get_page(request.GET.get("page"))
    for person in page:
        person.role_names = selectors.role_names(person)
    return render(request, "accounts/2fa_admin.html", {"page": page, "q": search,
                                                       "required": settings.REQUIRE_2FA})


@require_POST
def two_factor_reset(request, pk: int):
    person = permissions.get_user_for_two_factor_reset(request.user, pk)
    try:
        security.two_factor_reset(actor=request.user, user=person)
    except security.TwoFactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The two-factor login of %(name)s was reset. They set it up again at their "
                                    "next login.") % {"name": person.display_name()})
    return redirect(_safe_next(request) or "accounts:2fa-admin")


# ------------------------------------------------------------------ the audit trail

AUDIT_PAGE_SIZE = 50


def _audit_rows(request):
    """The bound filter form and the filtered rows (none when a filter is not valid)."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, selectors.audit_events()
    if not form.is_valid():
        return form, selectors.audit_events().none()
    return form, selectors.audit_events(**form.filters())


def audit_list(request):
    """The audit trail for the security unit: every change, read, login and export, filtered."""
    permissions.require(permissions.can_browse_audit(request.user))
    form, rows = _audit_rows(request)
    page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.object_label = selectors.object_type_label(event.object_type)
    export_query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(request, "accounts/audit_list.html", {"form": form, "page": page, "export_query": export_query})


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """Cells that a spreadsheet would read as a formula are prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_export(request):
    """The filtered audit rows as CSV; the export itself is audited (kind export)."""
    permissions.require(permissions.can_browse_audit(request.user))
    form, rows = _audit_rows(request)
    if form.is_bound and not form.is_valid():
        page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(1)
        return render(request, "accounts/audit_list.html", {"form": form, "page": page, "export_query": ""},
                      status=400)
    security.audit_export(actor=request.user, action="audit_export", rows=rows.count(),
                          reason=form.summary() if form.is_bound else "")
    header = [_("When"), _("Username"), _("Name"), _("Kind"), _("Action"), _("Object type"), _("Object id"),
              _("Case"), _("Official id"), _("From"), _("To"), _("Why"), _("Action code")]

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)
        for e in rows.iterator(chunk_size=2000):
            yield writer.writerow([_csv_cell(v) for v in (
                timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                e.actor.username if e.actor else "", e.actor.display_name() if e.actor else "",
                e.get_kind_display(), e.action_label, e.object_type, e.object_id, e.case_id or "",
                e.official_id or "", e.from_label, e.to_label, e.reason_label, e.action)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


# ------------------------------------------------------------------ who has read my data

def my_access_log(request):
    """For an official: who has read their data and their cases, and when."""
    official_id = permissions.get_own_official_id(request.user)
    page = Paginator(selectors.reads_of_official(official_id, exclude_actor=request.user), 50).get_page(
        request.GET.get("page"))
    rows = [selectors.describe_read(event) for event in page]
    return render(request, "accounts/my_access_log.html", {"page": page, "rows": rows})

password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password-change-done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
password_reset = login_not_required(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html", email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
))
password_reset_done = login_not_required(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = login_not_required(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:password-reset-complete")))
password_reset_complete = login_not_required(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))
