"""The figures the follow-up report gathers, for the municipality and for one party, and the
bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import selectors
from reports.periods import Period
from reports.tables import iter_tables, suppress

from .conftest import PERIOD, TODAY, add_cases_and_measures, add_surveys, add_training, build_world

pytestmark = pytest.mark.django_db


def raw(data, table_id, row_key, column="reports"):
    """A raw (unsuppressed) figure."""
    for table in iter_tables(data):
        if table["id"] == table_id:
            for r in table["rows"] + ([table["total"]] if table["total"] else []):
                if r["key"] == row_key:
                    return r["cells"][column]["value"]
    raise KeyError((table_id, row_key, column))


def people(data, table_id, row_key, column="reports"):
    for table in iter_tables(data):
        if table["id"] == table_id:
            for r in table["rows"] + ([table["total"]] if table["total"] else []):
                if r["key"] == row_key:
                    return r["cells"][column]["people"]
    raise KeyError((table_id, row_key))


def rows(data, table_id):
    return [r["key"] for t in iter_tables(data) if t["id"] == table_id for r in t["rows"]]


@pytest.fixture
def municipality(full_world):
    return selectors.followup_data(PERIOD, today=TODAY)


@pytest.fixture
def s_version(full_world, party):
    return selectors.followup_data(PERIOD, party_id=party.pk, today=TODAY)


def test_reports_by_kind_channel_and_totals(municipality):
    d = municipality
    assert raw(d, "reports_by_kind", "total") == 21
    assert raw(d, "reports_by_kind", "total", "officials") == 13
    assert raw(d, "reports_by_kind", "threat") == 13
    assert people(d, "reports_by_kind", "threat") == 12
    assert raw(d, "reports_by_kind", "hate") == 4
    assert raw(d, "reports_by_channel", "email") == 6
    assert raw(d, "reports_by_channel", "letter") == 7


def test_a_report_counts_in_the_month_it_happened_and_the_new_years_eve_report_is_outside(municipality):
    d = municipality
    assert raw(d, "reports_by_month", "2026-02") == 6
    assert raw(d, "reports_by_month", "2026-05") == 9
    assert raw(d, "reports_by_month", "2026-01") == 1  # the threat over a period from 1 January
    assert raw(d, "reports_by_month", "2026-09") == 4
    assert sum(raw(d, "reports_by_month", f"2026-{m:02d}") for m in range(1, 13)) == 21


def test_groups_by_party_gender_age_and_assignment(municipality, party, other_party):
    d = municipality
    assert raw(d, "reports_by_party", str(party.pk)) == 11
    assert raw(d, "reports_by_party", str(other_party.pk)) == 9  # 7 letters, the joint report, the damage
    assert raw(d, "reports_by_gender", "woman") == 14
    assert raw(d, "reports_by_gender", "man") == 8
    assert raw(d, "reports_by_age", "30_39") == 2  # v1, born 1990
    # every official is a member; six S officials became municipal commissioners in October
    assert raw(d, "reports_by_role", "ledamot") == 21
    assert raw(d, "reports_by_role", "kommunalrad") == 11
    assert raw(d, "reports_by_role", "none") == 0


def test_a_joint_link_decision_overrides_the_report_and_police_reports_are_counted(municipality):
    d = municipality
    # four reports said "linked"; the joint assessment of s2's case says "not linked"
    assert raw(d, "reports_linked", "linked") == 3
    assert raw(d, "reports_linked", "not_linked") == 1
    assert raw(d, "reports_linked", "unsure") == 17
    assert raw(d, "reports_police", "true") == 4
    assert round(raw(d, "reports_police", "true", "share"), 1) == round(400 / 21, 1)


def test_cases_measures_and_costs(municipality, policy):
    d = municipality
    assert raw(d, "cases_flow", "opened", "cases") == 8
    assert raw(d, "cases_flow", "closed", "cases") == 1
    assert raw(d, "cases_flow", "open", "cases") == 7
    assert raw(d, "cases_by_status", "measures", "cases") == 6
    assert raw(d, "measures_by_type", "total", "approved") == 7
    assert raw(d, "measures_by_type", "total", "committed") == 6 * 7000
    assert raw(d, "measures_by_type", "total", "spent") == 5500
    assert raw(d, "measures_budget", "measures", "budget") == policy.budget_measures_sek
    assert raw(d, "measures_budget", "measures", "remaining") == policy.budget_measures_sek - 42000 - 5500


def test_training_coverage_and_security_conversations(municipality):
    d = municipality
    assert raw(d, "training_coverage", "covered", "officials") == 6
    assert raw(d, "training_coverage", "covered", "trained") == 5
    assert raw(d, "training_coverage", "all", "officials") == 16
    assert raw(d, "training_completed", "total", "completions") == 5
    assert raw(d, "conversations", "yearly", "conversations") == 4
    assert raw(d, "conversations_covered", "covered", "talked") == 4


def test_election_periods_are_marked(municipality):
    d = municipality
    [window] = d["elections"]
    assert window["election_day"] == dt.date(2026, 9, 13)
    assert window["term_start"] == dt.date(2026, 10, 15)
    months = {r["key"]: r for t in iter_tables(d) if t["id"] == "reports_by_month" for r in t["rows"]}
    assert months["2026-06"]["chart"]["election_period"] and months["2026-10"]["chart"]["election_period"]
    assert not months["2026-05"]["chart"]["election_period"]
    assert not months["2026-11"]["chart"]["election_period"]
    assert months["2026-09"]["chart"]["events"]
    assert raw(d, "reports_election", "during") == 4


def test_survey_results_beside_the_previous_round(full_world):
    add_surveys(full_world)
    data = selectors.followup_data(PERIOD, today=TODAY)
    [survey] = [t for t in iter_tables(data) if t["id"] == "survey_safety"]
    assert [c["label"] for c in survey["columns"]] == ["Trygghetsundersökning 2023", "Trygghetsundersökning 2025"]
    exposed = survey["rows"][1]["cells"]
    first, second = (exposed[c["key"]]["settled"] for c in survey["columns"])
    # already protected, as each round's own results page shows it
    assert (first.value, first.display) == (50.0, "50\u00a0%")
    assert (second.value, second.display) == (None, "<5")  # three exposed
    shown = suppress(data)
    [survey] = [t for t in iter_tables(shown) if t["id"] == "survey_safety"]
    assert [survey["rows"][1]["cells"][c["key"]]["display"] for c in survey["columns"]] == ["50\u00a0%", "<5"]


def test_a_period_shorter_than_a_year_prorates_the_budget(full_world, policy):
    half = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    data = selectors.followup_data(half, today=TODAY)
    assert raw(data, "measures_budget", "measures", "budget") == round(policy.budget_measures_sek * 181 / 365)
    assert rows(data, "reports_by_month") == [f"2026-{m:02d}" for m in range(1, 7)]
    assert raw(data, "reports_by_kind", "total") == 16  # no September or November reports


# ---------------------------------------------------------------- the party version


def test_the_party_version_counts_only_the_partys_members(s_version, party):
    d = s_version
    assert d["party"]["name"] == "Socialdemokraterna"
    assert raw(d, "reports_by_kind", "total") == 11  # ten S reports and the joint report
    assert raw(d, "reports_by_kind", "total", "officials") == 6
    assert raw(d, "reports_by_kind", "threat") == 6
    assert raw(d, "reports_by_channel", "letter") == 0
    assert raw(d, "reports_by_kind", "extortion") == 0
    # the joint report about s5 and m2: counted, but only s5 as a person
    assert raw(d, "reports_by_kind", "violence") == 1
    assert people(d, "reports_by_kind", "violence") == 1
    assert rows(d, "reports_by_party") == [str(party.pk)]
    assert raw(d, "reports_by_gender", "man") == 1  # s6; m2 of the joint report is not counted


def test_the_party_version_has_no_other_partys_cases_measures_or_training(s_version):
    d = s_version
    assert raw(d, "cases_flow", "opened", "cases") == 2
    assert raw(d, "measures_by_type", "total", "approved") == 1
    assert raw(d, "measures_by_type", "total", "committed") == 0
    assert raw(d, "training_coverage", "all", "officials") == 8
    assert "remaining" not in {c for t in iter_tables(d) if t["id"] == "measures_budget"
                               for c in t["rows"][0]["cells"]}


def test_the_party_version_has_no_survey_section(surveyed_world, party):
    data = selectors.followup_data(PERIOD, party_id=party.pk, today=TODAY)
    assert "surveys" not in [s["id"] for s in data["sections"]]


def test_the_party_version_of_another_party(full_world, other_party):
    d = selectors.followup_data(PERIOD, party_id=other_party.pk, today=TODAY)
    assert raw(d, "reports_by_kind", "total") == 9  # seven letters, the joint report, the damage
    assert raw(d, "reports_by_channel", "email") == 0


# ---------------------------------------------------------------- queries


def _count_queries(party_id=None):
    with CaptureQueriesContext(connection) as ctx:
        selectors.followup_data(PERIOD, party_id=party_id, today=TODAY)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("scope", ["municipality", "party"])
def test_the_number_of_queries_does_not_grow_with_the_data(handler, approver, party, other_party, scope,
                                                           django_assert_max_num_queries):
    world = build_world(handler=handler, party=party, other_party=other_party)
    add_cases_and_measures(world, handler, approver)
    add_training(world, handler)
    add_surveys(world)
    party_id = party.pk if scope == "party" else None
    small = _count_queries(party_id)
    more = build_world(handler=handler, party=party, other_party=other_party, copies=3, tag="x")
    add_training(more, handler)
    with django_assert_max_num_queries(small):
        data = selectors.followup_data(PERIOD, party_id=party_id, today=TODAY)
    assert raw(data, "reports_by_kind", "total") == (21 * 4 if scope == "municipality" else 11 * 4)
    assert small <= 70
