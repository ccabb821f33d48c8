"""Issue 15 point 9: a case's status follows the work on it. An assessment recorded → being
assessed; a measure approved → measures; all its open measures in place → monitoring. Each step
along `CASE_WORKFLOW` through `core.workflow.transition`, audited with the work as reason; only
forward, never against a handler's later choice, never on a closed case, idempotent. The measures
app calls `incidents.services.case_advance_for_work`."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from incidents import services
from incidents.models import CaseStatus, CaseStatusChange, WorkDone
from measures import services as measure_services
from measures.models import MeasureType

pytestmark = pytest.mark.django_db

C = CaseStatus


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _assess(handler, case):
    return measure_services.assessment_create(
        actor=handler, case=case, answers={"A1": {"answer": "present", "comment": "Hot om våld."}}, likelihood=4,
        consequence=4, conclusion="Personlarm föreslås.")


def _propose(handler, case, code="personal-alarm"):
    return measure_services.measure_propose(actor=handler, case=case, measure_type=MeasureType.objects.get(code=code),
                                            reason="Hot mot hemmet.", estimated_cost_sek=6000)


def _in_place(handler, measure, identifier="LARM-1"):
    if measure.measure_type.requires_order:
        measure = measure_services.measure_order(actor=handler, measure=measure)
    return measure_services.measure_mark_in_place(actor=handler, measure=measure, alarm_identifier=identifier)


def _status(case) -> str:
    case.refresh_from_db()
    return case.status


def _moves(case) -> list[tuple[str, str, str]]:
    return list(CaseStatusChange.objects.filter(case=case).exclude(from_status="").order_by("at", "pk")
                .values_list("from_status", "to_status", "work_done"))


# ---------------------------------------------------------------- each trigger

def test_an_assessment_moves_a_new_case_to_being_assessed_through_triaged(case, handler):
    assert case.status == C.NEW
    _assess(handler, case)
    assert _status(case) == C.BEING_ASSESSED
    assert _moves(case) == [("new", "triaged", "assessment"), ("triaged", "being_assessed", "assessment")]
    audit = list(AuditEvent.objects.filter(action="case_advance_for_work", case_id=case.pk).order_by("pk")
                 .values_list("actor", "from_state", "to_state", "reason"))
    assert audit == [(handler.pk, "new", "triaged", "assessment recorded"),
                     (handler.pk, "triaged", "being_assessed", "assessment recorded")]


def test_an_assessment_moves_a_triaged_case_to_being_assessed(case, handler):
    services.case_set_status(actor=handler, case=case, to_status=C.TRIAGED)
    _assess(handler, case)
    assert _status(case) == C.BEING_ASSESSED
    assert _moves(case)[-1] == ("triaged", "being_assessed", "assessment")


def test_an_approved_measure_moves_the_case_to_measures(case, handler, approver):
    _assess(handler, case)
    measure = _propose(handler, case)
    assert _status(case) == C.BEING_ASSESSED  # a proposal is not yet a decision
    measure_services.measure_approve(actor=approver, measure=measure)
    assert _status(case) == C.MEASURES
    assert _moves(case)[-1] == ("being_assessed", "measures", "measure_approved")
    row = CaseStatusChange.objects.filter(case=case).last()
    assert row.actor == approver  # who did the work, without a permission of their own on the case


def test_an_approval_on_a_case_never_assessed_goes_the_whole_way(case, handler, approver):
    measure_services.measure_approve(actor=approver, measure=_propose(handler, case, code="security-conversation"))
    assert _status(case) == C.MEASURES
    assert [to for _f, to, _w in _moves(case)] == ["triaged", "being_assessed", "measures"]


def test_a_rejected_proposal_moves_nothing(case, handler, approver):
    _assess(handler, case)
    measure_services.measure_reject(actor=approver, measure=_propose(handler, case), reason="Inte nu.")
    assert _status(case) == C.BEING_ASSESSED


def test_the_case_is_monitored_when_all_its_open_measures_are_in_place(case, handler, approver):
    _assess(handler, case)
    alarm = measure_services.measure_approve(actor=approver, measure=_propose(handler, case))
    talk = measure_services.measure_approve(actor=approver, measure=_propose(handler, case, "security-conversation"))
    _in_place(handler, alarm)
    assert _status(case) == C.MEASURES  # the conversation is decided, not yet held
    _in_place(handler, talk)
    assert _status(case) == C.MONITORING
    assert _moves(case)[-1] == ("measures", "monitoring", "measures_in_place")


def test_an_open_proposal_keeps_the_case_in_measures(case, handler, approver):
    alarm = measure_services.measure_approve(actor=approver, measure=_propose(handler, case))
    _propose(handler, case, "security-conversation")
    _in_place(handler, alarm)
    assert _status(case) == C.MEASURES


@pytest.mark.parametrize("how", ["end", "withdraw", "reject"])
def test_the_last_measure_not_in_place_going_away_leaves_the_case_monitored(case, handler, approver, how):
    alarm = measure_services.measure_approve(actor=approver, measure=_propose(handler, case))
    other = _propose(handler, case, "security-conversation")
    _in_place(handler, alarm)
    if how == "end":
        other = measure_services.measure_approve(actor=approver, measure=other)
        measure_services.measure_end(actor=handler, measure=other, reason="Behövs inte.")
    elif how == "withdraw":
        measure_services.measure_withdraw(actor=handler, measure=other, reason="Behövs inte.")
    else:
        measure_services.measure_reject(actor=approver, measure=other, reason="Behövs inte.")
    assert _status(case) == C.MONITORING


def test_a_finished_review_keeps_a_monitored_case_monitored(case, handler, approver):
    alarm = _in_place(handler, measure_services.measure_approve(actor=approver, measure=_propose(handler, case)))
    measure_services.measure_start_review(actor=handler, measure=alarm)
    assert _status(case) == C.MONITORING  # under review is still in force
    measure_services.measure_finish_review(actor=handler, measure=alarm, comment="Behålls.")
    assert _status(case) == C.MONITORING


# ---------------------------------------------------------------- only forward, closed untouched, idempotent

def test_work_never_moves_a_case_back(case, handler, approver):
    alarm = _in_place(handler, measure_services.measure_approve(actor=approver, measure=_propose(handler, case)))
    assert _status(case) == C.MONITORING
    before = _moves(case)
    _assess(handler, case)  # a reassessment while monitoring
    measure_services.measure_approve(actor=approver, measure=_propose(handler, case, "security-conversation"))
    assert _status(case) == C.MONITORING and _moves(case) == before
    assert alarm.case_id == case.pk


def test_a_handlers_later_choice_back_is_not_overridden(case, handler, approver):
    _in_place(handler, measure_services.measure_approve(actor=approver, measure=_propose(handler, case)))
    services.case_set_status(actor=handler, case=case, to_status=C.BEING_ASSESSED, comment="Nytt hot: bedöms om.")
    _assess(handler, case)
    assert _status(case) == C.BEING_ASSESSED  # stays where the handler put it
    assert _moves(case)[-1] == ("monitoring", "being_assessed", "")


def test_a_closed_case_is_never_touched(case, handler):
    services.case_set_status(actor=handler, case=case, to_status=C.CLOSED)
    for reached in (C.BEING_ASSESSED, C.MEASURES, C.MONITORING):
        services.case_advance_for_work(case=case, reached=reached, actor=handler, reason=WorkDone.ASSESSMENT)
    assert _status(case) == C.CLOSED
    assert not AuditEvent.objects.filter(action="case_advance_for_work").exists()


def test_advancing_is_idempotent(case, handler):
    for _ in range(3):
        services.case_advance_for_work(case=case, reached=C.MEASURES, actor=handler,
                                       reason=WorkDone.MEASURE_APPROVED)
    assert _status(case) == C.MEASURES
    assert len(_moves(case)) == 3 and AuditEvent.objects.filter(action="case_advance_for_work").count() == 3


@pytest.mark.parametrize("reached", [C.NEW, C.CLOSED, "nonsense"])
def test_work_cannot_aim_at_new_closed_or_an_unknown_status(case, handler, reached):
    with pytest.raises(ValueError):
        services.case_advance_for_work(case=case, reached=reached, actor=handler, reason=WorkDone.ASSESSMENT)
    assert _status(case) == C.NEW


def test_unknown_work_is_refused(case, handler):
    with pytest.raises(ValueError):
        services.case_advance_for_work(case=case, reached=C.MEASURES, actor=handler, reason="because")
    assert _status(case) == C.NEW


def test_a_move_by_the_system_has_no_actor(case):
    services.case_advance_for_work(case=case, reached=C.TRIAGED, actor=None, reason=WorkDone.ASSESSMENT)
    row = CaseStatusChange.objects.filter(case=case).last()
    assert row.to_status == C.TRIAGED and row.actor is None


def test_the_case_activity_follows(case, handler):
    later = timezone.now() + dt.timedelta(minutes=5)
    services.case_advance_for_work(case=case, reached=C.BEING_ASSESSED, actor=handler, reason=WorkDone.ASSESSMENT,
                                   now=later)
    case.refresh_from_db()
    assert case.last_activity_at == later


# ---------------------------------------------------------------- what people see

def test_the_official_and_the_handler_see_monitoring_not_new(en, case, handler, approver, official):
    _assess(handler, case)
    _in_place(handler, measure_services.measure_approve(actor=approver, measure=_propose(handler, case)))
    en.force_login(official)
    html = en.get(reverse("incidents:my-cases")).content.decode()
    assert "<strong>Monitoring</strong>" in html and "<strong>New</strong>" not in html
    for user in (official, handler):
        en.force_login(user)
        html = en.get(reverse("incidents:case-detail", args=[case.pk])).content.decode()
        assert "<strong>Monitoring</strong>" in html
        assert "Moved on by the work on the case: all measures are in place." in html
    en.force_login(handler)
    html = en.get(reverse("incidents:case-list")).content.decode()
    assert "Monitoring" in html
