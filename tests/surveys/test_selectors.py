"""Results of a round with a known fixture: the right shares, small groups suppressed, the
national comparison and earlier rounds."""

from datetime import date, timedelta

import pytest

from surveys import selectors
from surveys.models import SurveyType

from .conftest import answered_round, make_round, safety_sheet

pytestmark = pytest.mark.django_db


def known_sheets() -> list[dict]:
    return [
        safety_sheet("woman", "40_49", ["kf_member"], E1="yes_once", F3="very", F1=["email"]),  # r1 exposed
        safety_sheet("woman", "40_49", ["kf_member", "ks"], E2="yes_many", F3="fairly"),  # r2 exposed
        safety_sheet("man", "50_59", ["committee"], E5="yes_once", F3="fairly"),  # r3 exposed
        safety_sheet("man", "50_59", ["committee"], E8="yes_once", F3="not_very"),  # r4: own item only
        safety_sheet("woman", "30_39", ["kf_member"]),
        safety_sheet("woman", "60_69", ["kf_substitute"]),
        safety_sheet("woman", "60_69", ["committee"]),
        safety_sheet("man", "60_69", ["kf_member"]),
        safety_sheet("man", "70plus", ["kf_member"]),
        {"B2": "other"},  # answered no exposure item: outside the PTU base
        safety_sheet("woman", "50_59", ["committee"], E1="yes_once", E3="yes_once", F3="very"),  # r11 exposed
        safety_sheet("man", "50_59", ["kf_member"]),
    ]


@pytest.fixture
def known_round(item_bank):
    return answered_round(known_sheets(), non_respondents=3)


@pytest.fixture
def results(known_round):
    return selectors.round_results(known_round)


def test_response_rate(results):
    assert (results.invited, results.answered, results.responses) == (15, 12, 12)
    assert results.response_rate.display == "80 %"
    assert results.available and not results.suppressed


def test_exposure_share_by_the_ptu_definition(results, known_round):
    assert (results.exposure.count, results.exposure.base) == (4, 11)
    assert results.exposure.display == "36 %"
    share = selectors.exposure_share(known_round)
    assert (share.count, share.base) == (4, 11)


def test_own_exposure_items_do_not_count_for_ptu(item_bank):
    round_ = answered_round([safety_sheet(E8="yes_many", E9="yes_once") for _n in range(5)])
    assert selectors.exposure_share(round_).count == 0


def test_national_figures_beside_the_local_share(results):
    assert [row.year for row in results.national] == [2012, 2014, 2016, 2018, 2020, 2022]
    assert [int(row.percent) for row in results.national] == [20, 28, 25, 30, 26, 29]
    assert "33" in results.national[3].note
    assert results.national_match.year == 2022  # the latest at or before the reference year 2024


def test_each_items_distribution(results):
    items = {item.code: item for item in results.items}
    e1 = {o.code: (o.count, round(o.percent)) for o in items["E1"].options}
    assert items["E1"].base == 11
    assert e1 == {"no": (9, 82), "yes_once": (2, 18), "yes_many": (0, 0), "dont_know": (0, 0)}
    f3 = items["F3"]
    assert f3.base == 5 and not f3.suppressed
    assert {o.code: o.count for o in f3.options} == {"not_at_all": 0, "not_very": 1, "fairly": 2, "very": 2}
    assert f3.mean == pytest.approx(3.2)
    assert items["F1"].suppressed and items["F1"].display_base == "<5"
    assert items["F2"].base == 0
    b1 = {o.code: o.count for o in items["B1"].options}
    assert b1["kf_member"] == 6 and b1["ks"] == 1


def test_results_are_ordered_by_item_not_by_storage(results):
    assert [item.code for item in results.items][:5] == ["B1", "B2", "B3", "B4", "E1"]


def test_groups_under_five_are_suppressed(results):
    groups = {b.item_code: {g.code: g for g in b.groups} for b in results.breakdowns}
    assert [b.item_code for b in results.breakdowns] == ["B2", "B3", "B1"]
    women = groups["B2"]["woman"]
    assert (women.display_n, women.display_share) == ("6", "50 %")
    assert groups["B2"]["other"].display_n == "<5" and groups["B2"]["other"].display_share == "<5"
    for code in ("30_39", "40_49", "50_59", "60_69", "70plus"):
        assert groups["B3"][code].display_n == "<5", code
    assert groups["B3"]["u29"].display_n == "0"
    assert groups["B1"]["kf_member"].display_n == "6" and groups["B1"]["kf_member"].display_share == "33 %"
    for code in ("ks", "committee", "kf_substitute"):
        assert groups["B1"][code].display_n == "<5"


def test_a_lone_suppressed_group_hides_the_next_smallest_too(results):
    """Men (5) are hidden: with the total known, "other" (1) could be worked out from them."""
    men = {g.code: g for g in results.breakdowns[0].groups}["man"]
    assert men.hidden and (men.display_n, men.display_share) == ("..", "..")


def test_no_suppressed_figure_leaks_into_the_display(results):
    for breakdown in results.breakdowns:
        for group in breakdown.groups:
            if group.suppressed or group.hidden:
                assert str(group.n) not in (group.display_n, group.display_share) or group.n == 0


def test_fewer_than_five_responses_shows_no_results(item_bank):
    round_ = answered_round([safety_sheet("woman", E1="yes_once") for _n in range(4)])
    results = selectors.round_results(round_)
    assert results.suppressed and results.items == [] and results.breakdowns == [] and results.exposure is None
    assert selectors.exposure_share(round_) is None


def test_an_open_round_shows_only_counts(item_bank, today):
    round_ = answered_round([safety_sheet() for _n in range(6)], opens_on=today - timedelta(days=1),
                            closes_on=today + timedelta(days=5))
    results = selectors.round_results(round_)
    assert not results.available and results.responses == 6
    assert results.items == [] and results.exposure is None and results.comparison is None
    assert selectors.exposure_share(round_) is None


def test_comparison_with_earlier_rounds_of_the_same_survey(known_round):
    answered_round([safety_sheet(E1="yes_once")] * 3 + [safety_sheet()] * 3, reference_year=2022,
                   opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 14))
    answered_round([safety_sheet(E1="yes_once")] * 3, reference_year=2020, opens_on=date(2021, 2, 1),
                   closes_on=date(2021, 3, 14))
    answered_round([{"IC1": "yes"}] * 6, survey_type=SurveyType.INTERNAL_CONTROL, reference_year=2024,
                   opens_on=date(2024, 9, 1), closes_on=date(2024, 10, 1))
    make_round(reference_year=2026, opens_on=date(2027, 2, 1), closes_on=date(2027, 3, 1))  # later: not compared
    comparison = selectors.round_results(known_round).comparison
    assert [c.reference_year for c in comparison.columns] == [2020, 2022, 2024]
    assert [c.current for c in comparison.columns] == [False, False, True]
    exposure = comparison.rows[1]
    assert exposure.cells[0] is None  # 3 responses: suppressed
    assert exposure.cells[1].display == "50 %"
    assert exposure.cells[2].display == "36 %"
    e1 = next(row for row in comparison.rows if row.label.startswith("E1 "))
    assert [c and c.display for c in e1.cells] == [None, "50 %", "18 %"]


def test_exposure_by_year_merges_national_and_local(known_round):
    answered_round([safety_sheet(E1="yes_once")] * 3 + [safety_sheet()] * 3, reference_year=2022,
                   opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 14))
    years = {row.year: row for row in selectors.exposure_by_year(selectors.round_results(known_round))}
    assert sorted(years) == [2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert years[2022].national.percent == 29 and years[2022].local_display == "50 %"
    assert years[2024].national is None and years[2024].local_display == "36 %"
    assert years[2012].local_display == "–"


def test_internal_control_results_share_yes_unsure_no(item_bank):
    sheets = [{"IC1": "yes"}] * 4 + [{"IC1": "unsure", "IC4": "no"}, {"IC1": "no", "IC4": "yes"}]
    round_ = answered_round(sheets, survey_type=SurveyType.INTERNAL_CONTROL, reference_year=2025,
                            opens_on=date(2025, 9, 1), closes_on=date(2025, 10, 1))
    results = selectors.round_results(round_)
    assert results.exposure is None and results.breakdowns == [] and results.national == []
    ic1 = next(item for item in results.items if item.code == "IC1")
    assert [(o.code, round(o.percent)) for o in ic1.options] == [("yes", 67), ("unsure", 17), ("no", 17)]
    ic4 = next(item for item in results.items if item.code == "IC4")
    assert ic4.suppressed  # two answered
    row = next(r for r in results.comparison.rows if "IC1" in r.label)
    assert row.cells[-1].display == "67 %"


def test_display_helpers():
    assert selectors.SUPPRESS_BELOW == 5
    assert [selectors.display_count(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert selectors.format_percent(None) == "–" and selectors.format_percent(33.4) == "33 %"
