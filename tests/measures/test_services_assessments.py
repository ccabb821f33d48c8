import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from incidents import services as incident_services
from measures import selectors
from measures.models import Assessment, ReassessmentTrigger, RiskFactor, matrix_level
from measures.services import assessment_create

from .conftest import assess, file_report

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize(("likelihood", "consequence", "level"), [
    (1, 1, "low"), (2, 2, "low"), (1, 4, "low"), (1, 5, "moderate"), (3, 3, "moderate"), (2, 5, "high"),
    (4, 4, "high"), (3, 5, "high"), (4, 5, "very_high"), (5, 5, "very_high"),
])
def test_matrix_maps_score_to_level(likelihood, consequence, level):
    assert matrix_level(likelihood, consequence) == level


def test_assessment_keeps_a_snapshot_of_the_factor_list(case, handler):
    assessment = assess(handler, case, answers={"A1": {"answer": "present", "comment": "Hot om våld."},
                                                "B5": {"answer": "partly", "comment": ""}})
    codes = [f["code"] for f in assessment.factors]
    assert codes[:3] == ["A1", "A2", "A3"] and len(codes) == 25
    a1 = assessment.factors[0]
    assert (a1["answer"], a1["comment"], a1["text_sv"]) == ("present", "Hot om våld.", RiskFactor.objects.get(
        code="A1").text_sv)
    assert next(f for f in assessment.factors if f["code"] == "C7")["answer"] == "unknown"
    # The administrator edits the checklist afterwards: the saved assessment is unchanged.
    RiskFactor.objects.filter(code="A1").update(text_sv="Ändrad text")
    RiskFactor.objects.filter(code="C7").update(is_active=False)
    assessment.refresh_from_db()
    assert assessment.factors[0]["text_sv"] != "Ändrad text"
    assert "C7" in [f["code"] for f in assessment.factors]
    newer = assess(handler, case)
    assert "C7" not in [f["code"] for f in newer.factors]
    assert newer.factors[0]["text_sv"] == "Ändrad text"


def test_level_defaults_to_the_matrix_and_review_by_level(case, handler):
    assessment = assess(handler, case, likelihood=4, consequence=4)
    assert (assessment.matrix_level, assessment.level) == ("high", "high")
    assert assessment.next_review_on == TODAY + dt.timedelta(days=30)
    for (likelihood, consequence), days in {(5, 5): 7, (3, 3): 90, (1, 1): 180}.items():
        assert assess(handler, case, likelihood=likelihood, consequence=consequence).next_review_on == \
            TODAY + dt.timedelta(days=days)


def test_a_level_other_than_the_matrix_needs_a_reason(case, handler):
    with pytest.raises(ValidationError) as exc:
        assess(handler, case, likelihood=2, consequence=2, level="high")
    assert "level_reason" in exc.value.message_dict
    assert not Assessment.objects.exists()
    assessment = assess(handler, case, likelihood=2, consequence=2, level="high",
                        level_reason="Valår och känd våldshistorik.")
    assert (assessment.matrix_level, assessment.level, assessment.level_differs) == ("low", "high", True)
    assert assessment.next_review_on == TODAY + dt.timedelta(days=30)


@pytest.mark.parametrize("value", [0, 6, "x", None])
def test_likelihood_must_be_1_to_5(case, handler, value):
    with pytest.raises(ValidationError) as exc:
        assess(handler, case, likelihood=value)
    assert "likelihood" in exc.value.message_dict


def test_unknown_answer_is_refused(case, handler):
    with pytest.raises(ValidationError) as exc:
        assess(handler, case, answers={"A1": {"answer": "maybe"}})
    assert "factor_A1" in exc.value.message_dict


def test_conclusion_and_future_review_are_required(case, handler):
    with pytest.raises(ValidationError) as exc:
        assess(handler, case, conclusion="  ", next_review_on=TODAY)
    assert {"conclusion", "next_review_on"} <= set(exc.value.message_dict)


def test_only_the_security_unit_assesses(case, approver, official, party_contact):
    for user in (approver, official, party_contact):
        with pytest.raises(PermissionDenied):
            assess(user, case)


def test_a_closed_case_is_not_assessed(case, handler):
    incident_services.case_set_status(actor=handler, case=case, to_status="closed")
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        assess(handler, case)


def test_assessment_is_audited_with_case_and_official(case, handler):
    assessment = assess(handler, case)
    row = AuditEvent.objects.get(action="assessment_create")
    assert (row.object_id, row.case_id, row.official_id, row.to_state) == (
        str(assessment.pk), case.pk, case.official_id, "high")
    assert "Hot" not in row.reason


def test_history_shows_the_trend(case, handler):
    first = assess(handler, case, likelihood=2, consequence=2)
    second = assess(handler, case, likelihood=4, consequence=5)
    third = assess(handler, case, likelihood=4, consequence=5)
    fourth = assess(handler, case, likelihood=3, consequence=3)
    history = selectors.assessment_history(case)
    assert [a.pk for a in history] == [fourth.pk, third.pk, second.pk, first.pk]
    assert [a.trend for a in history] == ["down", "same", "up", "first"]


def test_reassessment_due_on_its_date(case, handler):
    assess(handler, case, likelihood=5, consequence=5)
    assert not selectors.reassessment_state(case).due
    assert selectors.reassessment_state(case, today=TODAY + dt.timedelta(days=7)).due
    assert case in selectors.cases_due_for_reassessment(TODAY + dt.timedelta(days=7))
    assert case not in selectors.cases_due_for_reassessment(TODAY)


def test_reassessment_due_when_a_new_report_joins_and_resolved_by_the_next(case, handler, official):
    assess(handler, case)
    report = file_report(official)
    incident_services.report_join_case(actor=handler, report=report, case=case)
    state = selectors.reassessment_state(case)
    assert state.due and len(state.reasons) == 1
    assert case in selectors.cases_due_for_reassessment(TODAY)
    newer = assess(handler, case)
    assert ReassessmentTrigger.objects.get().resolved_by == newer
    assert not selectors.reassessment_state(case).due


def test_a_case_never_assessed_is_due_but_gets_no_trigger(case, handler, official):
    report = file_report(official)
    incident_services.report_join_case(actor=handler, report=report, case=case)
    assert not ReassessmentTrigger.objects.exists()
    assert selectors.reassessment_state(case).due


def test_service_is_keyword_only(case, handler):
    with pytest.raises(TypeError):
        assessment_create(handler, case)  # noqa
