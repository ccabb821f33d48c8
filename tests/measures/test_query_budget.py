"""The approver's inbox costs the same number of queries whatever the number of proposals
(issue 10): a page of proposals at a time, what it shows of each case read for the whole page at
once, and the budget line summed in SQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import Kind
from measures import selectors
from measures.models import Measure, MeasureCost, MeasureStatus, MeasureType
from measures.views import INBOX_PAGE_SIZE

from .conftest import assess, file_report, make_measure

pytestmark = pytest.mark.django_db
S = MeasureStatus
URL = reverse("measures:measure-inbox")


def _proposals(case, handler, n: int, *, start_minutes: int = 0) -> list[Measure]:
    """`n` proposals on `case`, one per measure type, a minute apart (oldest first)."""
    made = []
    for index, measure_type in enumerate(MeasureType.objects.order_by("position", "code")[:n]):
        made.append(make_measure(case, S.PROPOSED, proposer=handler, code=measure_type.code,
                                 proposed_at=timezone.now() - dt.timedelta(minutes=1000 - start_minutes - index)))
    return made


def _ids(response) -> list[int]:
    return [m.pk for m in response.context["proposals"]]


def test_inbox_query_count_does_not_grow_with_the_proposals(client_for, case, other_case, handler, approver,
                                                            official, django_assert_num_queries):
    assess(handler, case)
    _proposals(case, handler, 1)
    client = client_for(approver)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL).context["proposals"]) == 1
    assert len(small.captured_queries) <= 10

    assess(handler, other_case)
    assess(handler, other_case, likelihood=5, consequence=5)
    incident_services.report_join_case(actor=handler, report=file_report(official, kinds=["hate", "violence"]),
                                       case=case)
    _proposals(other_case, handler, 12, start_minutes=100)
    make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code="perimeter-protection",
                 proposed_at=timezone.now())
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["proposals"]) == INBOX_PAGE_SIZE


def test_inbox_pages_the_proposals_oldest_first(client_for, case, other_case, handler, approver):
    made = _proposals(case, handler, 8) + _proposals(other_case, handler, 7, start_minutes=100)
    client = client_for(approver)
    pages = [client.get(URL, {"page": n}) for n in range(1, -(-len(made) // INBOX_PAGE_SIZE) + 1)]
    assert [pk for page in pages for pk in _ids(page)] == [m.pk for m in made]
    assert "?page=2" in pages[0].content.decode()


def test_inbox_shows_each_case_summary_on_every_page(client_for, case, handler, approver, official):
    assess(handler, case, likelihood=2, consequence=2, conclusion="Först låg.")
    latest = assess(handler, case, likelihood=5, consequence=5, conclusion="Nu hög risk.")
    incident_services.report_join_case(actor=handler, report=file_report(official, kinds=["violence", "hate"]),
                                       case=case)
    made = _proposals(case, handler, INBOX_PAGE_SIZE + 2)
    make_measure(case, S.APPROVED, proposer=handler, decider=approver, code="perimeter-protection",
                 proposed_at=timezone.now())
    response = client_for(approver).get(URL, {"page": 2})
    shown = response.context["proposals"]
    assert [m.pk for m in shown] == [m.pk for m in made[INBOX_PAGE_SIZE:]]
    for measure in shown:
        assert measure.latest.pk == latest.pk
        assert (measure.latest.level, measure.latest.likelihood, measure.latest.consequence) == (latest.level, 5, 5)
        assert measure.latest.conclusion == "Nu hög risk." and measure.latest.assessed_at == latest.assessed_at
        assert measure.report_count == 2
        assert measure.case_kinds == [str(Kind.HATE.label), str(Kind.THREAT.label), str(Kind.VIOLENCE.label)]
        assert [o.measure_type.code for o in measure.others] == ["perimeter-protection"]


def test_rejecting_without_a_reason_on_a_later_page_shows_that_page_with_the_error(client_for, case, handler,
                                                                                   approver):
    made = _proposals(case, handler, INBOX_PAGE_SIZE + 3)
    late = made[-1]
    response = client_for(approver).post(reverse("measures:measure-decide", args=[late.pk]),
                                         {f"m{late.pk}-decision": "reject", "page": "1"})
    assert response.status_code == 400
    assert response.context["page"].number == 2 and late.pk in _ids(response)
    assert "aria-invalid" in response.content.decode()


def test_deciding_on_a_later_page_returns_to_that_page(client_for, case, handler, approver):
    made = _proposals(case, handler, INBOX_PAGE_SIZE + 3)
    late = made[-1]
    response = client_for(approver).post(reverse("measures:measure-decide", args=[late.pk]),
                                         {f"m{late.pk}-decision": "approve", "page": "2"})
    assert response.status_code == 302 and response.url == f"{URL}?page=2"
    late.refresh_from_db()
    assert late.status == S.APPROVED


def test_the_budget_line_is_the_dashboards_total(case, other_case, handler, approver):
    year = timezone.localdate().year
    alarm = make_measure(case, S.ORDERED, proposer=handler, decider=approver, code="personal-alarm", cost=6_000)
    camera = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="cameras", cost=25_000)
    make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code="guarding", cost=60_000)
    for measure, amount, booked_on in ((camera, 27_500, timezone.localdate()), (alarm, 1_000, dt.date(year - 1, 6, 1))):
        MeasureCost.objects.create(measure=measure, amount_sek=amount, booked_on=booked_on, booked_by=handler)
    total, line = selectors.budget_overview(year).total, selectors.budget_total(year)
    assert (line.budget, line.committed, line.spent, line.remaining) == (
        total.budget, total.committed, total.spent, total.remaining) == (2_000_000, 60_000, 27_500, 1_912_500)


def test_the_budget_line_of_an_empty_year(db):
    line = selectors.budget_total(2001)
    assert (line.committed, line.spent) == (0, 0)
