from django.utils.functional import SimpleLazyObject

from core.hooks import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(user)}


def active_policy(request):
    """`policy` in every template — the active policy, read only when a template uses it (and
    then once per request, see `Policy.current`) — so that every page names the security unit,
    its contact details and office hours as the policy does: `{{ policy.unit_name }}`. A view
    that passes its own `policy` passes the same object."""
    from .models import Policy

    return {"policy": SimpleLazyObject(Policy.current)}
