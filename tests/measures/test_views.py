"""Every page: one allowed and one denied test; bad input gives a clear error and keeps what was
typed; list pages keep a constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.models import AlarmEvent, Assessment, Measure, MeasureStatus, MeasureType, RiskFactor
from measures.services import alarm_provider_create

from .conftest import assess, make_measure, mtype, propose

pytestmark = pytest.mark.django_db
S = MeasureStatus
TODAY = timezone.localdate()


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def proposal(case, handler):
    assess(handler, case)
    return propose(handler, case)


def _count(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- assessments

def test_handler_opens_the_assessment_form(client_for, en, case, handler):
    response = client_for(handler).get(reverse("measures:assessment-create", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A1 Explicit threat of violence" in html and "C7 Lacks alarm" in html
    assert 'class="risk-matrix"' in html


def test_approver_may_not_assess(client_for, case, approver, proposal):
    assert client_for(approver).get(reverse("measures:assessment-create", args=[case.pk])).status_code == 403


def test_other_party_official_gets_404(client_for, case, other_official):
    assert client_for(other_official).get(reverse("measures:assessment-create", args=[case.pk])).status_code == 404


def test_posting_an_assessment(client_for, case, handler):
    data = {"likelihood": "4", "consequence": "5", "level": "", "conclusion": "Mycket hög risk.",
            "with_police": "on", "factor_A1": "present", "comment_A1": "Hot om våld", "factor_B5": "partly"}
    response = client_for(handler).post(reverse("measures:assessment-create", args=[case.pk]), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.level, assessment.with_police, assessment.with_official) == ("very_high", True, False)
    assert next(f for f in assessment.factors if f["code"] == "B5")["answer"] == "partly"


def test_level_differing_without_reason_is_tied_to_the_field_and_keeps_input(client_for, en, case, handler):
    data = {"likelihood": "1", "consequence": "1", "level": "high", "conclusion": "Min slutsats.",
            "factor_A1": "present", "comment_A1": "Min kommentar"}
    response = client_for(handler).post(reverse("measures:assessment-create", args=[case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_level_reason_error"' in html and 'aria-describedby="id_level_reason_error"' in html
    assert "differs from the matrix" in html
    assert "Min slutsats." in html and "Min kommentar" in html
    assert not Assessment.objects.exists()


def test_reassessment_form_starts_from_the_previous_answers(client_for, case, handler):
    assess(handler, case, answers={"A6": {"answer": "partly", "comment": "Bilen har setts"}})
    html = client_for(handler).get(reverse("measures:assessment-create", args=[case.pk])).content.decode()
    assert "Bilen har setts" in html
    assert '<option value="partly" selected>' in html


def test_history_for_handler_and_approver(client_for, en, case, handler, approver, proposal):
    assess(handler, case, likelihood=5, consequence=5)
    url = reverse("measures:assessment-list", args=[case.pk])
    html = client_for(handler).get(url).content.decode()
    assert "Higher than before" in html and "First assessment" in html
    assert client_for(approver).get(url).status_code == 200


def test_official_may_not_read_assessments(client_for, case, handler, official, party_contact):
    assessment = assess(handler, case)
    assert client_for(official).get(reverse("measures:assessment-list", args=[case.pk])).status_code == 403
    assert client_for(official).get(reverse("measures:assessment-detail", args=[assessment.pk])).status_code == 403
    assert client_for(party_contact).get(reverse("measures:assessment-detail", args=[assessment.pk])).status_code == 403


def test_assessment_detail_shows_the_snapshot(client_for, en, case, handler):
    assessment = assess(handler, case)
    RiskFactor.objects.filter(code="A1").update(text_en="Changed later")
    response = client_for(handler).get(reverse("measures:assessment-detail", args=[assessment.pk]))
    assert response.status_code == 200
    assert "Explicit threat of violence" in response.content.decode()
    assert "Changed later" not in response.content.decode()


def test_assessment_detail_unknown_is_404(client_for, handler):
    assert client_for(handler).get(reverse("measures:assessment-detail", args=[999])).status_code == 404


# ---------------------------------------------------------------- proposing and the measure page

def test_propose_form_allowed_and_posted(client_for, case, handler):
    client = client_for(handler)
    url = reverse("measures:measure-propose", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"measure_type": mtype("cameras").pk, "reason": "Kamera vid entrén.",
                                 "estimated_cost_sek": "25000"})
    assert response.status_code == 302
    assert Measure.objects.get().estimated_cost_sek == 25000


def test_propose_duplicate_is_a_clear_error(client_for, en, case, handler, proposal):
    response = client_for(handler).post(reverse("measures:measure-propose", args=[case.pk]), {
        "measure_type": proposal.measure_type_id, "reason": "Igen", "estimated_cost_sek": "1"})
    assert response.status_code == 400
    assert "already has an open proposal" in response.content.decode()


def test_propose_denied_to_the_approver(client_for, case, approver, proposal):
    assert client_for(approver).get(reverse("measures:measure-propose", args=[case.pk])).status_code == 403


def test_measure_detail_allowed_and_denied(client_for, proposal, handler, approver, official, other_official):
    url = reverse("measures:measure-detail", args=[proposal.pk])
    assert client_for(handler).get(url).status_code == 200
    assert client_for(approver).get(url).status_code == 200
    assert client_for(official).get(url).status_code == 404
    assert client_for(other_official).get(url).status_code == 404


# ---------------------------------------------------------------- deciding

def test_approver_approves_from_the_inbox(client_for, en, proposal, approver):
    client = client_for(approver)
    html = client.get(reverse("measures:measure-inbox")).content.decode()
    assert "Personal alarm" in html and proposal.case.reference in html
    assert "6\xa0000 SEK" in html and "Hög risk" in html
    response = client.post(reverse("measures:measure-decide", args=[proposal.pk]),
                           {f"m{proposal.pk}-decision": "approve", f"m{proposal.pk}-reason": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (S.APPROVED, approver)


def test_reject_without_reason_keeps_the_inbox_with_the_error(client_for, en, proposal, approver):
    response = client_for(approver).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                         {f"m{proposal.pk}-decision": "reject"})
    assert response.status_code == 400
    assert "Write the reason for rejecting" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.PROPOSED


def test_deciding_what_someone_else_decided_gets_a_clear_message(client_for, en, proposal, approver, other_approver):
    services.measure_approve(actor=other_approver, measure=proposal)
    response = client_for(approver).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                         {f"m{proposal.pk}-decision": "reject", f"m{proposal.pk}-reason": "Nej"},
                                         follow=True)
    assert "already been decided" in response.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (S.APPROVED, other_approver)


def test_handler_may_not_decide_under_sigtuna(client_for, proposal, other_handler):
    response = client_for(other_handler).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                              {f"m{proposal.pk}-decision": "approve"})
    assert response.status_code == 403


def test_decide_denied_to_the_official(client_for, proposal, official):
    response = client_for(official).post(reverse("measures:measure-decide", args=[proposal.pk]),
                                         {f"m{proposal.pk}-decision": "approve"})
    assert response.status_code == 404


def test_decide_needs_post(client_for, proposal, approver):
    assert client_for(approver).get(reverse("measures:measure-decide", args=[proposal.pk])).status_code == 405


def test_inbox_for_the_stockholm_security_chief(client_for, stockholm, proposal, handler, other_handler, chief):
    html = client_for(chief).get(reverse("measures:measure-inbox")).content.decode()
    assert f"m{proposal.pk}-decision" in html
    for user in (handler, other_handler):  # the handlers follow the inbox, the chief decides
        assert f"m{proposal.pk}-decision" not in client_for(user).get(reverse("measures:measure-inbox")).content.decode()


def test_inbox_where_the_unit_decides(client_for, unit_decides, proposal, handler, other_handler):
    html = client_for(other_handler).get(reverse("measures:measure-inbox")).content.decode()
    assert f"m{proposal.pk}-decision" in html
    own = client_for(handler).get(reverse("measures:measure-inbox")).content.decode()
    assert f"m{proposal.pk}-decision" not in own


def test_inbox_read_only_for_the_sigtuna_handler(client_for, proposal, handler):
    html = client_for(handler).get(reverse("measures:measure-inbox")).content.decode()
    assert proposal.case.reference in html and f"m{proposal.pk}-decision" not in html


def test_inbox_denied_to_others(client_for, official, on_call, stockholm, approver):
    assert client_for(official).get(reverse("measures:measure-inbox")).status_code == 403
    assert client_for(on_call).get(reverse("measures:measure-inbox")).status_code == 403
    response = client_for(approver).get(reverse("measures:measure-inbox"))  # Stockholm: told who decides
    assert response.status_code == 200 and "Säkerhetschef" in response.content.decode()
    assert "-decision" not in response.content.decode()


def test_inbox_query_count_is_constant(client_for, case, other_case, handler, approver):
    assess(handler, case)
    propose(handler, case)
    client = client_for(approver)
    small = _count(client, reverse("measures:measure-inbox"))
    assess(handler, other_case)
    for code in ("cameras", "guarding", "burglar-alarm"):
        propose(handler, other_case, code=code)
    make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code="perimeter-protection")
    assert _count(client, reverse("measures:measure-inbox")) == small


# ---------------------------------------------------------------- carrying out (the unit's forms)

@pytest.fixture
def approved(proposal, approver):
    return services.measure_approve(actor=approver, measure=proposal)


def test_order_in_place_review_end_and_cost_through_the_pages(client_for, approved, handler):
    client = client_for(handler)
    pk = approved.pk
    assert client.post(reverse("measures:measure-order", args=[pk]), {
        "order-ordered_via": "technical_office", "order-supplier": "Larm AB"}).status_code == 302
    assert client.post(reverse("measures:measure-in-place", args=[pk]), {
        "inplace-in_place_on": TODAY.isoformat(), "inplace-alarm_identifier": "PA-7"}).status_code == 302
    assert client.post(reverse("measures:measure-cost-add", args=[pk]), {
        "cost-amount_sek": "5900", "cost-booked_on": TODAY.isoformat()}).status_code == 302
    assert client.post(reverse("measures:measure-review-start", args=[pk]), {"review-reason": ""}).status_code == 302
    assert client.post(reverse("measures:measure-review-finish", args=[pk]), {
        "finish-comment": "Behövs."}).status_code == 302
    assert client.post(reverse("measures:measure-end", args=[pk]), {"end-reason": "Klart."}).status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.ordered_via, approved.alarm_identifier) == (S.ENDED, "technical_office", "PA-7")
    assert approved.costs.get().amount_sek == 5900


def test_in_place_without_alarm_id_is_tied_to_the_field(client_for, en, approved, handler):
    client = client_for(handler)
    client.post(reverse("measures:measure-order", args=[approved.pk]), {"order-ordered_via": "security_unit"})
    response = client.post(reverse("measures:measure-in-place", args=[approved.pk]), {
        "inplace-in_place_on": TODAY.isoformat(), "inplace-comment": "Levererat"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_inplace-alarm_identifier_error"' in html
    assert "Levererat" in html


def test_wrong_state_is_a_clear_message(client_for, en, approved, handler):
    response = client_for(handler).post(reverse("measures:measure-review-start", args=[approved.pk]),
                                        {"review-reason": "x"}, follow=True)
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()


@pytest.mark.parametrize("name", ["measure-order", "measure-in-place", "measure-review-start",
                                  "measure-review-finish", "measure-end", "measure-cost-add", "measure-withdraw"])
def test_unit_actions_denied_to_the_approver(client_for, approved, approver, name):
    assert client_for(approver).post(reverse(f"measures:{name}", args=[approved.pk]), {}).status_code == 403


def test_withdraw_through_the_page(client_for, proposal, handler):
    response = client_for(handler).post(reverse("measures:measure-withdraw", args=[proposal.pk]),
                                        {"withdraw-reason": "Behövs inte."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN


# ---------------------------------------------------------------- lists and the budget

def test_measure_list_allowed_denied_and_constant(client_for, case, other_case, handler, approver):
    client = client_for(handler)
    make_measure(case, S.IN_PLACE, proposer=handler, decider=approver)
    small = _count(client, reverse("measures:measure-list"))
    for code in ("cameras", "guarding", "burglar-alarm"):
        make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code=code)
    assert _count(client, reverse("measures:measure-list")) == small
    assert client.get(reverse("measures:measure-list") + "?status=approved&flagged=on").status_code == 200
    assert client_for(approver).get(reverse("measures:measure-list")).status_code == 403


def test_budget_dashboard_allowed_and_denied(client_for, en, case, handler, approver, admin_user, official):
    make_measure(case, S.ORDERED, proposer=handler, decider=approver, cost=6000)
    for user in (handler, approver, admin_user):
        response = client_for(user).get(reverse("measures:budget-dashboard"))
        assert response.status_code == 200
    assert "2\xa0000\xa0000 SEK" in response.content.decode() and "1\xa0994\xa0000 SEK" in response.content.decode()
    assert client_for(official).get(reverse("measures:budget-dashboard")).status_code == 403


def test_budget_dashboard_bad_year_falls_back(client_for, handler):
    assert client_for(handler).get(reverse("measures:budget-dashboard") + "?year=abc").status_code == 200
    assert client_for(handler).get(reverse("measures:budget-dashboard") + "?year=1800").status_code == 200


def test_budget_dashboard_query_count_is_constant(client_for, case, other_case, handler, approver):
    client = client_for(handler)
    make_measure(case, S.ORDERED, proposer=handler, decider=approver)
    small = _count(client, reverse("measures:budget-dashboard"))
    for code in ("cameras", "guarding", "burglar-alarm"):
        make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code=code)
    assert _count(client, reverse("measures:budget-dashboard")) == small


# ---------------------------------------------------------------- reference data

def test_catalogue_for_the_administrator(client_for, en, admin_user):
    client = client_for(admin_user)
    html = client.get(reverse("measures:measuretype-list")).content.decode()
    assert "Personlarm" in html and "Personal alarm" in html
    response = client.post(reverse("measures:measuretype-create"), {
        "code": "drone", "name_sv": "Drönarskydd", "name_en": "Drone protection", "category": "protection",
        "alarm_kind": "", "technical": "on", "requires_order": "on", "position": "200", "is_active": "on"})
    assert response.status_code == 302
    created = MeasureType.objects.get(code="drone")
    response = client.post(reverse("measures:measuretype-edit", args=[created.pk]), {
        "code": "drone", "name_sv": "Drönarskydd", "name_en": "Drone protection", "category": "protection",
        "alarm_kind": "", "position": "200"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert not created.is_active


def test_catalogue_errors_are_shown(client_for, admin_user):
    response = client_for(admin_user).post(reverse("measures:measuretype-create"), {"code": "personal-alarm"})
    assert response.status_code == 400


def test_catalogue_denied_to_the_handler(client_for, handler):
    assert client_for(handler).get(reverse("measures:measuretype-list")).status_code == 403
    assert client_for(handler).get(reverse("measures:measuretype-create")).status_code == 403


def test_checklist_for_the_administrator(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("measures:riskfactor-list")).status_code == 200
    factor = RiskFactor.objects.get(code="C4")
    response = client.post(reverse("measures:riskfactor-edit", args=[factor.pk]), {
        "code": "C4", "section": "C", "text_sv": "Valperiod eller folkomröstning", "text_en": "Election period",
        "position": "22", "is_active": "on"})
    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.text_sv == "Valperiod eller folkomröstning"
    assert client.get(reverse("measures:riskfactor-edit", args=[9999])).status_code == 404


def test_checklist_denied_to_the_handler(client_for, handler):
    assert client_for(handler).get(reverse("measures:riskfactor-list")).status_code == 403


# ---------------------------------------------------------------- alarm events

@pytest.fixture
def alarm_event(case, handler, approver):
    provider, _token = alarm_provider_create(actor=None, name="Larmcentralen")
    make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, alarm_identifier="PA-1")
    event, _created = services.alarm_event_receive(provider=provider, event_id="e1", alarm_identifier="PA-1",
                                                   alarm_kind="personal",
                                                   occurred_at=timezone.now() - dt.timedelta(minutes=2))
    return event


def test_on_call_sees_and_acknowledges_the_alarm(client_for, en, alarm_event, on_call):
    client = client_for(on_call)
    assert client.get(reverse("measures:alarmevent-list")).status_code == 200
    html = client.get(reverse("measures:alarmevent-detail", args=[alarm_event.pk])).content.decode()
    assert "Anna Lindqvist" in html and "Not yet acknowledged" in html
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("measures:alarmevent-detail", args=[alarm_event.pk]) in home
    assert client.get(reverse("incidents:case-detail", args=[alarm_event.case_id])).status_code == 200
    response = client.post(reverse("measures:alarmevent-acknowledge", args=[alarm_event.pk]), {"note": ""})
    assert response.status_code == 400
    response = client.post(reverse("measures:alarmevent-acknowledge", args=[alarm_event.pk]),
                           {"note": "Ringde Anna, falsklarm."})
    assert response.status_code == 302
    alarm_event.refresh_from_db()
    assert alarm_event.acknowledged_by == on_call
    again = client.post(reverse("measures:alarmevent-acknowledge", args=[alarm_event.pk]), {"note": "x"}, follow=True)
    assert "already been acknowledged" in again.content.decode()


def test_alarms_denied_to_others(client_for, alarm_event, official, approver):
    for user in (official, approver):
        client = client_for(user)
        assert client.get(reverse("measures:alarmevent-list")).status_code == 403
        assert client.get(reverse("measures:alarmevent-detail", args=[alarm_event.pk])).status_code == 403
        assert client.post(reverse("measures:alarmevent-acknowledge", args=[alarm_event.pk]),
                           {"note": "x"}).status_code == 403


def test_alarm_list_query_count_is_constant(client_for, alarm_event, on_call, handler, approver, other_case):
    client = client_for(on_call)
    small = _count(client, reverse("measures:alarmevent-list"))
    measure = make_measure(other_case, S.IN_PLACE, proposer=handler, decider=approver, code="burglar-alarm",
                           alarm_identifier="BA-1")
    for n in range(3):
        AlarmEvent.objects.create(provider=alarm_event.provider, event_id=f"x{n}", alarm_identifier="BA-1",
                                  alarm_kind="burglar", occurred_at=timezone.now(), measure=measure, case=other_case)
    assert _count(client, reverse("measures:alarmevent-list")) == small


# ---------------------------------------------------------------- the case page and home pages

def test_case_page_shows_the_panel_to_the_unit(client_for, en, proposal, handler):
    html = client_for(handler).get(reverse("incidents:case-detail", args=[proposal.case_id])).content.decode()
    assert 'id="measures-panel"' in html and "Propose a measure" in html and "Personlarm" not in html
    assert "Personal alarm" in html


def test_official_sees_decided_measures_not_the_panel(client_for, en, approved, official):
    html = client_for(official).get(reverse("incidents:case-detail", args=[approved.case_id])).content.decode()
    assert 'id="measures-panel"' not in html
    assert "Protective and support measures" in html and "Personal alarm: approved" in html
    assert "Hot om våld mot hemmet" not in html  # the proposal's reason


def test_approver_reaches_the_case_of_a_proposal(client_for, proposal, approver, other_case):
    assert client_for(approver).get(reverse("incidents:case-detail", args=[proposal.case_id])).status_code == 200
    assert client_for(approver).get(reverse("incidents:case-detail", args=[other_case.pk])).status_code == 404


def test_case_page_query_count_with_measures_is_constant(client_for, case, handler, approver):
    client = client_for(handler)
    assess(handler, case)
    make_measure(case, S.IN_PLACE, proposer=handler, decider=approver)
    small = _count(client, reverse("incidents:case-detail", args=[case.pk]))
    assess(handler, case)
    for code in ("cameras", "guarding", "burglar-alarm"):
        make_measure(case, S.APPROVED, proposer=handler, decider=approver, code=code)
    assert _count(client, reverse("incidents:case-detail", args=[case.pk])) == small


def test_home_panels(client_for, en, proposal, handler, approver):
    html = client_for(approver).get(reverse("accounts:home")).content.decode()
    assert "1 proposal waits for your decision" in html
    html = client_for(handler).get(reverse("accounts:home")).content.decode()
    assert "1 proposal waiting for a decision" in html and "Budget for measures" in html


def test_home_panel_for_the_approver_role_under_stockholm(client_for, en, stockholm, approver):
    html = client_for(approver).get(reverse("accounts:home")).content.decode()
    assert "measures are decided by: Säkerhetschef" in html


@pytest.mark.parametrize("name", ["measuretype-edit", "riskfactor-edit"])
def test_editing_reference_data_denied_to_the_unit_and_the_approver(client_for, handler, approver, name):
    target = MeasureType.objects.first() if name == "measuretype-edit" else RiskFactor.objects.first()
    for user in (handler, approver):
        assert client_for(user).get(reverse(f"measures:{name}", args=[target.pk])).status_code == 403
        assert client_for(user).post(reverse(f"measures:{name}", args=[target.pk]), {}).status_code == 403


def test_creating_a_factor_denied_to_the_unit(client_for, handler):
    assert client_for(handler).post(reverse("measures:riskfactor-create"), {"code": "D1"}).status_code == 403
    assert not RiskFactor.objects.filter(code="D1").exists()


def test_creating_a_factor_is_audited(client_for, admin_user):
    from core.models import AuditEvent

    response = client_for(admin_user).post(reverse("measures:riskfactor-create"), {
        "code": "C8", "section": "C", "text_sv": "Ensamarbete", "text_en": "Works alone", "position": "30",
        "is_active": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="risk_factor_create", reason="C8").exists()


def test_approver_decides_from_the_measure_page(client_for, proposal, approver):
    client = client_for(approver)
    html = client.get(reverse("measures:measure-detail", args=[proposal.pk])).content.decode()
    assert f'name="m{proposal.pk}-decision" value="reject"' in html
    bad = client.post(reverse("measures:measure-decide", args=[proposal.pk]),
                      {f"m{proposal.pk}-decision": "reject", "back": "measure"})
    assert bad.status_code == 400 and f'id="id_m{proposal.pk}-reason_error"' in bad.content.decode()
    response = client.post(reverse("measures:measure-decide", args=[proposal.pk]),
                           {f"m{proposal.pk}-decision": "reject", f"m{proposal.pk}-reason": "Nej.", "back": "measure"})
    assert response.status_code == 302 and response.url == reverse("measures:measure-detail", args=[proposal.pk])
