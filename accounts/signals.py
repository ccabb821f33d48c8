"""Audit rows for logins, logouts and lockouts (kind `login`)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .security import audit_login

# Set on the request by code that logs a user out for a reason (the idle timeout).
LOGOUT_REASON_ATTR = "varn_logout_reason"


@receiver(user_logged_in, dispatch_uid="core.audit_login")
def _audit_logged_in(sender, request, user, **kwargs):
    audit_login(action="login", user=user, actor=user)


@receiver(user_logged_out, dispatch_uid="core.audit_logout")
def _audit_logged_out(sender, request, user, **kwargs):
    if user is None or not getattr(user, "is_authenticated", False):
        return
    reason = getattr(request, LOGOUT_REASON_ATTR, "") if request is not None else ""
    audit_login(action=f"logout_{reason}" if reason else "logout", user=user, actor=user)


@receiver(user_locked_out, dispatch_uid="core.audit_locked_out")
def _audit_locked_out(sender, request, username, ip_address, **kwargs):
    """A refused login because of too many failures. The account is recorded when it exists;
    the typed username is not (it may be someone's password typed in the wrong field)."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_login(action="login_locked_out", user=user, actor=None)
