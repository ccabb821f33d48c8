"""Extra elections, entered by the security unit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.workflow import InvalidTransition

from .. import permissions
from ..calendar import is_ordinary_election_year, ordinary_election_day
from ..models import ExtraElection, TrainingOffer


@transaction.atomic
def extra_election_record(*, actor: User, election_date: date, description: str = "",
                          targeted_training: bool = True) -> ExtraElection:
    if not permissions.can_manage(actor):
        raise PermissionDenied
    if is_ordinary_election_year(election_date.year) and ordinary_election_day(election_date.year) == election_date:
        raise ValidationError({"election_date": _("That is the day of the ordinary election.")})
    election = ExtraElection(election_date=election_date, description=description,
                             targeted_training=targeted_training, recorded_by=actor)
    election.full_clean()
    election.save()
    audit_change(actor=actor, action="extra_election_record", obj=election, to_state=election_date.isoformat())
    return election


@transaction.atomic
def extra_election_delete(*, actor: User, election: ExtraElection) -> None:
    """Remove an extra election entered by mistake — not once training has been planned for it."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    election = ExtraElection.objects.select_for_update().get(pk=election.pk)
    if TrainingOffer.objects.filter(kind=TrainingOffer.Kind.EXTRA_ELECTION,
                                    period=election.election_date.isoformat()).exists():
        raise InvalidTransition(_("Training has already been planned for this election; it cannot be removed."))
    audit_change(actor=actor, action="extra_election_delete", obj=election,
                 from_state=election.election_date.isoformat())
    election.delete()
