"""The planner step of this app (registered with `core.planner`): reminders for the
security unit when a reassessment falls due (by its date, or because a new report joined the
case) and when a measure in place is due for review. Idempotent: a reminder exists once per
(kind, object, due date)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy
from accounts.roles import Role
from core.reminders import reminder_ensure_many
from incidents.models import Case, CaseStatus

from ..models import OPEN_STATUSES, Assessment, Measure, MeasureStatus, ReassessmentTrigger
from .assessments import REMINDER_NEW_REPORT, REMINDER_REASSESSMENT
from .measures import REMINDER_FLAGGED, REMINDER_REVIEW

# Reminders appear this many days before the date.
LEAD_DAYS = 7


def plan_measure_reminders(today: date, policy: Policy | None = None) -> list[str]:
    horizon = today + timedelta(days=LEAD_DAYS)
    done: list[str] = []

    latest = Assessment.objects.filter(case=OuterRef("pk")).order_by("-assessed_at", "-id")
    cases = (Case.objects.exclude(status=CaseStatus.CLOSED)
             .annotate(latest_id=Subquery(latest.values("pk")[:1]),
                       latest_review=Subquery(latest.values("next_review_on")[:1]))
             .filter(latest_id__isnull=False, latest_review__lte=horizon))
    due = Assessment.objects.select_related("case").in_bulk([c.latest_id for c in cases])
    created = reminder_ensure_many(
        kind=REMINDER_REASSESSMENT, recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(a, a.next_review_on, _("Reassessment due: case %(ref)s") % {"ref": a.case.reference},
                reverse("incidents:case-detail", args=[a.case_id])) for a in due.values()])
    done += [f"reassessment due: case {r.object_id}" for r in created]

    triggers = (ReassessmentTrigger.objects.filter(resolved_by__isnull=True).exclude(case__status=CaseStatus.CLOSED)
                .select_related("case"))
    created = reminder_ensure_many(
        kind=REMINDER_NEW_REPORT, recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(t, timezone.localdate(t.created_at),
                _("Reassessment due: a new report joined case %(ref)s") % {"ref": t.case.reference},
                reverse("incidents:case-detail", args=[t.case_id])) for t in triggers])
    done += [f"reassessment due (new report): trigger {r.object_id}" for r in created]

    measures = (Measure.objects.filter(status=MeasureStatus.IN_PLACE, review_on__lte=horizon)
                .select_related("case", "measure_type"))
    created = reminder_ensure_many(
        kind=REMINDER_REVIEW, recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(m, m.review_on, _("Review the measure %(name)s in case %(ref)s")
                % {"name": m.measure_type.name, "ref": m.case.reference},
                reverse("measures:measure-detail", args=[m.pk])) for m in measures if m.review_on is not None])
    done += [f"measure review due: measure {r.object_id}" for r in created]

    flagged = (Measure.objects.filter(status__in=OPEN_STATUSES, end_flagged_at__isnull=False)
               .select_related("case", "measure_type"))
    created = reminder_ensure_many(
        kind=REMINDER_FLAGGED, recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(m, timezone.localdate(m.end_flagged_at),
                _("Review and end: %(name)s in case %(ref)s (responsibility ended)")
                % {"name": m.measure_type.name, "ref": m.case.reference},
                reverse("measures:measure-detail", args=[m.pk])) for m in flagged])
    done += [f"measure flagged for ending: measure {r.object_id}" for r in created]
    return done
