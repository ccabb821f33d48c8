import datetime as dt

import pytest
from django.utils import timezone

from measures import selectors, services
from measures.models import Measure, MeasureCost, MeasureStatus

from .conftest import make_measure

pytestmark = pytest.mark.django_db
S = MeasureStatus
YEAR = timezone.localdate().year


def _book(measure, amount, booked_on=None, by=None):
    return MeasureCost.objects.create(measure=measure, amount_sek=amount, booked_on=booked_on or timezone.localdate(),
                                      booked_by=by or measure.proposed_by)


def test_budget_arithmetic(case, other_case, handler, approver, policy):
    assert policy.budget_measures_sek == 2_000_000 and policy.budget_training_sek == 300_000
    alarm = make_measure(case, S.ORDERED, proposer=handler, decider=approver, code="personal-alarm", cost=6_000)
    camera = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="cameras", cost=25_000)
    guarding = make_measure(other_case, S.APPROVED, proposer=handler, decider=approver, code="guarding", cost=60_000)
    ended = make_measure(other_case, S.ENDED, proposer=handler, decider=approver, code="burglar-alarm", cost=15_000)
    make_measure(other_case, S.PROPOSED, proposer=handler, code="perimeter-protection", cost=45_000)  # not decided
    make_measure(other_case, S.REJECTED, proposer=handler, decider=approver, code="cameras", cost=99_000)
    _book(camera, 27_500)  # booked: the estimate no longer counts as committed
    _book(ended, 14_000)
    _book(camera, 1_000, booked_on=dt.date(YEAR - 1, 12, 31))  # last year's budget

    overview = selectors.budget_overview(YEAR)
    total = overview.total
    assert total.budget == 2_000_000
    assert total.committed == 6_000 + 60_000  # ordered alarm + approved guarding, nothing booked on them
    assert total.spent == 27_500 + 14_000
    assert total.remaining == 2_000_000 - 66_000 - 41_500
    assert overview.training_budget == 300_000
    by_type = {row.label: row for row in overview.by_type}
    assert (by_type["Kameror"].committed, by_type["Kameror"].spent, by_type["Kameror"].approved) == (0, 27_500, 1)
    assert by_type["Personlarm"].committed == 6_000
    assert by_type["Inbrottslarm"].spent == 14_000
    assert "Skalskydd av bostaden (lås, säkerhetsdörr, film)" not in by_type
    years = dict(overview.by_year)
    assert years[YEAR].spent == 41_500 and years[YEAR - 1].spent == 1_000
    assert years[YEAR - 1].remaining == 2_000_000 - 1_000
    assert alarm.pk and guarding.pk


def test_committed_counts_in_the_year_of_the_decision(case, handler, approver):
    measure = make_measure(case, S.APPROVED, proposer=handler, decider=approver, cost=10_000)
    Measure.objects.filter(pk=measure.pk).update(decided_at=timezone.now().replace(year=YEAR - 1))
    assert selectors.budget_overview(YEAR).total.committed == 0
    assert selectors.budget_overview(YEAR - 1).total.committed == 10_000


def test_over_budget_goes_negative(case, handler, approver, policy):
    policy.budget_measures_sek = 1_000
    policy.save()
    make_measure(case, S.APPROVED, proposer=handler, decider=approver, cost=5_000)
    assert selectors.budget_overview(YEAR).total.remaining == -4_000


def test_budget_follows_the_policy_profile(stockholm):
    assert selectors.budget_overview(YEAR).total.budget == 3_000_000


def test_booking_through_the_service_moves_committed_to_spent(case, handler, approver):
    measure = make_measure(case, S.ORDERED, proposer=handler, decider=approver, cost=6_000)
    assert selectors.budget_overview(YEAR).total.committed == 6_000
    services.measure_book_cost(actor=handler, measure=measure, amount_sek=6_400)
    total = selectors.budget_overview(YEAR).total
    assert (total.committed, total.spent) == (0, 6_400)


def test_budget_query_count_is_constant(case, other_case, handler, approver, django_assert_num_queries):
    make_measure(case, S.APPROVED, proposer=handler, decider=approver)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        selectors.budget_overview(YEAR)
    for code in ("cameras", "guarding", "burglar-alarm"):
        _book(make_measure(other_case, S.IN_PLACE, proposer=handler, decider=approver, code=code), 100)
    with django_assert_num_queries(len(small.captured_queries)):
        selectors.budget_overview(YEAR)
