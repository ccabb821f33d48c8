from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm

from .home import home_panels


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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


def two_factor_verify(request):
    """Ask a staff member for their second factor (TOTP or a recovery code)."""
    user = request.user
    if user.is_verified():
        return redirect(request.GET.get("next") or "accounts:home")
    if not user.totpdevice_set.filter(confirmed=True).exists():
        return redirect("accounts:2fa-setup")
    form = OTPTokenForm(user, request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.get_user().otp_device)
        return redirect(_safe_next(request) or "accounts:home")
    return render(request, "accounts/2fa_verify.html", {"form": form})


def _safe_next(request) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.GET.get("next") or request.POST.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return None


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
