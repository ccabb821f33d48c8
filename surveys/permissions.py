"""Who may do what with surveys.

* The security unit plans rounds, sends invitations and reminders, closes rounds, sees who has
  not answered (names) and reads results. Nobody can see what a person answered: the data to
  do so does not exist (see `models`).
* The administrator reads results (for the follow-up reports) and edits the item bank in the
  admin; an official sees their own invitations.
* Answering needs no login: the one-time link is the credential.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .models import ROUND_WORKFLOW, Invitation, Round

ACTIONS = ("edit", "invite", "remind", "close")

# The round's status → what the security unit may do in it besides closing it (closing is the
# workflow's move: `ROUND_WORKFLOW`).
ACTIONS_BY_STATUS: dict[str, frozenset[str]] = {
    Round.Status.SCHEDULED: frozenset({"edit"}),
    Round.Status.OPEN: frozenset({"edit", "invite", "remind"}),
    Round.Status.CLOSED: frozenset(),
}


def can_manage(user: User) -> bool:
    return user.has_role(Role.SECURITY_HANDLER)


def can_read_results(user: User) -> bool:
    return user.has_role(Role.SECURITY_HANDLER, Role.ADMINISTRATOR)


def require_manage(user: User) -> None:
    if not can_manage(user):
        raise PermissionDenied


def require_results(user: User) -> None:
    if not can_read_results(user):
        raise PermissionDenied


def get_round_for_user(user: User, pk: int, action: str = "view") -> Round:
    """Fetch a round and check the user may `action` it: 403 for a role without access, 404 for
    no such round, 403 when the round's status does not allow the action."""
    if action == "results":
        require_results(user)
    else:
        require_manage(user)
    try:
        round_ = Round.objects.get(pk=pk)
    except Round.DoesNotExist:
        raise Http404 from None
    if action in ACTIONS and action not in available_actions(round_, user):
        raise PermissionDenied
    return round_


def available_actions(round_: Round, user: User, today: date | None = None) -> frozenset[str]:
    """The buttons a round's page shows; the views enforce the same rule."""
    if not can_manage(user):
        return frozenset()
    status = round_.status(today or timezone.localdate())
    actions = set(ACTIONS_BY_STATUS[status])
    if ROUND_WORKFLOW.allows(status, Round.Status.CLOSED):
        actions.add("close")
    if round_.invited_on is None:
        actions.discard("remind")
    return frozenset(actions)


def get_own_invitation(user: User, pk: int) -> Invitation:
    """An invitation of the official linked to `user`, or 404."""
    try:
        return Invitation.objects.select_related("round", "official__user").get(pk=pk, official__user=user)
    except Invitation.DoesNotExist:
        raise Http404 from None
