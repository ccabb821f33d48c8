"""Issue 15 › 2 in the follow-up report: a survey round in which three respondents form a group
shows their count in no format (page, PDF, CSV, XLSX), the survey figures are those of the
round's own protected results, and money is money — "spent 5 500 kr" for a cost about one
official, in every format and in the party's own version, never "<5"."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reports import renderers, selectors
from reports import tables as T
from reports.tables import suppress
from surveys import selectors as survey_selectors
from surveys.services import item_bank_load
from tests.surveys.conftest import answered_round, safety_sheet
from tests.surveys.test_small_counts import three_in_a_group

from .conftest import PERIOD, TODAY, TZ
from .test_formats import csv_tables, pdf_lines, xlsx_sheets

pytestmark = pytest.mark.django_db

MADE = renderers.Made(author="Eva Nordin", at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=TZ))


def sv(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def render(kind: str, *, party_id=None) -> bytes:
    with translation.override("sv"):
        data = suppress(selectors.followup_data(PERIOD, party_id=party_id, today=TODAY))
        return renderers.render(kind, data, MADE)


@pytest.fixture
def surveys_2026(full_world):
    """The 2025 round (ten answers, five exposed) and the 2026 round with a group of three, all
    three exposed (E3) — the only ones to say yes to E3."""
    item_bank_load()
    answered_round([safety_sheet("woman", E1="yes_once")] * 5 + [safety_sheet("man")] * 5, reference_year=2024,
                   opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 14))
    return answered_round(three_in_a_group(), reference_year=2025, opens_on=dt.date(2026, 2, 1),
                          closes_on=dt.date(2026, 3, 14), non_respondents=4)


def survey_table(data):
    return next(t for t in T.iter_tables(data) if t["id"] == "survey_safety")


def e3_line(rows):
    return next(r for r in rows if str(r[0]).startswith("E3 "))


# ---------------------------------------------------------------- the survey's group of three


def test_the_reports_survey_figures_are_the_rounds_own_protected_figures(surveys_2026):
    with translation.override("sv"):
        data = suppress(selectors.followup_data(PERIOD, today=TODAY))
        own = survey_selectors.round_results(surveys_2026, TODAY).comparison
    table = survey_table(data)
    [earlier, this] = [c["key"] for c in table["columns"]]
    for row, line in zip(table["rows"], own.rows, strict=True):
        assert row["cells"][this] == line.cells[-1].as_dict()
        assert row["cells"][earlier] == line.cells[-2].as_dict()
    e3 = next(r for r in table["rows"] if r["label"].startswith("E3 "))
    assert e3["cells"][this]["display"] == "<5" and e3["cells"][this]["value"] is None
    assert "23/27" in table["note"]


def test_the_group_of_three_is_nowhere_in_the_pdf_csv_or_xlsx(surveys_2026):
    lines = pdf_lines(render("pdf"))
    start = next(n for n, line in enumerate(lines) if line.startswith("E3 "))
    end = next(n for n, line in enumerate(lines) if line.startswith("E4 "))
    e3 = " ".join(lines[start:end])  # the question wraps over lines; its figures come last
    assert e3.endswith("? 0 % <5"), e3  # 2025: nobody; 2026: the three
    survey_csv = next(rows for name, rows in csv_tables(render("csv")).items() if "trygghetsundersokning" in name)
    assert e3_line(survey_csv)[1:] == ["0,0", "<5"]
    sheets = xlsx_sheets(render("xlsx"))
    survey_sheet = next(rows for title, rows in sheets.items() if title and title.startswith("Trygghets"))
    assert e3_line([r for r in survey_sheet if r[0]])[1:3] == (0.0, "<5")
    # 3 of 23 is 13 %: written nowhere in the survey's table
    flat = str(e3_line(survey_csv)) + str(e3_line([r for r in survey_sheet if r[0]]))
    assert "13" not in flat


def test_the_survey_section_on_screen_shows_the_group_as_lt5(surveys_2026, client_for, handler):
    body = client_for(handler).get(reverse("reports:followup-detail"), {"view-year": "2026"}).content.decode()
    e3 = body.split('<th scope="row">E3 ', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num suppressed">&lt;5</td>' in e3 and "13" not in e3


# ---------------------------------------------------------------- money is not a head count


def test_a_cost_about_one_official_is_shown_in_kronor(full_world):
    with translation.override("sv"):
        data = suppress(selectors.followup_data(PERIOD, today=TODAY))
    summary = {r["key"]: r["cells"]["value"] for r in data["summary"]["rows"]}
    assert summary["spent"]["display"] == "5\u00a0500 kr" and summary["spent"]["value"] == 5500
    assert summary["committed"]["display"] == "42\u00a0000 kr"
    by_type = next(t for t in T.iter_tables(data) if t["id"] == "measures_by_type")
    assert by_type["total"]["cells"]["spent"]["display"] == "5\u00a0500 kr"
    budget = next(t for t in T.iter_tables(data) if t["id"] == "measures_budget")["rows"][0]["cells"]
    assert [budget[k]["state"] for k in ("committed", "spent", "remaining", "used")] == [T.SHOWN] * 4
    # no amount of money is ever concealed, anywhere in the report
    for table in T.iter_tables(data):
        for row in table["rows"] + ([table["total"]] if table["total"] else []):
            for cell in row["cells"].values():
                if cell["kind"] == T.SEK:
                    assert cell["state"] == T.SHOWN, (table["id"], row["key"])


def test_the_party_version_shows_the_cost_about_its_one_member_in_kronor(full_world, party):
    with translation.override("sv"):
        data = suppress(selectors.followup_data(PERIOD, party_id=party.pk, today=TODAY))
    summary = {r["key"]: r["cells"]["value"] for r in data["summary"]["rows"]}
    assert summary["spent"]["display"] == "5\u00a0500 kr"
    lines = pdf_lines(render("pdf", party_id=party.pk))
    assert f"{sv('Spent on measures')} 5 500 kr" in lines


def test_spent_reads_in_kronor_in_the_pdf_csv_and_xlsx(full_world):
    lines = pdf_lines(render("pdf"))
    assert f"{sv('Spent on measures')} 5 500 kr" in lines
    assert not any(re.fullmatch(rf"{re.escape(sv('Spent on measures'))} (<5|\.\.)", line) for line in lines)
    tables = csv_tables(render("csv"))
    summary = next(rows for name, rows in tables.items() if name.startswith("01-"))
    in_kronor = sv("%(label)s (SEK)")
    assert [in_kronor % {"label": sv("Spent on measures")}, "5500"] in summary
    by_type = next(rows for name, rows in tables.items() if "atgarder-per-typ" in name)
    assert in_kronor % {"label": sv("Spent")} in by_type[0]
    assert by_type[-1][by_type[0].index(in_kronor % {"label": sv("Spent")})] == "5500"
    sheets = xlsx_sheets(render("xlsx"))
    key_figures = sheets[sv("Key figures")]
    assert (in_kronor % {"label": sv("Spent on measures")}, 5500) in [tuple(r[:2]) for r in key_figures]


def test_the_report_on_screen_says_spent_in_kronor(full_world, client_for, handler):
    body = client_for(handler).get(reverse("reports:followup-detail"), {"view-year": "2026"}).content.decode()
    spent = body.split(f'<th scope="row">{sv("Spent on measures")}</th>', 1)[1].split("</tr>", 1)[0]
    assert "5\u00a0500 kr" in spent and "&lt;5" not in spent
