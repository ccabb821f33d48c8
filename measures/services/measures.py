"""The life of a measure: proposed → approved / rejected (or withdrawn) → ordered → in place →
under review → ended, along `models.MEASURE_WORKFLOW`. Each move is its own service (STYLE.md ›
Services): lock the row, check the move against the table (`core.workflow.InvalidTransition`),
then the actor (`permissions`), then the input; `_move` hands the rest to
`core.workflow.transition` (fields, save, audit row, e-mails queued in the same transaction) and
records the step in the measure's history (`MeasureEvent`). E-mails say only that something
happened, with a link: never reasons, costs, addresses or alarm identifiers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from accounts.roles import Role
from core.audit import audit_change
from core.notify import absolute_url, tell, users_with_role
from core.reminders import reminder_ensure_many, reminders_close_for
from core.workflow import InvalidTransition, lock, transition
from incidents.models import Case, CaseStatus, WorkDone
from incidents.services import case_advance_for_work
from officials.models import Official

from .. import permissions as perms
from ..models import (
    ALARM_LIVE_STATUSES,
    MEASURE_WORKFLOW,
    OPEN_STATUSES,
    REVIEW_DAYS,
    AlarmProvider,
    Assessment,
    Measure,
    MeasureCost,
    MeasureEvent,
    MeasureStatus,
    MeasureType,
    OrderedVia,
)
from ..permissions import MeasureAction

S = MeasureStatus
REMINDER_REVIEW = "measures.review_due"
REMINDER_FLAGGED = "measures.flagged_for_ending"


class FourEyesViolation(ValidationError):
    """The proposer of a measure tried to decide it (the database refuses it too)."""


# ---------------------------------------------------------------- helpers

def _lock(measure: Measure) -> Measure:
    """The measure, locked for the rest of the transaction, with its type and case read apart
    (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join)."""
    locked = lock(measure)
    locked.measure_type = MeasureType.objects.get(pk=locked.measure_type_id)
    locked.case = Case.objects.select_related("official__user", "handler").get(pk=locked.case_id)
    return locked


def _event(measure: Measure, from_status: str, actor: User | None, at: datetime, comment: str = "") -> MeasureEvent:
    return MeasureEvent.objects.create(measure=measure, from_status=from_status, to_status=measure.status,
                                       actor=actor if actor is not None and actor.is_authenticated else None,
                                       at=at, comment=comment)


def _move(measure: Measure, to: str, *, actor: User | None, action: str, now: datetime, comment: str = "",
          fields: Mapping[str, Any] | None = None, audit_reason: str = "", touch: bool = True,
          notify: Callable[[Measure, str], None] | None = None) -> Measure:
    """Move a measure already locked (`_lock`) and checked (the move, then the actor) to `to`:
    `core.workflow.transition` sets the status and `fields`, saves, writes the audit row (the
    measure type's code as reason unless `audit_reason`) and queues `notify`'s e-mails; then the
    step goes into the measure's history."""
    from_status = measure.status
    values = dict(fields or {})

    def update(locked: Measure, _from: str) -> list[str]:
        for name, value in values.items():
            setattr(locked, name, value)
        return list(values)

    transition(measure, MEASURE_WORKFLOW, to, actor=actor, action=action, locked=True, update=update,
               audit_reason=audit_reason or measure.measure_type.code,
               audit_scope={"official_id": measure.case.official_id}, notify=notify)
    _event(measure, from_status, actor, now, comment)
    if touch:
        _touch_case(measure, now)
    return measure


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _not_future(value: date | None, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("The date cannot be in the future.")})


def _tell_official(measure: Measure, subject: Callable[[], str], body: Callable[[], str]) -> None:
    official = measure.case.official
    if official.user_id:
        tell([official.user], subject, body)


def _touch_case(measure: Measure, now: datetime) -> None:
    Case.objects.filter(pk=measure.case_id).update(last_activity_at=now)


def _close_reminders(measure: Measure, *kinds: str) -> None:
    for kind in kinds:
        reminders_close_for(kind=kind, obj=measure)


def _case_follows(measure: Measure, actor: User | None, now: datetime) -> None:
    """The case's status follows its measures (`incidents.services.case_advance_for_work`, forward
    only): a measure approved → measures; every open measure of the case in place → monitoring."""
    if measure.status == S.APPROVED:
        case_advance_for_work(case=measure.case, reached=CaseStatus.MEASURES, actor=actor,
                              reason=WorkDone.MEASURE_APPROVED, now=now)
        return
    open_statuses = set(Measure.objects.filter(case_id=measure.case_id, status__in=OPEN_STATUSES)
                        .values_list("status", flat=True).distinct())
    if open_statuses and open_statuses <= set(ALARM_LIVE_STATUSES):
        case_advance_for_work(case=measure.case, reached=CaseStatus.MONITORING, actor=actor,
                              reason=WorkDone.MEASURES_IN_PLACE, now=now)


def latest_assessment(case: Case) -> Assessment | None:
    return Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()


def default_review_on(measure: Measure, on: date) -> date:
    """The next review of a measure in place: the case's current level decides (RISK.md)."""
    assessment = latest_assessment(measure.case)
    days = REVIEW_DAYS.get(assessment.level, 90) if assessment else 90
    return on + timedelta(days=days)


# ---------------------------------------------------------------- proposing

@transaction.atomic
def measure_propose(*, actor: User, case: Case, measure_type: MeasureType, reason: str, estimated_cost_sek: int,
                    details: str = "", now: datetime | None = None) -> Measure:
    """The security unit proposes a measure, with its reason and estimated cost, based on the
    case's latest assessment. Whoever holds the policy's approver role is told."""
    perms.require_assess(actor, case)
    case = lock(case, related=["official"])
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if not measure_type.is_active:
        raise ValidationError({"measure_type": _("This measure type is no longer in use.")})
    reason = _required_text(reason, "reason", _("Write why the measure is proposed."))
    try:
        cost = int(estimated_cost_sek)
    except (TypeError, ValueError):
        cost = -1
    if cost < 0:
        raise ValidationError({"estimated_cost_sek": _("Give the estimated cost in whole kronor (0 or more).")})
    if Measure.objects.filter(case=case, measure_type=measure_type, status=S.PROPOSED).exists():
        raise ValidationError({"measure_type": _("This case already has an open proposal of this measure type.")})
    now = now or timezone.now()
    measure = Measure(case=case, measure_type=measure_type, assessment=latest_assessment(case), status=S.PROPOSED,
                      reason=reason, details=(details or "").strip(), estimated_cost_sek=cost, proposed_by=actor,
                      proposed_at=now)
    measure.full_clean()
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError:  # the database's "one open proposal" held against a race
        raise ValidationError({"measure_type": _("This case already has an open proposal of this measure type.")}
                              ) from None
    _event(measure, "", actor, now, reason)
    _touch_case(measure, now)
    audit_change(actor=actor, action="measure_propose", obj=measure, to_state=measure.status,
                 official_id=case.official_id, reason=measure_type.code)
    policy = Policy.current()
    deciders = [user for user in users_with_role(policy.approver_role) if user.pk != actor.pk]
    tell(deciders, lambda: _("A measure waits for your decision (case %(ref)s)") % {"ref": case.reference},
         lambda: _("%(unit)s has proposed a measure in case %(ref)s. It waits for your decision as %(title)s:"
                   "\n%(link)s") % {"unit": policy.unit_name, "ref": case.reference, "title": policy.approver_title,
                                    "link": absolute_url("measures:measure-inbox")})
    return measure


@transaction.atomic
def measure_withdraw(*, actor: User, measure: Measure, reason: str, now: datetime | None = None) -> Measure:
    measure = _lock(measure)
    MEASURE_WORKFLOW.check(measure.status, S.WITHDRAWN)
    perms.require_action(measure, actor, MeasureAction.WITHDRAW)
    reason = _required_text(reason, "reason", _("Write why the proposal is withdrawn."))
    now = now or timezone.now()
    _move(measure, S.WITHDRAWN, actor=actor, action="measure_withdraw", now=now, comment=reason, touch=False)
    _case_follows(measure, actor, now)
    return measure


# ---------------------------------------------------------------- deciding (four eyes)

def _decide(*, actor: User, measure: Measure, to_status: str, reason: str, now: datetime | None) -> Measure:
    measure = _lock(measure)
    MEASURE_WORKFLOW.check(measure.status, to_status)  # decided a moment before by someone else: "already decided"
    if measure.proposed_by_id == actor.pk:
        raise FourEyesViolation(_("You proposed this measure, so someone else must decide it (four eyes)."),
                                code="four_eyes")
    policy = Policy.current()
    if not perms.holds_approver_role(actor, policy):
        raise PermissionDenied(_("Only the %(title)s decides on measures.") % {"title": policy.approver_title})
    perms.require_action(measure, actor, MeasureAction.APPROVE if to_status == S.APPROVED else MeasureAction.REJECT,
                         policy=policy)
    reason = (reason or "").strip()
    if to_status == S.REJECTED and not reason:
        raise ValidationError({"reason": _("Write the reason for rejecting the proposal.")})
    now = now or timezone.now()
    ref = measure.case.reference

    title = policy.approver_title

    def notify(decided: Measure, _from: str) -> None:
        tell([decided.proposed_by],
             lambda: (_("Your proposal in case %(ref)s was approved") if to_status == S.APPROVED
                      else _("Your proposal in case %(ref)s was rejected")) % {"ref": ref},
             lambda: _("%(title)s has decided on your proposal in case %(ref)s. Log in to read the decision:"
                       "\n%(link)s") % {"title": title, "ref": ref,
                                        "link": absolute_url("measures:measure-detail", decided.pk)})
        _tell_official(decided, lambda: _("A decision on a protective measure in your case"),
                       lambda: _("%(title)s has decided on a protective measure in your case %(ref)s. Log in to "
                                 "read it:\n%(link)s") % {"title": title, "ref": ref,
                                                          "link": absolute_url("incidents:my-cases")})

    _move(measure, to_status, actor=actor, now=now, comment=reason, notify=notify,
          action="measure_approve" if to_status == S.APPROVED else "measure_reject",
          fields={"decided_by": actor, "decided_at": now, "decision_reason": reason})
    _case_follows(measure, actor, now)
    return measure


@transaction.atomic
def measure_approve(*, actor: User, measure: Measure, reason: str = "", now: datetime | None = None) -> Measure:
    """The policy's approver approves a proposal — never their own (four eyes, also a database
    constraint). The row lock makes two simultaneous decisions one decision and one clear refusal."""
    return _decide(actor=actor, measure=measure, to_status=S.APPROVED, reason=reason, now=now)


@transaction.atomic
def measure_reject(*, actor: User, measure: Measure, reason: str, now: datetime | None = None) -> Measure:
    """The policy's approver rejects a proposal, with a reason."""
    return _decide(actor=actor, measure=measure, to_status=S.REJECTED, reason=reason, now=now)


# ---------------------------------------------------------------- carrying out

@transaction.atomic
def measure_order(*, actor: User, measure: Measure, ordered_via: str = "", supplier: str = "",
                  order_reference: str = "", now: datetime | None = None) -> Measure:
    """Record the order of an approved measure, as the policy's orderers allow: by the security
    unit itself or through the technical office, or by the technical office itself (technical
    measures only). `ordered_via` defaults to the first way open to the actor. An order by the
    technical office is told to the case's handler (or the unit), who puts the measure in place."""
    measure = _lock(measure)
    MEASURE_WORKFLOW.check(measure.status, S.ORDERED)
    policy = Policy.current()
    perms.require_action(measure, actor, MeasureAction.ORDER, policy=policy)
    choices = perms.order_choices(measure, policy, actor)
    ordered_via = ordered_via or (choices[0] if choices else "")
    if ordered_via not in choices:
        raise ValidationError({"ordered_via": _("Under the policy this measure cannot be ordered that way.")})
    now = now or timezone.now()
    ref = measure.case.reference
    by_office = not perms.is_security_unit(actor)

    def notify(ordered: Measure, _from: str) -> None:
        if not by_office:
            return
        name = ordered.measure_type
        tell([ordered.case.handler] if ordered.case.handler_id else users_with_role(Role.SECURITY_HANDLER),
             lambda: _("Ordered by the technical office: %(measure)s (case %(ref)s)") % {"measure": name.name,
                                                                                        "ref": ref},
             lambda: _("The technical office has ordered %(measure)s in case %(ref)s. Mark it in place when it is "
                       "installed:\n%(link)s") % {"measure": name.name, "ref": ref,
                                                  "link": absolute_url("measures:measure-detail", ordered.pk)})

    return _move(measure, S.ORDERED, actor=actor, action="measure_order", now=now,
                 comment=str(OrderedVia(ordered_via).label), notify=notify,
                 audit_reason=f"{measure.measure_type.code} via {ordered_via}",
                 fields={"ordered_by": actor, "ordered_at": now, "ordered_via": ordered_via,
                         "supplier": (supplier or "").strip(), "order_reference": (order_reference or "").strip()})


@transaction.atomic
def measure_mark_in_place(*, actor: User, measure: Measure, in_place_on: date | None = None,
                          review_on: date | None = None, alarm_identifier: str = "",
                          alarm_provider: AlarmProvider | None = None, comment: str = "",
                          now: datetime | None = None) -> Measure:
    """The measure is in place (verkställd). An alarm needs its identifier at the alarm centre,
    so that its events reach the case. The next review defaults by the case's risk level."""
    measure = _lock(measure)
    from_status = measure.status
    MEASURE_WORKFLOW.check(from_status, S.IN_PLACE)
    if from_status == S.UNDER_REVIEW:
        raise InvalidTransition(_("The measure is under review: finish the review instead."),
                                code="invalid_transition")
    if from_status == S.APPROVED and measure.measure_type.requires_order:
        raise InvalidTransition(_("This measure must be ordered before it is in place."), code="invalid_transition")
    perms.require_action(measure, actor, MeasureAction.MARK_IN_PLACE)
    now = now or timezone.now()
    today = timezone.localdate(now)
    in_place_on = in_place_on or today
    _not_future(in_place_on, "in_place_on", today)
    review_on = review_on or default_review_on(measure, today)
    if review_on <= today:
        raise ValidationError({"review_on": _("The next review must be after today.")})
    fields: dict[str, Any] = {"in_place_on": in_place_on, "review_on": review_on}
    if measure.measure_type.is_alarm:
        alarm_identifier = (alarm_identifier or "").strip()
        if not alarm_identifier:
            raise ValidationError({"alarm_identifier": _("Give the alarm's identifier at the alarm centre.")})
        if alarm_provider is not None and not alarm_provider.is_active:
            raise ValidationError({"alarm_provider": _("This alarm centre is not active.")})
        fields.update(alarm_identifier=alarm_identifier, alarm_provider=alarm_provider)
    ref = measure.case.reference
    try:
        with transaction.atomic():
            _move(measure, S.IN_PLACE, actor=actor, action="measure_mark_in_place", now=now,
                  comment=(comment or "").strip(), fields=fields,
                  notify=lambda placed, _from: _tell_official(
                      placed, lambda: _("A protective measure is in place"),
                      lambda: _("A protective measure in your case %(ref)s is now in place. Log in to read "
                                "more:\n%(link)s") % {"ref": ref, "link": absolute_url("incidents:my-cases")}))
    except IntegrityError:  # the identifier's uniqueness held against a race
        raise ValidationError({"alarm_identifier": _("Another measure in use already has this alarm identifier.")}
                              ) from None
    _case_follows(measure, actor, now)
    return measure


def _start_review(*, actor: User | None, measure: Measure, reason: str, now: datetime) -> Measure:
    _move(measure, S.UNDER_REVIEW, actor=actor, action="measure_start_review", now=now, comment=reason)
    _close_reminders(measure, REMINDER_REVIEW)
    return measure


@transaction.atomic
def measure_start_review(*, actor: User, measure: Measure, reason: str = "", now: datetime | None = None) -> Measure:
    """Start reviewing a measure in place (it stays in force meanwhile)."""
    measure = _lock(measure)
    MEASURE_WORKFLOW.check(measure.status, S.UNDER_REVIEW)
    perms.require_action(measure, actor, MeasureAction.START_REVIEW)
    return _start_review(actor=actor, measure=measure, reason=(reason or "").strip(), now=now or timezone.now())


@transaction.atomic
def measure_finish_review(*, actor: User, measure: Measure, comment: str, review_on: date | None = None,
                          now: datetime | None = None) -> Measure:
    """The review keeps the measure: it is in place again until the next review."""
    measure = _lock(measure)
    if measure.status != S.UNDER_REVIEW:  # the table's other ways to "in place" are not a review's
        raise InvalidTransition(_("The measure is not under review (it is %(status)s).")
                                % {"status": MEASURE_WORKFLOW.label(measure.status).lower()},
                                code="invalid_transition")
    perms.require_action(measure, actor, MeasureAction.FINISH_REVIEW)
    comment = _required_text(comment, "comment", _("Write the outcome of the review."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    review_on = review_on or default_review_on(measure, today)
    if review_on <= today:
        raise ValidationError({"review_on": _("The next review must be after today.")})
    _move(measure, S.IN_PLACE, actor=actor, action="measure_finish_review", now=now, comment=comment,
          fields={"review_on": review_on})
    _case_follows(measure, actor, now)
    return measure


@transaction.atomic
def measure_end(*, actor: User, measure: Measure, reason: str, now: datetime | None = None) -> Measure:
    """End an approved, ordered, in-place or reviewed measure, with the reason."""
    measure = _lock(measure)
    MEASURE_WORKFLOW.check(measure.status, S.ENDED)
    perms.require_action(measure, actor, MeasureAction.END)
    reason = _required_text(reason, "reason", _("Write why the measure ends."))
    now = now or timezone.now()
    ref = measure.case.reference

    def notify(ended: Measure, from_status: str) -> None:
        if from_status != S.APPROVED:
            _tell_official(ended, lambda: _("A protective measure has ended"),
                           lambda: _("A protective measure in your case %(ref)s has ended. Log in to read more:"
                                     "\n%(link)s") % {"ref": ref, "link": absolute_url("incidents:my-cases")})

    _move(measure, S.ENDED, actor=actor, action="measure_end", now=now, comment=reason, notify=notify,
          fields={"ended_at": now, "ended_by": actor, "end_reason": reason})
    _close_reminders(measure, REMINDER_REVIEW, REMINDER_FLAGGED)
    _case_follows(measure, actor, now)
    return measure


# ---------------------------------------------------------------- costs

@transaction.atomic
def measure_book_cost(*, actor: User, measure: Measure, amount_sek: int, booked_on: date | None = None,
                      note: str = "", now: datetime | None = None) -> MeasureCost:
    """Book an actual cost (an invoice) on an approved measure, against the budget year of
    `booked_on`."""
    measure = _lock(measure)
    perms.require_action(measure, actor, MeasureAction.BOOK_COST)
    now = now or timezone.now()
    today = timezone.localdate(now)
    booked_on = booked_on or today
    _not_future(booked_on, "booked_on", today)
    try:
        amount = int(amount_sek)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0:
        raise ValidationError({"amount_sek": _("Give the amount in whole kronor (more than 0).")})
    cost = MeasureCost(measure=measure, amount_sek=amount, booked_on=booked_on, note=(note or "").strip(),
                       booked_by=actor, booked_at=now)
    cost.full_clean()
    cost.save()
    audit_change(actor=actor, action="measure_book_cost", obj=cost, to_state=str(amount),
                 case_id=measure.case_id, official_id=measure.case.official_id, reason=f"measure {measure.pk}")
    return cost


# ---------------------------------------------------------------- end of responsibility

@transaction.atomic
def measures_flag_for_ending(*, official: Official, actor: User | None = None,
                             now: datetime | None = None) -> list[Measure]:
    """The official's last assignment has ended, and with it the municipality's responsibility:
    every open measure in their cases is flagged for review and ending; measures in place go
    under review. The official and the security unit are told. Idempotent."""
    now = now or timezone.now()
    reason = _("The municipality's responsibility ended: the official's last assignment has ended.")
    flagged = []
    ids = list(Measure.objects.filter(case__official=official, status__in=OPEN_STATUSES,
                                      end_flagged_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        measure = _lock(Measure(pk=pk))
        if measure.end_flagged_at is not None or not measure.is_open:
            continue
        measure.end_flagged_at = now
        measure.end_flag_reason = "responsibility_ended"
        measure.save(update_fields=["end_flagged_at", "end_flag_reason", "updated_at"])
        audit_change(actor=actor, action="measure_flag_for_ending", obj=measure, from_state=measure.status,
                     to_state=measure.status, case_id=measure.case_id, official_id=official.pk,
                     reason="responsibility ended")
        if measure.status == S.IN_PLACE:
            _start_review(actor=actor, measure=measure, reason=str(reason), now=now)
        flagged.append(measure)
    if not flagged:
        return []
    today = timezone.localdate(now)
    reminder_ensure_many(
        kind=REMINDER_FLAGGED, recipients_role=Role.SECURITY_HANDLER, today=today, notify_by_email=False,
        items=[(m, today, _("Review and end: %(measure)s in case %(ref)s (responsibility ended)")
                % {"measure": m.measure_type.name, "ref": m.case.reference},
                reverse("measures:measure-detail", args=[m.pk])) for m in flagged])
    tell(users_with_role(Role.SECURITY_HANDLER),
         lambda: _("Measures to review and end"),
         lambda: _("An official's last assignment has ended. Their open measures have been flagged for review and "
                   "ending:\n%(link)s") % {"link": absolute_url("measures:measure-list") + "?flagged=1"})
    if official.user_id:
        tell([official.user], lambda: _("Your protective measures will be reviewed"),
             lambda: _("Your assignment has ended, and with it the municipality's responsibility for your protection. "
                       "The security unit will review and end your protective measures and contact you about it. "
                       "Log in to read more:\n%(link)s") % {"link": absolute_url("incidents:my-cases")})
    return flagged
