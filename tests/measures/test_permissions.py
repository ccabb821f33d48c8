import datetime as dt

import pytest
from django.utils import timezone

from incidents.permissions import cases_for_user
from measures import permissions as perms
from measures import selectors
from measures.models import AlarmEvent, MeasureStatus
from measures.permissions import MeasureAction
from measures.services import alarm_provider_create

from .conftest import assess, make_measure, propose

pytestmark = pytest.mark.django_db
S = MeasureStatus


def test_approver_sees_only_cases_with_measures(case, other_case, handler, approver):
    assert not cases_for_user(approver).exists()
    propose(handler, case)
    assert list(cases_for_user(approver)) == [case]


def test_approver_role_sees_nothing_under_stockholm(stockholm, case, handler, approver):
    propose(handler, case)
    assert not cases_for_user(approver).exists()
    assert not perms.measures_for_user(approver).exists()


def test_on_call_sees_cases_with_a_recent_alarm(case, other_case, handler, approver, on_call):
    measure = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, alarm_identifier="PA-1")
    provider, _token = alarm_provider_create(actor=None, name="Central")
    assert not cases_for_user(on_call).filter(pk=case.pk).exists()
    event = AlarmEvent.objects.create(provider=provider, event_id="1", alarm_identifier="PA-1", alarm_kind="personal",
                                      occurred_at=timezone.now(), measure=measure, case=case)
    assert cases_for_user(on_call).filter(pk=case.pk).exists()
    AlarmEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - dt.timedelta(days=31))
    assert not cases_for_user(on_call).filter(pk=case.pk).exists()


@pytest.mark.parametrize(("status", "expected"), [
    (S.PROPOSED, {MeasureAction.WITHDRAW}),
    (S.APPROVED, {MeasureAction.ORDER, MeasureAction.END, MeasureAction.BOOK_COST}),
    (S.ORDERED, {MeasureAction.MARK_IN_PLACE, MeasureAction.END, MeasureAction.BOOK_COST}),
    (S.IN_PLACE, {MeasureAction.START_REVIEW, MeasureAction.END, MeasureAction.BOOK_COST}),
    (S.UNDER_REVIEW, {MeasureAction.FINISH_REVIEW, MeasureAction.END, MeasureAction.BOOK_COST}),
    (S.ENDED, {MeasureAction.BOOK_COST}),
    (S.REJECTED, set()),
    (S.WITHDRAWN, set()),
])
def test_the_units_buttons_by_status(case, handler, approver, official, status, expected):
    measure = make_measure(case, status, proposer=official, decider=approver)
    assert perms.available_actions(measure, handler) == {MeasureAction.VIEW} | expected


def test_the_approvers_buttons(case, handler, approver):
    measure = propose(handler, case)
    assert perms.available_actions(measure, approver) == {MeasureAction.VIEW, MeasureAction.APPROVE,
                                                          MeasureAction.REJECT}
    assert perms.available_actions(measure, handler) == {MeasureAction.VIEW, MeasureAction.WITHDRAW}


def test_officials_and_party_see_no_measure_actions(case, handler, official, party_contact, on_call):
    measure = propose(handler, case)
    for user in (official, party_contact, on_call):
        assert perms.available_actions(measure, user) == frozenset()


def test_timeline_hides_reasons_and_proposals_from_others(case, handler, approver, official):
    assess(handler, case)
    measure = propose(handler, case)
    rejected = propose(handler, case, code="cameras")
    from measures import services

    services.measure_approve(actor=approver, measure=measure, reason="Beviljas för att ...")
    services.measure_reject(actor=approver, measure=rejected, reason="Hemligt skäl")
    unit = selectors.timeline_items(case, handler)
    others = selectors.timeline_items(case, official)
    assert any("Hemligt skäl" in i.body for i in unit)
    assert not any(i.body for i in others)
    assert [i.kind for i in others] == ["assessment", "measure"]
    assert "approved" in others[1].title.lower() or "beviljad" in others[1].title.lower()


def test_official_section_only_for_the_official_themselves(case, handler, approver, official, party_contact):
    services_measure = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver)
    assert services_measure.pk
    assert selectors.official_sections([case], official)[case.pk][0].lines
    assert selectors.official_sections([case], party_contact) == {}
    assert selectors.official_sections([case], handler) == {}
