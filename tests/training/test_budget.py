"""Issue 15, point 6 (second half): the training budget (Sigtuna: 300 000 SEK a year) is followed
up with booked costs like the budget for measures — budget, committed, spent, remaining."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from training import selectors, services
from training.models import Session, TrainingCost, TrainingOffer

URL = reverse("training:budget")


@pytest.fixture
def sigtuna(use_profile):
    return use_profile("sigtuna")


@pytest.fixture
def costed(sigtuna, handler, make_offer, make_session):
    """An offer with two sessions this year: one estimated at 40 000, one at 25 000 with a cost
    of 31 500 booked on it; 12 000 booked on the offer itself; a cancelled session's estimate."""
    offer = make_offer(title="Riktad utbildning")
    first = make_session(offer=offer, days=3)
    second = make_session(offer=offer, days=4)
    cancelled = make_session(offer=offer, days=5)
    Session.objects.filter(pk=first.pk).update(estimated_cost_sek=40_000)
    Session.objects.filter(pk=second.pk).update(estimated_cost_sek=25_000)
    Session.objects.filter(pk=cancelled.pk).update(estimated_cost_sek=9_000)
    services.session_cancel(actor=handler, session=cancelled)
    today = timezone.localdate()
    services.training_cost_book(actor=handler, offer=offer, session=second, amount_sek=31_500, booked_on=today,
                                note="Faktura 1")
    services.training_cost_book(actor=handler, offer=offer, amount_sek=12_000, booked_on=today, note="Lokal")
    return {"offer": offer, "first": first, "second": second}


def _same_year(costed):
    """The sessions start within days; near New Year they may fall in next year."""
    return timezone.localtime(costed["first"].starts_at).year == timezone.localdate().year


def test_the_budget_is_the_policys_with_committed_spent_and_remaining(costed):
    year = timezone.localdate().year
    overview = selectors.budget_overview(year)
    total = overview.total
    assert total.budget == 300_000
    assert total.spent == 43_500
    committed = 40_000 if _same_year(costed) else 0  # the session with a cost: its estimate no longer counts
    assert total.committed == committed
    assert total.remaining == 300_000 - 43_500 - committed
    (row,) = overview.by_offer
    assert (row.offer_id, row.spent) == (costed["offer"].pk, 43_500)
    assert [c.amount_sek for c in overview.costs] == [12_000, 31_500] or [c.amount_sek for c in overview.costs] == [
        31_500, 12_000]
    assert dict(overview.by_year)[year].spent == 43_500


def test_a_follow_up_reports_period_gets_the_training_costs(costed):
    today = timezone.localdate()
    figures = selectors.budget_in_period(today.replace(month=1, day=1), today.replace(month=12, day=31))
    assert figures.spent == 43_500
    assert figures.committed == (40_000 if _same_year(costed) else 0)
    assert selectors.budget_in_period(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).spent == 0


def test_booking_a_cost_is_audited(costed):
    event = AuditEvent.objects.filter(action="training_cost_book").order_by("id").first()
    assert event.to_state == "31500" and f"offer {costed['offer'].pk}" in event.reason


@pytest.mark.parametrize(("fields", "field"), [
    ({"amount_sek": 0}, "amount_sek"),
    ({"amount_sek": -5}, "amount_sek"),
    ({"amount_sek": None}, "amount_sek"),
    ({"amount_sek": 100, "booked_on": "future"}, "booked_on"),
])
def test_a_bad_cost_is_refused_next_to_its_field(sigtuna, handler, make_offer, fields, field):
    offer = make_offer()
    if fields.get("booked_on") == "future":
        fields = {**fields, "booked_on": timezone.localdate() + dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as info:
        services.training_cost_book(actor=handler, offer=offer, **fields)
    assert field in info.value.error_dict
    assert not TrainingCost.objects.exists()


def test_a_cost_on_another_offers_session_is_refused(sigtuna, handler, make_offer, make_session):
    offer, other = make_offer(), make_offer(title="Annat")
    session = make_session(offer=other)
    with pytest.raises(ValidationError) as info:
        services.training_cost_book(actor=handler, offer=offer, session=session, amount_sek=100)
    assert "session" in info.value.error_dict


def test_only_the_unit_books_costs(sigtuna, official, approver, admin_user, make_offer):
    offer = make_offer()
    for user in (official, approver, admin_user):
        with pytest.raises(PermissionDenied):
            services.training_cost_book(actor=user, offer=offer, amount_sek=100)


@pytest.mark.parametrize("persona", ["handler", "admin_user"])
def test_the_unit_and_the_administrator_see_the_budget(costed, client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["overview"].total.spent == 43_500
    assert "300\u00a0000" in response.content.decode()


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "body_officer"])
def test_others_do_not_see_the_budget(sigtuna, client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_a_strange_year_shows_this_year(costed, client_for, handler):
    response = client_for(handler).get(URL, {"year": "drop table"})
    assert response.status_code == 200 and response.context["overview"].year == timezone.localdate().year


def test_the_cost_form_books_and_a_bad_amount_is_shown_next_to_the_field(sigtuna, client_for, handler, official,
                                                                         make_offer):
    offer = make_offer()
    url = reverse("training:cost-book", args=[offer.pk])
    today = timezone.localdate().isoformat()
    assert client_for(official).post(url, {"cost-amount_sek": "500", "cost-booked_on": today}).status_code == 403
    bad = client_for(handler).post(url, {"cost-amount_sek": "-1", "cost-booked_on": today})
    assert bad.status_code == 400 and "amount_sek" in bad.context["cost_form"].errors
    ok = client_for(handler).post(url, {"cost-amount_sek": "4200", "cost-booked_on": today, "cost-note": "Fika"})
    assert ok.status_code == 302
    assert TrainingCost.objects.get().amount_sek == 4200


def test_a_session_estimate_is_entered_with_the_session(sigtuna, client_for, handler, make_offer):
    offer = make_offer()
    start = (timezone.localtime() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    response = client_for(handler).post(reverse("training:session-create", args=[offer.pk]), {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + dt.timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M"), "place": "Sal A", "capacity": "10", "estimated_cost_sek": "18000"})
    assert response.status_code == 302
    assert Session.objects.get(offer=offer).estimated_cost_sek == 18_000


def test_the_budget_page_reads_a_constant_number_of_queries(sigtuna, client_for, handler, make_offer, make_session,
                                                             django_assert_num_queries):
    def add(n):
        for i in range(n):
            offer = make_offer(title=f"Utbildning {TrainingOffer.objects.count()}")
            Session.objects.filter(pk=make_session(offer=offer, days=2).pk).update(estimated_cost_sek=1000 + i)
            services.training_cost_book(actor=handler, offer=offer, amount_sek=500 + i)

    client = client_for(handler)
    add(2)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    add(8)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["overview"].by_offer) == 10
