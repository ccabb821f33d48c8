"""The follow-up report as PDF, CSV and XLSX made from the known municipality: the figures, the
Swedish headings, the party version and the small-count rule in every format."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import renderers, selectors
from reports.tables import suppress
from tests.built_once import built_once

from .conftest import PERIOD, TODAY, TZ

pytestmark = pytest.mark.django_db

MADE = renderers.Made(author="Eva Nordin", at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=TZ))


def render(kind, *, party_id=None, language="sv"):
    with translation.override(language):
        data = suppress(selectors.followup_data(PERIOD, party_id=party_id, today=TODAY))
        return renderers.render(kind, data, MADE)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_lines(content: bytes) -> list[str]:
    return [line.replace("\xa0", " ").strip() for page in pdf_pages(content) for line in page.splitlines()]


def csv_tables(content: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))
                for name in archive.namelist()}


def xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet["A1"].value: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def sv(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


@built_once
def municipal_pdf(_surveyed_world_rows):
    """The municipality's PDF, made once for the module (its bytes are only read)."""
    return render("pdf")


# ---------------------------------------------------------------- PDF


def test_the_pdf_holds_the_expected_figures(municipal_pdf):
    lines = pdf_lines(municipal_pdf)
    for expected in [
        "Hot 13 12",  # threats: 13 reports about 12 officials
        "E-post 6 6",
        "Brev 7 6",
        "Februari 6 6",
        "Maj 9 7",
        f"{sv('All reports')} 21 13",
        f"{sv('Incident reports')} 21",
        f"{sv('Committed to measures')} 42 000 kr",
        f"{sv('Spent on measures')} 5 500 kr",
        f"{sv('Cases opened')} 8",
    ]:
        assert expected in lines, f"{expected!r} not in the PDF"


def test_the_pdf_is_in_swedish_with_a_title_page_contents_and_page_numbers(municipal_pdf):
    pages = pdf_pages(municipal_pdf)
    text = "\n".join(pages)
    for heading in ["Innehåll", "Sammanfattning", "Händelserapporter", "Rapporter per typ", "Rapporter per månad",
                    "Ärenden", "Valperioder", "Valkalender", "Enkäter", "Trygghetsundersökning"]:
        assert heading in text, heading
    for message in ["Follow-up report %(period)s", "Reports by kind", "Reports by channel", "Reports by party",
                    "Reports by gender", "Reports by age", "Linked to the assignment", "Reported to the police",
                    "Cases opened and closed", "Measures by type", "Costs against the budget", "Training coverage",
                    "Security conversations held", "Election calendar"]:
        assert sv(message).replace("%(period)s", "2026") in text, message
    cover = pages[0]
    assert "Sigtuna kommun" in cover and "Eva Nordin" in cover and "23 november 2026" in cover
    assert "Sida" not in cover  # no page number on the title page
    assert re.search(r"Sida 3 av \d+", pages[2])
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    # the contents give each section's page
    contents = pages[1].replace("\xa0", " ")
    assert re.search(r"Rapporter per typ\s*\.+\s*\d+", contents)


def test_the_charts_are_drawn_with_the_election_period_marked(municipal_pdf):
    text = "\n".join(pdf_pages(municipal_pdf)).replace("\xa0", " ")
    assert "Valdag 13 sep" in text
    assert "Ny mandatperiod 15 okt" in text
    # the svg charts are in the PDF as vector drawings: rectangles filled with the bars' colour
    reader = PdfReader(io.BytesIO(municipal_pdf))
    month_page = next(p for p in reader.pages if "Februari" in p.extract_text())
    drawn = _streams(month_page)
    assert b"0.043137 0.309804 0.423529 rg" in drawn and b" re" in drawn


def _streams(page) -> bytes:
    """The page's content and every form it draws (WeasyPrint puts SVG in forms)."""
    data = page.get_contents().get_data()
    seen, todo = set(), [page.get("/Resources", {})]
    while todo:
        resources = todo.pop()
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        for ref in (resources.get("/XObject") or {}).values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            data += obj.get_data()
            if "/Resources" in obj:
                todo.append(obj["/Resources"])
    return data


def test_the_pdf_suppresses_small_counts(municipal_pdf):
    lines = pdf_lines(municipal_pdf)
    assert "Hat <5 <5" in lines
    assert not any(re.fullmatch(r"Hat \d+ \d+", line) for line in lines)
    assert "Utpressning <5 <5" in lines  # one official, two reports


def test_no_official_is_named_in_any_format(surveyed_world):
    names = surveyed_world.names
    text = "\n".join(pdf_pages(render("pdf")))
    tables = csv_tables(render("csv"))
    sheets = xlsx_sheets(render("xlsx"))
    flat = text + str(tables) + str(sheets)
    assert not [n for n in names if n in flat or n.split()[1] in flat]


def test_the_pdf_in_english(full_world):
    pages = pdf_pages(render("pdf", language="en"))
    text = "\n".join(pages)
    assert "Follow-up report 2026" in text and "Contents" in text and "Reports by kind" in text
    assert re.search(r"Page 3 of \d+", pages[2])
    assert "Threat 13 12" in [line.strip() for line in text.splitlines()]


# ---------------------------------------------------------------- the party version


def test_the_party_pdf_holds_nothing_about_other_parties_members(surveyed_world, party):
    content = render("pdf", party_id=party.pk)
    text = "\n".join(pdf_pages(content))
    lines = pdf_lines(content)
    assert "Socialdemokraterna" in text
    for other in ["Moderaterna", "Vänsterpartiet", "Inget parti", *surveyed_world.other_party_names()]:
        assert other not in text, other
    assert f"{sv('All reports')} 11 6" in lines
    assert "Hot 6 6" in lines
    assert "Brev 0 0" in lines and "Utpressning 0 0" in lines
    assert "Enkäter" not in text  # anonymous answers hold no party


def test_the_party_csv_and_xlsx_hold_nothing_about_other_parties(full_world, party):
    tables = csv_tables(render("csv", party_id=party.pk))
    sheets = xlsx_sheets(render("xlsx", party_id=party.pk))
    flat = str(tables) + str(sheets)
    for other in ["Moderaterna", "Vänsterpartiet", *full_world.other_party_names()]:
        assert other not in flat
    kinds = next(rows for name, rows in tables.items() if "rapporter-per-typ" in name)
    assert kinds[-1] == [sv("All reports"), "11", "6"]
    parties = next(rows for name, rows in tables.items() if "rapporter-per-parti" in name)
    assert [r[0] for r in parties[1:]] == ["Socialdemokraterna", sv("All reports")]
    assert sheets[sv("Reports by kind")][-1] == (sv("All reports"), 11, 6)


# ---------------------------------------------------------------- CSV and XLSX


def test_the_csv_zip_has_one_file_per_table_with_the_figures(surveyed_world):
    tables = csv_tables(render("csv"))
    names = sorted(tables)
    assert names[0].startswith("00-") and len(names) > 20
    kinds = next(rows for name, rows in tables.items() if "rapporter-per-typ" in name)
    assert kinds[0] == [sv("Kind"), sv("Reports"), sv("Officials affected")]
    assert ["Hot", "13", "12"] in kinds and ["Hat", "<5", "<5"] in kinds
    about = next(rows for name, rows in tables.items() if name.startswith("00-"))
    assert ["Sigtuna kommun"] == [r[1] for r in about if r[0] == sv("Municipality")]
    police = next(rows for name, rows in tables.items() if "polisanmald" in name)
    assert police[-1][2] == "100,0"  # decimal comma for Swedish spreadsheets


def test_the_csv_suppresses_small_counts_and_guards_against_formulas(full_world, party):
    party.name = "=HYPERLINK(\"x\")"
    party.save()
    tables = csv_tables(render("csv"))
    flat = [cell for rows in tables.values() for row in rows for cell in row]
    assert "<5" in flat
    parties = next(rows for name, rows in tables.items() if "rapporter-per-parti" in name)
    assert parties[1][0].startswith("'=")  # shown as text, never run as a formula
    book = load_workbook(io.BytesIO(render("xlsx")))
    sheet = next(s for s in book.worksheets if s["A1"].value == sv("Reports by party"))
    cell = sheet["A5"]
    assert cell.value == party.name and cell.data_type == "s"


def test_the_xlsx_has_one_sheet_per_table_with_numbers_as_numbers(surveyed_world):
    content = render("xlsx")
    sheets = xlsx_sheets(content)
    kinds = sheets["Rapporter per typ"]
    assert ("Hot", 13, 12) in kinds
    assert ("Hat", "<5", "<5") in kinds
    book = load_workbook(io.BytesIO(content))
    assert book.worksheets[0]["B3"].value  # the about sheet
    police = next(s for s in book.worksheets if s["A1"].value == sv("Reported to the police"))
    total = [row for row in police.iter_rows() if row[0].value == sv("All reports")][0]
    assert total[2].value == 1.0 and total[2].number_format == "0.0%"
    assert len(book.sheetnames) == len(set(book.sheetnames)) and all(len(n) <= 31 for n in book.sheetnames)
