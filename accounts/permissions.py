"""Who may use the account-security pages. One place for the rules; views call these.

Role-level denials raise PermissionDenied (403); an object the user may not see is a 404."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import User
from .roles import Role

AnyUser = User | AnonymousUser


def can_open_home(user: AnyUser) -> bool:
    """The home page (and its menu entry): everyone logged in."""
    return bool(user.is_authenticated)


def can_browse_audit(user: AnyUser) -> bool:
    """The security unit (its chief) browses and exports the audit trail."""
    return user.is_authenticated and user.has_role(Role.SECURITY_HANDLER)


def can_manage_two_factor(user: AnyUser) -> bool:
    """Administrators see every staff member's second factor and reset it."""
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def is_security_staff(user: AnyUser) -> bool:
    """Who must use two-factor login (when REQUIRE_2FA is on) and gets the idle timeout: the
    staff roles (accounts.roles.STAFF_ROLES), and anyone who may open the Django admin site."""
    return user.is_authenticated and (user.is_staff_role or user.is_staff or user.is_superuser)


def can_enrol_two_factor(user: AnyUser) -> bool:
    return is_security_staff(user)


def can_see_own_access_log(user: AnyUser) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICIAL)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def get_user_for_two_factor_reset(actor: AnyUser, pk: int) -> User:
    """The user whose second factor an administrator resets: 403 for anyone else, 404 if none."""
    require(can_manage_two_factor(actor))
    try:
        return User.objects.get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def get_own_official_id(user: AnyUser) -> int:
    """The registry id of the official linked to the logged-in user: 403 without the official
    role, 404 when the account is not linked to the registry."""
    require(can_see_own_access_log(user))
    # The registry's link to the account (a one-to-one on officials.Official), read by its name so
    # that accounts imports no app.
    official_model = User._meta.get_field("official").related_model
    official_id = official_model._default_manager.filter(user=user).values_list("pk", flat=True).first()
    if official_id is None:
        raise Http404
    return int(official_id)
