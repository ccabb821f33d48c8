"""Who may see and change officials' registry data — decided here and nowhere else.

- The security unit (role security_handler) manages the whole registry, private fields included.
- An official (role official, linked through `Official.user`) sees only their own record and
  manages their own publication consents and municipal-phone request.
- Everyone else: 403 on the registry's pages, 404 on any one official or assignment.

Views fetch through the `get_*_for_user` helpers (never `get_object_or_404` on these models);
`available_actions` decides which buttons a page shows and the services call the same rules.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role

from .models import Assignment, Consent, Official

# The municipal-phone workflow: from state → states it may move to.
PHONE_TRANSITIONS: dict[str, frozenset[str]] = {
    Official.MunicipalPhone.NONE: frozenset({"requested", "offered", "issued"}),
    Official.MunicipalPhone.REQUESTED: frozenset({"offered", "issued", "declined", "none"}),
    Official.MunicipalPhone.OFFERED: frozenset({"requested", "issued", "declined", "none"}),
    Official.MunicipalPhone.ISSUED: frozenset({"none"}),
    Official.MunicipalPhone.DECLINED: frozenset({"requested", "offered", "none"}),
}
# The moves an official may make on their own phone: ask for one, accept or decline an offer.
OFFICIAL_PHONE_MOVES: dict[str, frozenset[str]] = {
    Official.MunicipalPhone.NONE: frozenset({"requested"}),
    Official.MunicipalPhone.OFFERED: frozenset({"requested", "declined"}),
    Official.MunicipalPhone.DECLINED: frozenset({"requested"}),
}

REGISTRY_ACTIONS = frozenset({
    "view_private", "edit", "change_party", "add_assignment", "end_assignment", "record_consent",
    "change_phone", "export",
})


def can_manage_registry(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.SECURITY_HANDLER))


def is_own_official(user, official: Official) -> bool:
    return bool(
        user and user.is_authenticated and user.has_role(Role.OFFICIAL) and official.user_id == user.pk
    )


def require_registry(user) -> None:
    """Pages of the registry as a whole (list, export, new official): the security unit only."""
    if not can_manage_registry(user):
        raise PermissionDenied


def get_official_for_user(user, pk: int) -> Official:
    """One official's registry page: the security unit only; anyone else gets 404."""
    from .selectors import official_detail_queryset

    if not can_manage_registry(user):
        raise Http404
    official = official_detail_queryset().filter(pk=pk).first()
    if official is None:
        raise Http404
    return official


def get_assignment_for_user(user, pk: int) -> Assignment:
    if not can_manage_registry(user):
        raise Http404
    assignment = Assignment.objects.select_related("official", "body").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def get_own_official(user) -> Official:
    """The official record linked to the logged-in official, or 404."""
    from .selectors import official_detail_queryset

    if not (user.is_authenticated and user.has_role(Role.OFFICIAL)):
        raise Http404
    official = official_detail_queryset().filter(user=user).first()
    if official is None:
        raise Http404
    return official


def available_actions(official: Official, user) -> frozenset[str]:
    """The buttons a page may show for this official and user."""
    if can_manage_registry(user):
        return REGISTRY_ACTIONS
    if is_own_official(user, official):
        actions = {"view_own"}
        if phone_moves(user, official):
            actions.add("request_phone")
        return frozenset(actions)
    return frozenset()


def phone_moves(user, official: Official) -> frozenset[str]:
    """The municipal-phone states this user may move the official's phone to now.
    `user=None` is the system (seed data, scheduled jobs): the workflow table alone decides."""
    allowed = PHONE_TRANSITIONS.get(official.municipal_phone, frozenset())
    if user is None or can_manage_registry(user):
        return allowed
    if is_own_official(user, official):
        return allowed & OFFICIAL_PHONE_MOVES.get(official.municipal_phone, frozenset())
    return frozenset()


def consent_moves(user, official: Official, field: str, in_force: Consent | None) -> frozenset[str]:
    """What this user may record for one private field now: "give" and/or "withdraw".

    The security unit records on the official's behalf (a renewed consent with a new signed
    document is a new "give"); the official gives when no consent is in force and withdraws one
    that is. Consent to publish the home address of someone with protected personal data is never
    recorded: it could never be used."""
    given = bool(in_force and in_force.given)
    moves = set()
    manager = user is None or can_manage_registry(user)
    if manager or is_own_official(user, official):
        if given:
            moves.add("withdraw")
        if (manager or not given) and not (field == Consent.Field.HOME_ADDRESS and official.protected_identity):
            moves.add("give")
    return frozenset(moves)
