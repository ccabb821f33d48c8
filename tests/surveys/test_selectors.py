"""Results of a round with a known fixture: the right figures where they may be shown, every
figure about fewer than five respondents concealed (with its complement), the national
comparison and earlier rounds shown as their own results show them."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from core.disclosure import Kind
from surveys import selectors
from surveys.models import SurveyType

from .conftest import answered_round, make_round, safety_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


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


def items_of(results):
    return {item.code: item for item in results.items}


def displays(item):
    return {o.code: (o.n.display, o.share.display) for o in item.options}


def every_cell(results):
    """Every protected cell the results hold, wherever it is shown."""
    cells = [results.responses, results.response_rate, results.exposure, results.exposure_base]
    for item in results.items:
        cells += [item.base, item.mean] + [c for o in item.options for c in (o.n, o.share)]
    for breakdown in results.breakdowns:
        lines = list(breakdown.groups) + ([breakdown.total] if breakdown.total else [])
        cells += [c for line in lines for c in (line.n, line.exposed)]
    if results.comparison:
        cells += [c.responses for c in results.comparison.columns]
        cells += [c for row in results.comparison.rows for c in row.cells]
    return [c for c in cells if c is not None]


def test_response_rate(results):
    assert (results.invited, results.responses.display, results.response_rate.display) == (15, "12", "80\u00a0%")
    assert results.available and not results.too_few


def test_four_exposed_of_eleven_is_not_shown(results):
    """4 of the 11 who answered E1–E7 were exposed: a share about four people."""
    assert results.exposure.display == "<5" and results.exposure.value is None
    assert results.exposure_base.display == "11"


def test_the_share_exposed_is_shown_when_it_describes_five_or_more(item_bank):
    round_ = answered_round([safety_sheet("woman", E1="yes_once")] * 6 + [safety_sheet("man")] * 6)
    results = selectors.round_results(round_)
    assert (results.exposure.display, results.exposure_base.display) == ("50\u00a0%", "12")


def test_each_items_distribution_is_protected(results):
    items = items_of(results)
    # E1: no 9, yes once 2 of 11. The 2 read "<5", and "no" is hidden so that 11 − 9 cannot give them.
    assert items["E1"].base.display == "11"
    assert displays(items["E1"]) == {"no": ("..", ".."), "yes_once": ("<5", "<5"), "yes_many": ("0", "0\u00a0%"),
                                     "dont_know": ("0", "0\u00a0%")}
    assert displays(items["E4"])["no"] == ("11", "100\u00a0%")
    # F3: five answered, each answer by fewer than five; the mean is computed from them
    f3 = items["F3"]
    assert f3.base.display == "5" and not f3.too_few
    assert {code for code, (n, _share) in displays(f3).items() if n == "<5"} == {"not_very", "fairly", "very"}
    assert f3.mean.display == ".."
    assert items["F1"].too_few and items["F1"].base.display == "<5"
    assert items["F2"].nobody and not items["F2"].too_few
    # B1 (several answers): six of eleven hold a seat in the council; the five without can be shown too
    assert displays(items["B1"])["kf_member"] == ("6", "55\u00a0%")
    assert displays(items["B1"])["ks"] == ("<5", "<5")


def test_a_multiple_choice_answer_that_reveals_who_did_not_choose_it_is_hidden(item_bank):
    sheets = [safety_sheet(roles=["kf_member"])] * 8 + [safety_sheet(roles=["ks"])] * 2
    b1 = items_of(selectors.round_results(answered_round(sheets)))["B1"]
    assert b1.base.display == "10"
    assert displays(b1)["kf_member"] == ("..", "..")  # 8 of 10: the other two could be worked out
    assert displays(b1)["ks"] == ("<5", "<5")


def test_a_scale_mean_is_shown_when_every_answer_may_be(item_bank):
    sheets = [safety_sheet(F3="very", E1="yes_once")] * 5 + [safety_sheet(F3="fairly", E1="yes_once")] * 5
    f3 = items_of(selectors.round_results(answered_round(sheets)))["F3"]
    assert f3.mean.display == "3,5" and f3.mean.kind == Kind.RATE


def test_results_are_ordered_by_item_not_by_storage(results):
    assert [item.code for item in results.items][:5] == ["B1", "B2", "B3", "B4", "E1"]


def test_groups_under_five_are_suppressed_and_a_second_group_hidden(results):
    groups = {b.item_code: {g.code: g for g in b.groups} for b in results.breakdowns}
    assert [b.item_code for b in results.breakdowns] == ["B2", "B3", "B1"]
    b2 = groups["B2"]
    assert (b2["woman"].n.display, b2["other"].n.display) == ("6", "<5")
    # men (5) are hidden: with the total known, "other" (1) could be worked out from them
    assert b2["man"].n.display == ".."
    assert b2["man"].exposed.display == "<5"  # one of the five men was exposed
    assert b2["woman"].exposed.display == "<5"  # three of the six women were exposed
    assert results.breakdowns[0].total.n.display == "12"
    for code in ("30_39", "40_49", "50_59", "60_69", "70plus"):
        assert groups["B3"][code].n.display == "<5", code
    assert groups["B3"]["u29"].n.display == "0"
    assert groups["B1"]["kf_member"].n.display == "6"
    for code in ("ks", "committee", "kf_substitute"):
        assert groups["B1"][code].n.display == "<5"


def test_a_group_reads_the_same_in_its_breakdown_and_in_the_questions_own_table(results):
    """The issue: a group hidden in one table must not be printed in the question's table below."""
    items = items_of(results)
    for breakdown in results.breakdowns:
        own = {o.code: o.n for o in items[breakdown.item_code].options}
        assert {g.code: g.n for g in breakdown.groups} == own, breakdown.item_code


def test_no_shown_count_describes_one_to_four_respondents(results):
    for cell in every_cell(results):
        if cell.shown and cell.kind == Kind.COUNT:
            assert not 0 < cell.value < 5, cell


def test_fewer_than_five_responses_shows_no_results(item_bank):
    round_ = answered_round([safety_sheet("woman", E1="yes_once") for _n in range(4)])
    results = selectors.round_results(round_)
    assert results.too_few and results.items == () and results.breakdowns == () and results.exposure is None
    assert (results.responses.display, results.response_rate.display) == ("<5", "<5")


def test_an_open_round_shows_only_counts(item_bank, today):
    round_ = answered_round([safety_sheet() for _n in range(6)], opens_on=today - timedelta(days=1),
                            closes_on=today + timedelta(days=5))
    results = selectors.round_results(round_)
    assert not results.available and results.responses.display == "6"
    assert results.items == () and results.exposure is None and results.comparison is None


def test_comparison_with_earlier_rounds_of_the_same_survey(known_round):
    answered_round([safety_sheet(E1="yes_once")] * 5 + [safety_sheet()] * 5, reference_year=2022,
                   opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 14))
    answered_round([safety_sheet(E1="yes_once")] * 3, reference_year=2020, opens_on=date(2021, 2, 1),
                   closes_on=date(2021, 3, 14))
    answered_round([{"IC1": "yes"}] * 6, survey_type=SurveyType.INTERNAL_CONTROL, reference_year=2024,
                   opens_on=date(2024, 9, 1), closes_on=date(2024, 10, 1))
    make_round(reference_year=2026, opens_on=date(2027, 2, 1), closes_on=date(2027, 3, 1))  # later: not compared
    comparison = selectors.round_results(known_round).comparison
    assert [c.reference_year for c in comparison.columns] == [2020, 2022, 2024]
    assert [c.current for c in comparison.columns] == [False, False, True]
    assert [c.responses.display for c in comparison.columns] == ["<5", "10", "12"]
    assert [c.display for c in comparison.row("rate").cells] == ["<5", "100\u00a0%", "80\u00a0%"]
    assert [c.display for c in comparison.row("exposure").cells] == ["<5", "50\u00a0%", "<5"]
    assert [c.display for c in comparison.row("E1").cells] == ["<5", "50\u00a0%", "<5"]
    assert [c.display for c in comparison.row("E4").cells] == ["<5", "0\u00a0%", "0\u00a0%"]


def test_an_earlier_round_is_shown_in_the_comparison_as_its_own_results_show_it(item_bank):
    """2021: E1 yes once 6, yes several times 2, no 12. Its own table hides "yes once" beside the
    2, so the "yes" share (8 of 20) — which with "yes once" would give the 2 — is hidden in the
    comparison too, on its own page and on the later round's."""
    sheets = ([safety_sheet(E1="yes_once")] * 6 + [safety_sheet(E1="yes_many")] * 2 + [safety_sheet()] * 12)
    earlier = answered_round(sheets, reference_year=2020, opens_on=date(2021, 2, 1), closes_on=date(2021, 3, 14))
    later = answered_round([safety_sheet(E1="yes_once")] * 10 + [safety_sheet()] * 10)
    own = selectors.round_results(earlier)
    assert displays(items_of(own)["E1"])["yes_once"] == ("..", "..")
    assert own.comparison.row("E1").cells[-1].display == ".."
    beside = selectors.round_results(later).comparison
    assert [c.display for c in beside.row("E1").cells] == ["..", "50\u00a0%"]
    assert beside.row("E1").cells[0] == own.comparison.row("E1").cells[-1]
    assert beside.row("exposure").cells[0] == own.comparison.row("exposure").cells[-1] == own.exposure


def test_exposure_by_year_merges_national_and_local(known_round):
    answered_round([safety_sheet(E1="yes_once")] * 5 + [safety_sheet()] * 5, reference_year=2022,
                   opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 14))
    years = {row.year: row for row in selectors.exposure_by_year(selectors.round_results(known_round))}
    assert sorted(years) == [2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert years[2022].national.percent == 29 and years[2022].local_display == "50\u00a0%"
    assert years[2024].national is None and years[2024].local_display == "<5"
    assert years[2012].local_display == "–"


def test_national_figures_beside_the_local_share(results):
    assert [row.year for row in results.national] == [2012, 2014, 2016, 2018, 2020, 2022]
    assert [int(row.percent) for row in results.national] == [20, 28, 25, 30, 26, 29]
    assert "33" in results.national[3].note
    assert results.national_match.year == 2022  # the latest at or before the reference year 2024


def test_internal_control_results_share_yes_unsure_no(item_bank):
    sheets = ([{"IC1": "yes"}] * 10 + [{"IC1": "unsure", "IC4": "no"}] * 5 + [{"IC1": "no", "IC4": "yes"}] * 5
              + [{"IC2": "yes"}] * 2)
    round_ = answered_round(sheets, survey_type=SurveyType.INTERNAL_CONTROL, reference_year=2025,
                            opens_on=date(2025, 9, 1), closes_on=date(2025, 10, 1))
    results = selectors.round_results(round_)
    assert results.exposure is None and results.breakdowns == () and results.national == ()
    items = items_of(results)
    assert [o.share.display for o in items["IC1"].options] == ["50\u00a0%", "25\u00a0%", "25\u00a0%"]
    assert items["IC2"].too_few  # two answered
    assert results.comparison.row("IC1").cells[-1].display == "50\u00a0%"
    overview = selectors.overview(results)
    assert [row.code for row in overview.rows] == ["IC1", "IC4"]
    assert overview.rows[0].cells == tuple(o.share for o in items["IC1"].options)
