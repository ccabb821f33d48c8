"""Threat and risk assessments (RISK.md): writes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.reminders import reminders_close_for
from core.workflow import lock
from incidents.models import Case, CaseStatus, Report, WorkDone
from incidents.services import case_advance_for_work

from .. import permissions as perms
from ..models import (
    REVIEW_DAYS,
    Assessment,
    FactorAnswer,
    ReassessmentTrigger,
    RiskFactor,
    RiskLevel,
    matrix_level,
)

REMINDER_REASSESSMENT = "measures.reassessment_due"
REMINDER_NEW_REPORT = "measures.reassessment_new_report"


def default_review_on(level: str, on: date) -> date:
    return on + timedelta(days=REVIEW_DAYS.get(level, 90))


def _scale(value: int, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError({field: _("Choose a value from 1 to 5.")})
    return number


@transaction.atomic
def assessment_create(*, actor: User, case: Case, answers: Mapping[str, Mapping[str, str]], likelihood: int,
                      consequence: int, conclusion: str, level: str = "", level_reason: str = "",
                      with_official: bool = False, with_police: bool = False, with_party: bool = False,
                      participants_note: str = "", proposed_measures: str = "", next_review_on: date | None = None,
                      now: datetime | None = None) -> Assessment:
    """Save a threat and risk assessment of the case. `answers` maps a factor code to
    {"answer": present|partly|absent|unknown, "comment": …}; factors not answered are unknown.
    The level is the assessor's (the matrix's when not given) and needs a reason when it differs
    from the matrix. The next review defaults by level. The assessment keeps the exact factor list
    it was made with, and resolves whatever made a reassessment due."""
    perms.require_assess(actor, case)
    case = lock(case)
    if not case.is_open:
        raise ValidationError(_("The case is closed. Reopen it before assessing it again."))
    now = now or timezone.now()
    today = timezone.localdate(now)

    factors = []
    errors: dict[str, list[str]] = {}
    for factor in RiskFactor.objects.filter(is_active=True).order_by("section", "position", "code"):
        given = answers.get(factor.code) or {}
        answer = given.get("answer") or FactorAnswer.UNKNOWN
        if answer not in FactorAnswer.values:
            errors[f"factor_{factor.code}"] = [_("Choose present, partly, absent or unknown.")]
            continue
        factors.append({**factor.snapshot(), "answer": answer, "comment": (given.get("comment") or "").strip()[:1000]})
    likelihood = _scale(likelihood, "likelihood")
    consequence = _scale(consequence, "consequence")
    by_matrix = matrix_level(likelihood, consequence)
    level = level or by_matrix
    if level not in RiskLevel.values:
        errors["level"] = [_("Choose a risk level.")]
    level_reason = (level_reason or "").strip()
    if level != by_matrix and not level_reason:
        errors["level_reason"] = [
            _("The level you set differs from the matrix (%(matrix)s): write why.")
            % {"matrix": RiskLevel(by_matrix).label.lower()}]
    if not (conclusion or "").strip():
        errors["conclusion"] = [_("Write the conclusion.")]
    if next_review_on is None and level in RiskLevel.values:
        next_review_on = default_review_on(level, today)
    if next_review_on is not None and next_review_on <= today:
        errors["next_review_on"] = [_("The next review must be after today.")]
    if errors:
        raise ValidationError(errors)
    assert next_review_on is not None  # the level is known: no error was found

    previous = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    assessment = Assessment(
        case=case, assessed_by=actor, assessed_at=now, factors=factors, likelihood=likelihood,
        consequence=consequence, matrix_level=by_matrix, level=level,
        level_reason=level_reason if level != by_matrix else "", with_official=bool(with_official),
        with_police=bool(with_police), with_party=bool(with_party),
        participants_note=(participants_note or "").strip(), conclusion=conclusion.strip(),
        proposed_measures=(proposed_measures or "").strip(), next_review_on=next_review_on,
    )
    assessment.full_clean()
    assessment.save()
    triggers = list(ReassessmentTrigger.objects.filter(case=case, resolved_by__isnull=True))
    ReassessmentTrigger.objects.filter(pk__in=[t.pk for t in triggers]).update(resolved_by=assessment)
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
    _close_reminders(previous, triggers)
    audit_change(actor=actor, action="assessment_create", obj=assessment,
                 from_state=previous.level if previous else "", to_state=level, case_id=case.pk,
                 official_id=case.official_id,
                 reason="level differs from the matrix" if level != by_matrix else "")
    case_advance_for_work(case=case, reached=CaseStatus.BEING_ASSESSED, actor=actor, reason=WorkDone.ASSESSMENT,
                          now=now)
    return assessment


def _close_reminders(previous: Assessment | None, triggers: list[ReassessmentTrigger]) -> None:
    if previous is not None:
        reminders_close_for(kind=REMINDER_REASSESSMENT, obj=previous)
    for trigger in triggers:
        reminders_close_for(kind=REMINDER_NEW_REPORT, obj=trigger)


@transaction.atomic
def reassessment_trigger_record(*, case: Case, report: Report, actor: User | None = None) -> ReassessmentTrigger | None:
    """A new report joined the case: a reassessment is due now (when the case has been assessed;
    a case never assessed is due anyway). Idempotent per report."""
    if not Assessment.objects.filter(case=case).exists():
        return None
    trigger, created = ReassessmentTrigger.objects.get_or_create(
        case=case, report=report, defaults={"reason": ReassessmentTrigger.Reason.NEW_REPORT})
    if created:
        audit_change(actor=actor, action="reassessment_due", obj=trigger, to_state="due", case_id=case.pk,
                     official_id=case.official_id, reason="new report")
    return trigger
