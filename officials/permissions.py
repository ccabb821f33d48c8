"""Who may see and change officials' registry data."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role

from .models import Official


def can_manage_registry(user) -> bool:
    return user.has_role(Role.SECURITY_HANDLER)


def require_registry(user) -> None:
    if not can_manage_registry(user):
        raise PermissionDenied


def get_own_official(user) -> Official:
    """The official record linked to the logged-in user, or 404."""
    try:
        return Official.objects.select_related("party").get(user=user)
    except Official.DoesNotExist:
        raise Http404 from None
