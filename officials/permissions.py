"""Who may see and change officials' registry data — decided here and nowhere else.

- The security unit (role security_handler) manages the whole registry, private fields included.
- An official (role official, linked through `Official.user`) sees only their own record and
  manages their own publication consents (gives, uploads the signed document, withdraws) and
  municipal-phone request.
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

from .models import CONSENT_NONE, CONSENT_WORKFLOW, PHONE_WORKFLOW, Assignment, Consent, Official, consent_state

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


UNIT, OWN = "unit", "own"
_C = Consent.Status
# Who may make which move of `CONSENT_WORKFLOW` (the workflow's table decides which moves exist):
# (from state, to state) → (the move's name, the roles that may make it). `None` as the user is
# the system (seed data): it may make any move.
CONSENT_MOVES: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    # The official gives consent on the web: it awaits the signed document.
    (CONSENT_NONE, _C.AWAITING): ("give", frozenset({OWN})),
    # The unit records a consent with its signed document in hand: in force at once.
    (CONSENT_NONE, _C.IN_FORCE): ("give", frozenset({UNIT})),
    (_C.AWAITING, _C.SUBMITTED): ("upload", frozenset({OWN})),
    (_C.AWAITING, _C.IN_FORCE): ("record_document", frozenset({UNIT})),
    (_C.SUBMITTED, _C.IN_FORCE): ("accept", frozenset({UNIT})),
    (_C.SUBMITTED, _C.AWAITING): ("reject", frozenset({UNIT})),
    (_C.AWAITING, _C.WITHDRAWN): ("withdraw", frozenset({OWN, UNIT})),
    (_C.SUBMITTED, _C.WITHDRAWN): ("withdraw", frozenset({OWN, UNIT})),
    (_C.IN_FORCE, _C.WITHDRAWN): ("withdraw", frozenset({OWN, UNIT})),
    # A renewed consent with a new signed document (the unit's): the old one is replaced.
    (_C.IN_FORCE, _C.REPLACED): ("renew", frozenset({UNIT})),
}


def _consent_roles(user: AnyUser | None, official: Official) -> frozenset[str] | None:
    """The roles `user` holds towards this official's consents; None for the system."""
    if user is None:
        return None
    roles = set()
    if can_manage_registry(user):
        roles.add(UNIT)
    if is_own_official(user, official):
        roles.add(OWN)
    return frozenset(roles)


def _never_given(official: Official, field: str) -> bool:
    """Consent to publish the home address of someone with protected personal data is never
    recorded: it could never be used."""
    return field == Consent.Field.HOME_ADDRESS and official.protected_identity


def may_move_consent(user: AnyUser | None, official: Official, field: str, state: str, to: str) -> bool:
    """Whether `user` may move a consent of this official's `field` from `state` to `to` (and the
    workflow allows it)."""
    if not CONSENT_WORKFLOW.allows(state, to) or (state, to) not in CONSENT_MOVES:
        return False
    if (state == CONSENT_NONE or to == _C.REPLACED) and _never_given(official, field):
        return False
    roles = _consent_roles(user, official)
    return roles is None or bool(roles & CONSENT_MOVES[(state, to)][1])


def consent_moves(user: AnyUser | None, official: Official, field: str, consent: Consent | None) -> frozenset[str]:
    """The moves this user may make on one private field now, by name: "give", "upload",
    "record_document", "accept", "reject", "withdraw", "renew" — what the pages offer and the
    services enforce (`require_consent_move`)."""
    state = consent_state(consent)
    return frozenset(name for (start, to), (name, _roles) in CONSENT_MOVES.items()
                     if start == state and may_move_consent(user, official, field, state, to))


def require_consent_move(user: AnyUser | None, official: Official, field: str, state: str, to: str) -> None:
    """403 for a move the workflow allows but not to this user (the workflow refuses the rest)."""
    if CONSENT_WORKFLOW.allows(state, to) and not may_move_consent(user, official, field, state, to):
        raise PermissionDenied


def can_see_consent(user: AnyUser | None, consent: Consent) -> bool:
    """A consent and its signed document: the security unit and the official themselves."""
    return can_manage_registry(user) or is_own_official(user, consent.official)


def get_consent_for_user(user: AnyUser, pk: int, *, manage: bool = False) -> Consent:
    """One consent and its signed document: 404 for anyone who may not see it; with `manage`
    (the unit's pages: record, check) 403 for the official, who sees it but does not act there."""
    consent = Consent.objects.select_related("official", "official__user").filter(pk=pk).first()
    if consent is None or not can_see_consent(user, consent):
        raise Http404
    if manage and not can_manage_registry(user):
        raise PermissionDenied
    return consent


def get_own_open_consent(user: AnyUser, field: str) -> tuple[Official, Consent | None]:
    """The logged-in official and their open consent for `field` (None when there is none);
    404 for anyone who is not a linked official, or for a field that is not private data."""
    official = get_own_official(user)
    if field not in Consent.Field.values:
        raise Http404
    consent = Consent.objects.open().select_related("official", "official__user").filter(
        official=official, field=field).first()
    return official, consent
