"""Who may see and change officials' registry data — decided here and nowhere else.

- The security unit (role security_handler) manages the whole registry, private fields included.
- An official (role official, linked through `Official.user`) sees only their own record and
  manages their own publication consents and municipal-phone request.
- Everyone else: 403 on the registry's pages, 404 on any one official or assignment.

Views fetch through the `get_*_for_user` helpers (never `get_object_or_404` on these models);
`available_actions` decides which buttons a page shows and the services call the same rules.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from accounts.roles import Role

from .models import (
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    CONSENT_WORKFLOW,
    PHONE_WORKFLOW,
    Assignment,
    Consent,
    Official,
    consent_state,
)

AnyUser = User | AnonymousUser

# The moves an official may make on their own phone (of those `PHONE_WORKFLOW` allows): ask for
# one, accept or decline an offer.
OFFICIAL_PHONE_MOVES: dict[str, frozenset[str]] = {
    Official.MunicipalPhone.NONE: frozenset({"requested"}),
    Official.MunicipalPhone.OFFERED: frozenset({"requested", "declined"}),
    Official.MunicipalPhone.DECLINED: frozenset({"requested"}),
}

REGISTRY_ACTIONS = frozenset({
    "view_private", "edit", "change_party", "add_assignment", "end_assignment", "record_consent",
    "change_phone", "export",
})


def can_manage_registry(user: AnyUser | None) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.SECURITY_HANDLER))


def can_see_own_data(user: AnyUser | None) -> bool:
    """An official's own pages ("my data and consents"): the official role (the record itself is
    looked up by `get_own_official`, 404 when the account is not linked)."""
    return bool(user and user.is_authenticated and user.has_role(Role.OFFICIAL))


def is_own_official(user: AnyUser | None, official: Official) -> bool:
    return bool(can_see_own_data(user) and user is not None and official.user_id == user.pk)


def require_registry(user: AnyUser) -> None:
    """Pages of the registry as a whole (list, export, new official): the security unit only."""
    if not can_manage_registry(user):
        raise PermissionDenied


def get_official_for_user(user: AnyUser, pk: int) -> Official:
    """One official's registry page: the security unit only; anyone else gets 404."""
    from .selectors import official_detail_queryset

    if not can_manage_registry(user):
        raise Http404
    official = official_detail_queryset().filter(pk=pk).first()
    if official is None:
        raise Http404
    return official


def get_assignment_for_user(user: AnyUser, pk: int) -> Assignment:
    if not can_manage_registry(user):
        raise Http404
    assignment = Assignment.objects.select_related("official", "body").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def get_own_official(user: AnyUser) -> Official:
    """The official record linked to the logged-in official, or 404."""
    from .selectors import official_detail_queryset

    if not (isinstance(user, User) and can_see_own_data(user)):
        raise Http404
    official = official_detail_queryset().filter(user=user).first()
    if official is None:
        raise Http404
    return official


def available_actions(official: Official, user: AnyUser) -> frozenset[str]:
    """The buttons a page may show for this official and user."""
    if can_manage_registry(user):
        return REGISTRY_ACTIONS
    if is_own_official(user, official):
        actions = {"view_own"}
        if phone_moves(user, official):
            actions.add("request_phone")
        return frozenset(actions)
    return frozenset()


def phone_moves(user: AnyUser | None, official: Official) -> frozenset[str]:
    """The municipal-phone states this user may move the official's phone to now.
    `user=None` is the system (seed data, scheduled jobs): the workflow table alone decides."""
    allowed = PHONE_WORKFLOW.targets(official.municipal_phone)
    if user is None or can_manage_registry(user):
        return allowed
    if is_own_official(user, official):
        return allowed & OFFICIAL_PHONE_MOVES.get(official.municipal_phone, frozenset())
    return frozenset()


def require_phone_move(user: AnyUser | None, official: Official, to: str) -> None:
    """403 for a move the workflow allows but not to this user (the workflow refuses the rest)."""
    if PHONE_WORKFLOW.allows(official.municipal_phone, to) and to not in phone_moves(user, official):
        raise PermissionDenied


def consent_moves(user: AnyUser | None, official: Official, field: str, in_force: Consent | None) -> frozenset[str]:
    """What this user may record for one private field now: "give" and/or "withdraw".

    The security unit records on the official's behalf (a renewed consent with a new signed
    document is a new "give"); the official gives when no consent is in force and withdraws one
    that is. Consent to publish the home address of someone with protected personal data is never
    recorded: it could never be used."""
    state = consent_state(in_force)
    targets = CONSENT_WORKFLOW.targets(state)
    moves = set()
    manager = user is None or can_manage_registry(user)
    if manager or is_own_official(user, official):
        if CONSENT_WITHDRAWN in targets:
            moves.add("withdraw")
        renewal = state == CONSENT_GIVEN  # a renewed consent with a new signed document: the unit's
        if (CONSENT_GIVEN in targets and (manager or not renewal)
                and not (field == Consent.Field.HOME_ADDRESS and official.protected_identity)):
            moves.add("give")
    return frozenset(moves)
