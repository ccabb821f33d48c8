"""Sigtuna (seed 004): "både Teknik- och servicekontoret och Trygghetsenheten [ska] kunna beställa
säkerhetshöjande åtgärder i form av larm, kameror etc." The technical office is a role with its
own queue of approved measures to order — technical measures only (the catalogue's data,
`MeasureType.technical`), and only where the policy lists it among the orderers. Rules, the
service, the pages (allowed and denied), the home panel, the menu and the query budget."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.workflow import InvalidTransition
from measures import permissions as perms
from measures import selectors, services
from measures.models import MeasureStatus, OrderedVia
from measures.permissions import MeasureAction

from .conftest import clear_outbox, make_measure, sent_to

pytestmark = pytest.mark.django_db
S = MeasureStatus
QUEUE = "measures:order-queue"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def alarm(case, handler, approver):
    """An approved personal alarm (technical) waiting for its order."""
    return make_measure(case, S.APPROVED, proposer=handler, decider=approver, code="personal-alarm",
                        details="Personlarm med GPS")


@pytest.fixture
def guarding(case, handler, approver):
    """An approved guarding (not technical): the security unit's to order, never the office's."""
    return make_measure(case, S.APPROVED, proposer=handler, decider=approver, code="guarding")


# ---------------------------------------------------------------- the rules

def test_the_technical_office_may_order_only_approved_technical_measures(alarm, guarding, technical_office):
    assert perms.available_actions(alarm, technical_office) == {MeasureAction.ORDER}
    assert perms.available_actions(guarding, technical_office) == frozenset()
    assert perms.order_choices(alarm, None, technical_office) == [OrderedVia.TECHNICAL_OFFICE]
    assert perms.order_choices(guarding, None, technical_office) == []


@pytest.mark.parametrize("status", [S.PROPOSED, S.REJECTED, S.WITHDRAWN, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW,
                                    S.ENDED])
def test_the_technical_office_has_no_action_outside_approved(case, handler, approver, technical_office, status):
    measure = make_measure(case, status, proposer=handler, decider=approver, code="personal-alarm")
    assert perms.available_actions(measure, technical_office) == frozenset()


def test_the_unit_orders_everything_itself_or_records_the_offices_order(alarm, guarding, handler):
    assert perms.order_choices(alarm, None, handler) == [OrderedVia.SECURITY_UNIT, OrderedVia.TECHNICAL_OFFICE]
    assert perms.order_choices(guarding, None, handler) == [OrderedVia.SECURITY_UNIT]


def test_under_stockholm_the_technical_office_orders_nothing(stockholm, alarm, technical_office, handler):
    assert perms.order_scope(technical_office) is None
    assert perms.available_actions(alarm, technical_office) == frozenset()
    assert perms.order_choices(alarm, None, handler) == [OrderedVia.SECURITY_UNIT]


def test_no_one_else_orders(alarm, approver, official, on_call, party_contact, chief):
    for user in (approver, official, on_call, party_contact, chief):
        assert perms.order_scope(user) is None
        assert MeasureAction.ORDER not in perms.available_actions(alarm, user)


def test_the_queue_holds_what_each_may_order(alarm, guarding, case, handler, approver, technical_office):
    in_place = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="cameras")
    self_given = make_measure(case, S.APPROVED, proposer=handler, decider=approver, code="crisis-support")
    assert list(selectors.order_queue(technical_office)) == [alarm]
    assert set(selectors.order_queue(handler)) == {alarm, guarding}
    assert in_place not in selectors.order_queue(handler) and self_given not in selectors.order_queue(handler)


# ---------------------------------------------------------------- the service

def test_the_technical_office_orders_an_approved_alarm_and_the_handler_is_told(
        alarm, technical_office, handler, django_capture_on_commit_callbacks):
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        measure = services.measure_order(actor=technical_office, measure=alarm, supplier="Larmbolaget AB",
                                         order_reference="TSK-17")
    assert (measure.status, measure.ordered_by, measure.ordered_via, measure.order_reference) == (
        S.ORDERED, technical_office, OrderedVia.TECHNICAL_OFFICE, "TSK-17")
    told = sent_to(handler)
    assert len(told) == 1 and alarm.case.reference in told[0].subject
    assert "Larmbolaget" not in told[0].body and "GPS" not in told[0].body  # no order details by e-mail


def test_the_technical_office_may_not_order_a_measure_that_is_not_technical(guarding, technical_office):
    with pytest.raises(PermissionDenied):
        services.measure_order(actor=technical_office, measure=guarding)
    guarding.refresh_from_db()
    assert guarding.status == S.APPROVED


def test_the_technical_office_may_not_record_an_order_as_the_units(alarm, technical_office):
    with pytest.raises(ValidationError) as exc:
        services.measure_order(actor=technical_office, measure=alarm, ordered_via=OrderedVia.SECURITY_UNIT)
    assert "ordered_via" in exc.value.message_dict


@pytest.mark.parametrize("status", [S.PROPOSED, S.REJECTED, S.WITHDRAWN, S.ORDERED, S.IN_PLACE, S.UNDER_REVIEW,
                                    S.ENDED])
def test_ordering_refuses_every_illegal_start_state(case, handler, approver, technical_office, status):
    """The state is checked before the actor: the same refusal for the unit and the office."""
    measure = make_measure(case, status, proposer=handler, decider=approver, code="personal-alarm")
    for actor in (technical_office, handler):
        with pytest.raises(InvalidTransition):
            services.measure_order(actor=actor, measure=measure)
    measure.refresh_from_db()
    assert measure.status == status


def test_under_stockholm_the_technical_office_is_refused(stockholm, alarm, technical_office):
    with pytest.raises(PermissionDenied):
        services.measure_order(actor=technical_office, measure=alarm)


# ---------------------------------------------------------------- the pages

def test_the_technical_office_sees_its_queue_and_nothing_more(client_for, en, alarm, guarding, technical_office):
    response = client_for(technical_office).get(reverse(QUEUE))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Personal alarm for Anna Lindqvist" in html and "Personlarm med GPS" in html
    assert "Guarding" not in html
    assert alarm.reason not in html  # why it was proposed is the unit's and the approver's business
    assert "Storgatan" not in html and "073-" not in html  # no private data
    assert reverse("measures:measure-detail", args=[alarm.pk]) not in html
    assert "Trygghetsenheten gives you the address" in html


def test_the_queue_is_denied_to_others(client_for, alarm, official, approver, on_call, party_contact):
    for user in (official, approver, on_call, party_contact):
        assert client_for(user).get(reverse(QUEUE)).status_code == 403


def test_under_stockholm_the_technical_office_is_told_who_orders(client_for, en, stockholm, alarm, technical_office):
    response = client_for(technical_office).get(reverse(QUEUE))
    html = response.content.decode()
    assert response.status_code == 200
    assert "the technical office does not order measures" in html and "Personal alarm" not in html


def test_the_unit_sees_every_measure_to_order_with_links(client_for, en, alarm, guarding, handler):
    html = client_for(handler).get(reverse(QUEUE)).content.decode()
    assert "Personal alarm for" in html and "Guarding for" in html
    assert reverse("measures:measure-detail", args=[alarm.pk]) in html


def test_the_technical_office_orders_from_its_queue(client_for, en, alarm, technical_office):
    client = client_for(technical_office)
    response = client.post(reverse("measures:order-queue-order", args=[alarm.pk]),
                           {f"o{alarm.pk}-ordered_via": "technical_office", f"o{alarm.pk}-supplier": "Larm AB"},
                           follow=True)
    assert response.status_code == 200
    assert "Ordered: Personal alarm for Anna Lindqvist." in response.content.decode()
    alarm.refresh_from_db()
    assert (alarm.status, alarm.ordered_via, alarm.supplier) == (S.ORDERED, "technical_office", "Larm AB")


def test_ordering_from_the_queue_is_denied_to_others(client_for, alarm, approver, official):
    url = reverse("measures:order-queue-order", args=[alarm.pk])
    assert client_for(approver).post(url, {f"o{alarm.pk}-ordered_via": "security_unit"}).status_code == 403
    assert client_for(official).post(url, {f"o{alarm.pk}-ordered_via": "security_unit"}).status_code == 403
    alarm.refresh_from_db()
    assert alarm.status == S.APPROVED


def test_the_technical_office_gets_404_for_a_measure_it_may_not_order(client_for, guarding, technical_office):
    url = reverse("measures:order-queue-order", args=[guarding.pk])
    assert client_for(technical_office).post(url, {f"o{guarding.pk}-ordered_via": "technical_office"}
                                             ).status_code == 404
    assert client_for(technical_office).get(reverse("measures:measure-detail", args=[guarding.pk])).status_code == 404


def test_a_measure_ordered_a_moment_before_gets_a_clear_message(client_for, en, alarm, handler, technical_office):
    services.measure_order(actor=handler, measure=alarm)
    response = client_for(technical_office).post(
        reverse("measures:order-queue-order", args=[alarm.pk]), {f"o{alarm.pk}-ordered_via": "technical_office"},
        follow=True)
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
    alarm.refresh_from_db()
    assert alarm.ordered_by == handler


def test_a_way_the_policy_does_not_allow_is_an_error_next_to_the_form(client_for, en, alarm, technical_office):
    response = client_for(technical_office).post(
        reverse("measures:order-queue-order", args=[alarm.pk]), {f"o{alarm.pk}-ordered_via": "security_unit"})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    alarm.refresh_from_db()
    assert alarm.status == S.APPROVED


def test_ordering_needs_post(client_for, alarm, technical_office):
    assert client_for(technical_office).get(reverse("measures:order-queue-order", args=[alarm.pk])).status_code == 405


def test_the_queue_keeps_a_constant_query_count(client_for, case, handler, approver, technical_office,
                                                django_assert_num_queries):
    make_measure(case, S.APPROVED, proposer=handler, decider=approver, code="personal-alarm")
    client = client_for(technical_office)
    client.get(reverse(QUEUE))  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(QUEUE))
    for code in ("cameras", "burglar-alarm", "safety-alarm", "perimeter-protection"):
        make_measure(case, S.APPROVED, proposer=handler, decider=approver, code=code)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(reverse(QUEUE)).status_code == 200


# ---------------------------------------------------------------- home and menu

def test_the_technical_office_home_panel_counts_its_queue(client_for, en, alarm, guarding, technical_office):
    html = client_for(technical_office).get(reverse("accounts:home")).content.decode()
    assert "1 approved measure waits for your order" in html and reverse(QUEUE) in html


def test_the_menu_entry_for_those_who_order(client_for, handler, technical_office, approver):
    assert reverse(QUEUE) in client_for(technical_office).get(reverse("accounts:home")).content.decode()
    assert reverse(QUEUE) in client_for(handler).get(reverse("accounts:home")).content.decode()
    assert reverse(QUEUE) not in client_for(approver).get(reverse("accounts:home")).content.decode()
