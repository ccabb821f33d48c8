"""Issue 15 › 2: a round in which one group has three respondents shows their count nowhere —
not in the breakdown, not in the question's own table below it, not in a chart, not in the
comparison — and no shown count anywhere on the results page describes one to four people."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from core.disclosure import Kind
from surveys import selectors
from surveys.models import Option

from .conftest import answered_round, safety_sheet

pytestmark = pytest.mark.django_db

SMALL_COUNT = re.compile(r"^[1-4]$")


def three_in_a_group() -> list[dict]:
    """23 answers: ten women (five exposed), ten men (six exposed), and three who answered
    "other / prefer not to say", aged 70 or older, on the municipal executive board — all three
    exposed (E3)."""
    women = [safety_sheet("woman", "40_49", ["kf_member"], E1="yes_once" if n < 5 else "no", F3="fairly")
             for n in range(10)]
    men = [safety_sheet("man", "50_59", ["kf_member", "committee"], E2="yes_many" if n < 6 else "no", F3="very")
           for n in range(10)]
    others = [safety_sheet("other", "70plus", ["ks"], E3="yes_once", F3="very") for _n in range(3)]
    return women + men + others


@pytest.fixture
def round_(item_bank):
    return answered_round(three_in_a_group(), non_respondents=4)


class Page(HTMLParser):
    """The rows of every table (header cell, data cells) and the text of every chart."""

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.chart_texts: list[str] = []
        self._row: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._kind = ""
        self._svg_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell, self._kind = [], tag
        elif tag == "text":
            self._svg_text = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append((self._kind, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            header = next((text for kind, text in self._row if kind == "th"), "")
            self.rows.append((header, [text for kind, text in self._row if kind == "td"]))
            self._row = None
        elif tag == "text" and self._svg_text is not None:
            self.chart_texts.append("".join(self._svg_text).strip())
            self._svg_text = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._svg_text is not None:
            self._svg_text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def labels(code: str, option: str) -> str:
    return Option.objects.get(item__code=code, code=option).label


def test_the_group_of_three_reads_lt5_in_its_breakdown_and_in_the_questions_table(round_):
    with translation.override("sv"):
        results = selectors.round_results(round_)
    breakdowns = {b.item_code: {g.code: g for g in b.groups} for b in results.breakdowns}
    items = {item.code: {o.code: o for o in item.options} for item in results.items}
    for code, option in (("B2", "other"), ("B3", "70plus"), ("B1", "ks")):
        group, answer = breakdowns[code][option], items[code][option]
        assert group.n.display == answer.n.display == "<5", code
        assert group.n.value is None and answer.n.value is None and answer.share.value is None
        assert group.exposed.display in ("<5", ".."), code  # all three exposed: 100 %
    # With the total known, one more group is hidden in both tables, the same one in both.
    assert breakdowns["B2"]["woman"].n.display == items["B2"]["woman"].n.display == ".."
    assert items["B2"]["man"].n.display == "10"
    # E3: the three were the only ones to say yes.
    assert items["E3"]["yes_once"].n.display == "<5"
    assert next(r for r in results.comparison.rows if r.key == "E3").cells[-1].display == "<5"


def test_no_count_of_one_to_four_is_shown_anywhere_in_the_results(round_):
    results = selectors.round_results(round_)
    cells = [results.responses, results.exposure, results.exposure_base]
    cells += [c for item in results.items for o in item.options for c in (o.n, o.share)]
    cells += [item.base for item in results.items]
    cells += [line.n for b in results.breakdowns for line in b.groups]
    cells += [c for row in results.comparison.rows for c in row.cells]
    assert not [c for c in cells if c.shown and c.kind == Kind.COUNT and 0 < c.value < 5]
    assert results.exposure.display == "61\u00a0%"  # 14 of 23: shown, and it reveals no one


def test_the_results_page_shows_their_count_nowhere(round_, client_for, handler):
    response = client_for(handler).get(reverse("surveys:round-results", args=[round_.pk]))
    assert response.status_code == 200
    page = parse(response.content.decode())
    with translation.override("sv"):
        group_labels = [labels("B2", "other"), labels("B3", "70plus"), labels("B1", "ks")]
    group_rows = [(header, cells) for header, cells in page.rows if header in group_labels]
    assert len(group_rows) == 6  # each group in its breakdown and in the question's own table
    for header, cells in group_rows:
        assert cells and all(cell in ("<5", "..") or cell.startswith(("<5 ", ".. ")) for cell in cells), header
        assert not any(re.search(r"\d", cell.replace("<5", "")) for cell in cells), (header, cells)
    # No table cell on the page holds a count of one to four …
    every_cell = [cell for _header, cells in page.rows for cell in cells]
    assert not [cell for cell in every_cell if SMALL_COUNT.match(cell)]
    # … and no chart writes one (nor the 13 % that three of 23 are).
    assert page.chart_texts and not [t for t in page.chart_texts if SMALL_COUNT.match(t) or t.startswith("13")]
    assert "61" in " ".join(page.chart_texts)


def test_the_results_page_in_english_says_what_lt5_means(round_, client_for, handler):
    client = client_for(handler)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("surveys:round-results", args=[round_.pk])).content.decode()
    assert "&lt;5: the figure concerns fewer than five people and is not shown." in body
