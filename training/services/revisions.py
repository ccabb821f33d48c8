"""The guideline's revision once per term, done the year before the ordinary election."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.workflow import transition

from .. import permissions
from ..calendar import Term
from ..models import REVISION_WORKFLOW, RevisionTask

R = RevisionTask.Status


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
    permissions.require_manage(actor)

    def record(task: RevisionTask, before: str) -> list[str]:
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
        task.done_on, task.decision_reference, task.note = done_on, decision_reference, note
        return ["done_on", "decision_reference", "note"]

    return transition(task, REVISION_WORKFLOW, R.DONE, actor=actor, action="revision_complete",
                      stamp={"by": "done_by"}, update=record)
