"""The results page costs the same number of queries whatever the number of answers and earlier
rounds (issue 10): a sealed round's figures come from its tally, stored when it was sealed, and
are the very figures its answers give."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Policy
from surveys import selectors
from surveys.models import Answer, Item, Response, Round, SurveyType
from surveys.services import plan_survey_rounds, round_seal

from .conftest import answered_round, safety_sheet

pytestmark = pytest.mark.django_db


def _sheets(n: int, offset: int = 0) -> list[dict]:
    genders, ages = ("woman", "man", "other"), ("30_39", "40_49", "50_59", "60_69")
    return [safety_sheet(genders[(i + offset) % 3], ages[(i + offset) % 4], ["kf_member", "ks"][: 1 + i % 2],
                         E1="yes_once" if (i + offset) % 3 == 0 else "no", F3="fairly", W1="very")
            for i in range(n)]


def _sealed(sheets, year: int, **fields) -> Round:
    round_ = answered_round(sheets, reference_year=year - 1, opens_on=date(year, 2, 1), closes_on=date(year, 3, 14),
                            **fields)
    round_seal(round_=round_)
    round_.refresh_from_db()
    return round_


def _results_queries(client, round_) -> list[dict]:
    url = reverse("surveys:round-results", args=[round_.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries


def test_results_query_count_does_not_grow_with_the_answers_or_the_rounds(item_bank, client_for, handler):
    client = client_for(handler)
    _sealed(_sheets(5), 2011)
    small = _results_queries(client, _sealed(_sheets(6), 2013, non_respondents=2))
    assert len(small) <= 10
    for year in (2015, 2017, 2019, 2021, 2023):
        _sealed(_sheets(8, offset=year), year)
    large = _results_queries(client, _sealed(_sheets(40), 2025, non_respondents=9))
    assert len(large) == len(small)
    assert not any("surveys_answer" in q["sql"] for q in large)  # sealed: the tallies, not the answers


def test_a_sealed_round_gives_the_figures_its_answers_give(item_bank):
    earlier = answered_round(_sheets(7, offset=1), opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 14))
    round_ = answered_round(_sheets(12) + [{"B2": "other"}, safety_sheet(E8="yes_many")], non_respondents=3)
    counted = selectors.round_results(round_)  # not sealed yet: counted from the answers
    assert counted.comparison and len(counted.comparison.columns) == 2 and counted.breakdowns
    round_seal(round_=earlier)
    round_seal(round_=round_)
    round_.refresh_from_db()
    assert round_.tally["version"] == selectors.TALLY_VERSION
    assert selectors.round_results(round_) == counted


def test_the_planner_counts_a_round_sealed_without_a_tally(item_bank):
    round_ = answered_round(_sheets(5))
    Round.objects.filter(pk=round_.pk).update(sealed=True)
    done = plan_survey_rounds(timezone.localdate(), Policy.current())
    round_.refresh_from_db()
    assert f"counted the answers of round {round_.pk}" in done
    assert round_.tally["exposure"] == [2, 5] and round_.tally["items"]["E1"] == {
        "base": 5, "options": {"yes_once": 2, "no": 3}, "yes": 2}


def test_an_internal_control_round_compares_its_yes_shares(item_bank):
    sheets = [{"IC1": "yes", "IC2": "no", "IC3": "unsure", "IC4": "yes"}] * 4 + [{"IC1": "no", "IC2": "yes"}] * 2
    earlier = answered_round(sheets[:5], survey_type=SurveyType.INTERNAL_CONTROL, opens_on=date(2024, 9, 1),
                             closes_on=date(2024, 10, 12))
    round_ = answered_round(sheets, survey_type=SurveyType.INTERNAL_CONTROL, opens_on=date(2025, 9, 1),
                            closes_on=date(2025, 10, 12))
    counted = selectors.round_results(round_)
    round_seal(round_=earlier)
    round_seal(round_=round_)
    round_.refresh_from_db()
    assert selectors.round_results(round_) == counted
    assert [c.display for c in counted.comparison.row("IC1").cells] == ["<5", "<5"]  # four "yes" in each
    assert [c.value for c in counted.comparison.row("rate").cells] == [100.0, 100.0]
    assert round_.tally["items"]["IC1"] == {"base": 6, "options": {"yes": 4, "no": 2}, "yes": 4}


def test_a_tally_no_longer_matching_the_responses_is_not_used(item_bank):
    """Answers written without the services (a seeding script) after the round was sealed: the
    results count the answers until the planner stores the tally again."""
    round_ = _sealed(_sheets(6), 2025)
    before = selectors.round_results(round_)
    response = Response.objects.create(round=round_)
    e1 = Item.objects.get(code="E1")
    Answer.objects.create(response=response, item=e1, option=e1.options.get(code="yes_many"))
    after = selectors.round_results(round_)
    assert (before.responses.display, after.responses.display) == ("6", "7")
    assert before != after
    assert f"counted the answers of round {round_.pk}" in plan_survey_rounds(timezone.localdate(), Policy.current())
    round_.refresh_from_db()
    assert round_.tally["responses"] == 7 and round_.tally["exposure"] == [3, 7]
    assert selectors.round_results(round_) == after
