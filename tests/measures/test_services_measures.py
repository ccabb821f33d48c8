import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services as incident_services
from measures import services
from measures.models import MEASURE_WORKFLOW, Measure, MeasureCost, MeasureEvent, MeasureStatus

from .conftest import all_sent, assess, clear_outbox, make_measure, mtype, propose, sent_to

pytestmark = pytest.mark.django_db
S = MeasureStatus
TODAY = timezone.localdate()


def _outbox_to(user) -> list:
    return sent_to(user)


# ---------------------------------------------------------------- the transitions table

def test_transitions_table_is_the_documented_lifecycle():
    assert MEASURE_WORKFLOW.table[S.PROPOSED] == {S.APPROVED, S.REJECTED, S.WITHDRAWN}
    assert MEASURE_WORKFLOW.table[S.APPROVED] == {S.ORDERED, S.IN_PLACE, S.ENDED}
    assert MEASURE_WORKFLOW.table[S.ORDERED] == {S.IN_PLACE, S.ENDED}
    assert MEASURE_WORKFLOW.table[S.IN_PLACE] == {S.UNDER_REVIEW, S.ENDED}
    assert MEASURE_WORKFLOW.table[S.UNDER_REVIEW] == {S.IN_PLACE, S.ENDED}
    for final in (S.REJECTED, S.WITHDRAWN, S.ENDED):
        assert MEASURE_WORKFLOW.table[final] == frozenset()
    assert set(MEASURE_WORKFLOW.table) == set(S.values)


# ---------------------------------------------------------------- proposing

def test_propose_records_who_why_cost_and_tells_the_approver(case, handler, approver, other_handler,
                                                             django_capture_on_commit_callbacks):
    assessment = assess(handler, case)
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = propose(handler, case, details="Larm med GPS")
    assert (measure.status, measure.proposed_by, measure.estimated_cost_sek, measure.assessment) == (
        S.PROPOSED, handler, 6000, assessment)
    assert MeasureEvent.objects.get(measure=measure).to_status == S.PROPOSED
    assert AuditEvent.objects.filter(action="measure_propose", case_id=case.pk, official_id=case.official_id).exists()
    sent = _outbox_to(approver)
    assert len(sent) == 1 and "inbox" in sent[0].body and "Hot" not in sent[0].body and "6000" not in sent[0].body
    assert not _outbox_to(other_handler)  # Sigtuna: handlers do not decide
    assert not _outbox_to(handler)


def test_only_one_open_proposal_of_a_type_per_case(case, handler):
    propose(handler, case)
    with pytest.raises(ValidationError) as exc:
        propose(handler, case)
    assert "measure_type" in exc.value.message_dict
    propose(handler, case, code="cameras")  # another type is fine
    assert Measure.objects.filter(case=case).count() == 2


def test_a_new_proposal_after_the_first_was_decided(case, handler, approver):
    first = propose(handler, case)
    services.measure_reject(actor=approver, measure=first, reason="Inte nu.")
    assert propose(handler, case).status == S.PROPOSED


def test_proposal_needs_reason_and_cost(case, handler):
    with pytest.raises(ValidationError) as exc:
        services.measure_propose(actor=handler, case=case, measure_type=mtype("cameras"), reason=" ",
                                 estimated_cost_sek=10)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.measure_propose(actor=handler, case=case, measure_type=mtype("cameras"), reason="Skäl",
                                 estimated_cost_sek=-1)
    assert "estimated_cost_sek" in exc.value.message_dict


def test_inactive_type_cannot_be_proposed(case, handler):
    mtype("guarding").__class__.objects.filter(code="guarding").update(is_active=False)
    with pytest.raises(ValidationError):
        propose(handler, case, code="guarding")


def test_only_the_security_unit_proposes(case, approver, official):
    for user in (approver, official):
        with pytest.raises(PermissionDenied):
            propose(user, case)


def test_no_proposal_on_a_closed_case(case, handler):
    incident_services.case_set_status(actor=handler, case=case, to_status="closed")
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        propose(handler, case)


# ---------------------------------------------------------------- deciding

def test_approve_records_the_decision_and_tells_proposer_and_official(case, handler, approver, official,
                                                                      django_capture_on_commit_callbacks):
    measure = propose(handler, case)
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_approve(actor=approver, measure=measure, reason="Beviljas.")
    assert (measure.status, measure.decided_by, measure.decision_reason) == (S.APPROVED, approver, "Beviljas.")
    assert measure.decided_at is not None
    assert AuditEvent.objects.filter(action="measure_approve", from_state="proposed", to_state="approved").exists()
    assert _outbox_to(handler) and _outbox_to(official)
    assert all("Beviljas" not in m.body for m in all_sent())


def test_reject_needs_a_reason(case, handler, approver, official, django_capture_on_commit_callbacks):
    measure = propose(handler, case)
    with pytest.raises(ValidationError) as exc:
        services.measure_reject(actor=approver, measure=measure, reason="  ")
    assert "reason" in exc.value.message_dict
    measure.refresh_from_db()
    assert measure.status == S.PROPOSED
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_reject(actor=approver, measure=measure, reason="Kameror räcker inte.")
    assert (measure.status, measure.decision_reason) == (S.REJECTED, "Kameror räcker inte.")
    assert _outbox_to(handler) and _outbox_to(official)


def test_a_handler_does_not_decide_under_sigtuna(case, handler, other_handler):
    measure = propose(handler, case)
    with pytest.raises(PermissionDenied):
        services.measure_approve(actor=other_handler, measure=measure)


def test_withdraw(case, handler):
    measure = services.measure_withdraw(actor=handler, measure=propose(handler, case), reason="Behövs inte.")
    assert measure.status == S.WITHDRAWN
    assert MeasureEvent.objects.filter(measure=measure, to_status=S.WITHDRAWN, comment="Behövs inte.").exists()


def test_withdraw_needs_a_reason_and_the_unit(case, handler, approver):
    measure = propose(handler, case)
    with pytest.raises(ValidationError):
        services.measure_withdraw(actor=handler, measure=measure, reason="")
    with pytest.raises(PermissionDenied):
        services.measure_withdraw(actor=approver, measure=measure, reason="x")


# ---------------------------------------------------------------- carrying out

@pytest.fixture
def approved(case, handler, approver):
    return services.measure_approve(actor=approver, measure=propose(handler, case))


def test_order_through_the_unit_or_the_technical_office(approved, handler):
    measure = services.measure_order(actor=handler, measure=approved, ordered_via="technical_office",
                                     supplier="Larmbolaget AB", order_reference="TK-2026-77")
    assert (measure.status, measure.ordered_by, measure.ordered_via, measure.supplier) == (
        S.ORDERED, handler, "technical_office", "Larmbolaget AB")


def test_the_technical_office_orders_only_technical_measures(case, handler, approver):
    measure = services.measure_approve(actor=approver, measure=propose(handler, case, code="occupational-health"))
    with pytest.raises(ValidationError) as exc:
        services.measure_order(actor=handler, measure=measure, ordered_via="technical_office")
    assert "ordered_via" in exc.value.message_dict
    assert services.measure_order(actor=handler, measure=measure, ordered_via="security_unit").status == S.ORDERED


def test_orderers_come_from_the_policy(approved, handler, stockholm):
    with pytest.raises(ValidationError):
        services.measure_order(actor=handler, measure=approved, ordered_via="technical_office")


def test_the_approver_does_not_order(approved, approver):
    with pytest.raises(PermissionDenied):
        services.measure_order(actor=approver, measure=approved)


def test_mark_in_place_needs_the_alarm_identifier(approved, handler, official, django_capture_on_commit_callbacks):
    ordered = services.measure_order(actor=handler, measure=approved)
    with pytest.raises(ValidationError) as exc:
        services.measure_mark_in_place(actor=handler, measure=ordered)
    assert "alarm_identifier" in exc.value.message_dict
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_mark_in_place(actor=handler, measure=ordered, alarm_identifier="PA-0042")
    assert (measure.status, measure.in_place_on, measure.alarm_identifier) == (S.IN_PLACE, TODAY, "PA-0042")
    assert measure.review_on == TODAY + dt.timedelta(days=90)  # no assessment: 90 days
    assert _outbox_to(official)
    assert all("PA-0042" not in m.body for m in all_sent())


def test_review_date_follows_the_case_level(case, handler, approver):
    assess(handler, case, likelihood=5, consequence=5)
    measure = services.measure_approve(actor=approver, measure=propose(handler, case, code="cameras"))
    measure = services.measure_order(actor=handler, measure=measure)
    measure = services.measure_mark_in_place(actor=handler, measure=measure)
    assert measure.review_on == TODAY + dt.timedelta(days=7)


def test_alarm_identifier_is_unique_among_measures_in_use(case, other_case, handler, approver):
    first = services.measure_order(actor=handler, measure=services.measure_approve(
        actor=approver, measure=propose(handler, case)))
    services.measure_mark_in_place(actor=handler, measure=first, alarm_identifier="PA-1")
    second = services.measure_order(actor=handler, measure=services.measure_approve(
        actor=approver, measure=propose(handler, other_case)))
    with pytest.raises(ValidationError):
        services.measure_mark_in_place(actor=handler, measure=second, alarm_identifier="PA-1")
    services.measure_end(actor=handler, measure=first, reason="Larmet återlämnat.")
    assert services.measure_mark_in_place(actor=handler, measure=second, alarm_identifier="PA-1").status == S.IN_PLACE


def test_a_measure_needing_no_order_goes_straight_in_place(case, handler, approver):
    measure = services.measure_approve(actor=approver, measure=propose(handler, case, code="security-conversation",
                                                                         cost=0))
    assert services.measure_mark_in_place(actor=handler, measure=measure).status == S.IN_PLACE


def test_a_measure_needing_an_order_is_ordered_first(approved, handler):
    with pytest.raises(InvalidTransition):
        services.measure_mark_in_place(actor=handler, measure=approved, alarm_identifier="PA-1")


def test_in_place_date_not_in_the_future(approved, handler):
    ordered = services.measure_order(actor=handler, measure=approved)
    with pytest.raises(ValidationError) as exc:
        services.measure_mark_in_place(actor=handler, measure=ordered, alarm_identifier="PA-1",
                                       in_place_on=TODAY + dt.timedelta(days=1))
    assert "in_place_on" in exc.value.message_dict


def test_review_cycle_and_end(case, handler, official, django_capture_on_commit_callbacks):
    measure = make_measure(case, S.IN_PLACE, proposer=handler, decider=None, code="cameras",
                           decided_by=official)  # any other person decided
    measure = services.measure_start_review(actor=handler, measure=measure, reason="Halvårsöversyn.")
    assert measure.status == S.UNDER_REVIEW
    with pytest.raises(ValidationError):
        services.measure_finish_review(actor=handler, measure=measure, comment="")
    measure = services.measure_finish_review(actor=handler, measure=measure, comment="Behövs fortfarande.",
                                             review_on=TODAY + dt.timedelta(days=60))
    assert (measure.status, measure.review_on) == (S.IN_PLACE, TODAY + dt.timedelta(days=60))
    with pytest.raises(ValidationError):
        services.measure_end(actor=handler, measure=measure, reason="")
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_end(actor=handler, measure=measure, reason="Hotet har upphört.")
    assert (measure.status, measure.ended_by, measure.end_reason) == (S.ENDED, handler, "Hotet har upphört.")
    assert [e.to_status for e in measure.events.order_by("at", "id")] == [
        S.UNDER_REVIEW, S.IN_PLACE, S.ENDED]
    assert _outbox_to(official)
    assert AuditEvent.objects.filter(action="measure_end", from_state="in_place", to_state="ended").exists()


def test_finish_review_date_must_be_after_today(case, handler, official):
    measure = make_measure(case, S.UNDER_REVIEW, proposer=handler, decider=official, code="cameras")
    with pytest.raises(ValidationError) as exc:
        services.measure_finish_review(actor=handler, measure=measure, comment="ok", review_on=TODAY)
    assert "review_on" in exc.value.message_dict


# ---------------------------------------------------------------- each illegal start state

CALLS = {
    "approve": (lambda actor, m: services.measure_approve(actor=actor, measure=m, reason="ok"), {S.PROPOSED}),
    "reject": (lambda actor, m: services.measure_reject(actor=actor, measure=m, reason="nej"), {S.PROPOSED}),
    "withdraw": (lambda actor, m: services.measure_withdraw(actor=actor, measure=m, reason="x"), {S.PROPOSED}),
    "order": (lambda actor, m: services.measure_order(actor=actor, measure=m), {S.APPROVED}),
    "in_place": (lambda actor, m: services.measure_mark_in_place(actor=actor, measure=m), {S.APPROVED, S.ORDERED}),
    "start_review": (lambda actor, m: services.measure_start_review(actor=actor, measure=m), {S.IN_PLACE}),
    "finish_review": (lambda actor, m: services.measure_finish_review(actor=actor, measure=m, comment="ok"),
                      {S.UNDER_REVIEW}),
    "end": (lambda actor, m: services.measure_end(actor=actor, measure=m, reason="slut"),
            {S.APPROVED, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW}),
}


@pytest.mark.parametrize(("name", "start"), [
    (name, status) for name, (_call, allowed) in CALLS.items() for status in S.values if status not in allowed])  # S.values is a list: stable order
def test_illegal_start_state_is_refused(name, start, case, handler, approver, official):
    """Every move from every state the table does not allow raises InvalidTransition and changes
    nothing. (`security-conversation` needs no order, so approved → in place is legal for it.)"""
    measure = make_measure(case, start, proposer=official, decider=approver, code="security-conversation", cost=0)
    actor = approver if name in ("approve", "reject") else handler
    call, _allowed = CALLS[name]
    with pytest.raises(InvalidTransition):
        call(actor, measure)
    measure.refresh_from_db()
    assert measure.status == start
    assert not MeasureEvent.objects.filter(measure=measure).exists()


@pytest.mark.parametrize(("name", "start"), [(name, status) for name, (_c, allowed) in CALLS.items()
                                             for status in sorted(allowed)])
def test_legal_start_state_is_accepted(name, start, case, handler, approver, official):
    measure = make_measure(case, start, proposer=official, decider=approver, code="security-conversation", cost=0)
    actor = approver if name in ("approve", "reject") else handler
    call, _allowed = CALLS[name]
    assert call(actor, measure).status != start


# ---------------------------------------------------------------- costs

def test_book_cost(approved, handler):
    cost = services.measure_book_cost(actor=handler, measure=approved, amount_sek=5800, note="Faktura 123")
    assert (cost.amount_sek, cost.booked_on, cost.booked_by) == (5800, TODAY, handler)
    assert AuditEvent.objects.filter(action="measure_book_cost", to_state="5800").exists()


@pytest.mark.parametrize("amount", [0, -5, "x"])
def test_cost_must_be_positive(approved, handler, amount):
    with pytest.raises(ValidationError) as exc:
        services.measure_book_cost(actor=handler, measure=approved, amount_sek=amount)
    assert "amount_sek" in exc.value.message_dict
    assert not MeasureCost.objects.exists()


def test_cost_not_booked_in_the_future(approved, handler):
    with pytest.raises(ValidationError):
        services.measure_book_cost(actor=handler, measure=approved, amount_sek=1,
                                   booked_on=TODAY + dt.timedelta(days=1))


@pytest.mark.parametrize("status", [S.PROPOSED, S.REJECTED, S.WITHDRAWN])
def test_no_cost_on_a_measure_never_approved(case, handler, approver, official, status):
    measure = make_measure(case, status, proposer=official, decider=approver)
    with pytest.raises(PermissionDenied):
        services.measure_book_cost(actor=handler, measure=measure, amount_sek=100)


def test_only_the_unit_books_costs(approved, approver):
    with pytest.raises(PermissionDenied):
        services.measure_book_cost(actor=approver, measure=approved, amount_sek=100)
