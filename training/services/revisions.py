"""The guideline's revision once per term, done the year before the ordinary election."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change

from .. import permissions
from ..calendar import Term
from ..models import RevisionTask
from .common import guard

R = RevisionTask.Status

REVISION_TRANSITIONS: dict[str, set[str]] = {R.OPEN: {R.DONE}, R.DONE: set()}


def revision_ensure(*, term: Term, today: date) -> tuple[RevisionTask, bool]:
    """The planner: the term's revision task, open from 1 January of the year before the
    election and due by its last day."""
    year = term.revision_year
    try:
        with transaction.atomic():
            task, created = RevisionTask.objects.get_or_create(term=term.year, defaults={
                "election_date": term.closing_election, "opens_on": date(year, 1, 1), "due_by": date(year, 12, 31),
                "created_on": today})
            if created:
                audit_change(actor=None, action="planner_revision_create", obj=task, to_state=R.OPEN)
    except IntegrityError:
        return RevisionTask.objects.get(term=term.year), False
    return task, created


@transaction.atomic
def revision_complete(*, actor: User, task: RevisionTask, done_on: date, decision_reference: str = "",
                      note: str = "") -> RevisionTask:
    if not permissions.can_manage(actor):
        raise PermissionDenied
    task = RevisionTask.objects.select_for_update().get(pk=task.pk)
    guard(REVISION_TRANSITIONS, task.status, R.DONE, dict(R.choices))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    task.status, task.done_on, task.done_by = R.DONE, done_on, actor
    task.decision_reference, task.note = decision_reference, note
    task.full_clean()
    task.save(update_fields=["status", "done_on", "done_by", "decision_reference", "note"])
    audit_change(actor=actor, action="revision_complete", obj=task, from_state=R.OPEN, to_state=R.DONE)
    return task
