"""The follow-up report as PDF (WeasyPrint), CSV files (zip) and an Excel workbook (openpyxl).

Every renderer takes the SUPPRESSED data (`reports.tables.suppress`) and writes cells' shown
values only: a suppressed cell reaches no format as a number. The CSV and XLSX hold the same
tables as the PDF, one file or sheet per table, plus an "about" file or sheet with the
municipality, period, scope, who made it and when, and the small-count rule.

CSV: one file per table in a zip, because each then opens in a spreadsheet as a plain grid with
its own headings; semicolon-separated UTF-8 with a byte-order mark, decimals with the language's
decimal sign, as Swedish spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import disclosure
from core.dates import format_date, format_datetime

from . import tables as T
from .charts import attach_charts
from .models import ExportKind

MIMETYPES: dict[str, str] = {
    ExportKind.PDF: "application/pdf",
    ExportKind.CSV: "application/zip",
    ExportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS: dict[str, str] = {ExportKind.PDF: "pdf", ExportKind.CSV: "zip", ExportKind.XLSX: "xlsx"}


@dataclass(frozen=True)
class Made:
    """Who made the export, and when (shown on the title page and in the about file)."""

    author: str
    at: dt.datetime


def title(data: dict) -> str:
    return _("Follow-up report %(period)s") % {"period": data["period"].label}


def scope_label(data: dict) -> str:
    if data.get("party"):
        return _("Party version: %(party)s — the party's own members only") % {"party": data["party"]["name"]}
    return _("The whole municipality")


def file_name(data: dict, kind: str) -> str:
    """The name the person's browser saves the file under (no personal data)."""
    parts = [slugify(_("follow-up report")), data["period"].slug]
    if data.get("party"):
        parts.append(slugify(data["party"]["abbreviation"]))
    return "-".join(p for p in parts if p) + "." + EXTENSIONS[kind]


def legend() -> list[str]:
    return [
        *disclosure.legend(),
        _("Amounts of money are not counts of people and are always shown."),
        _("–: not applicable (nothing to divide by, or not yet offered)."),
    ]


def render(kind: str, data: dict, made: Made) -> bytes:
    if not data.get("suppressed"):
        raise ValueError("render the suppressed data only")
    if kind == ExportKind.PDF:
        return pdf(data, made)
    if kind == ExportKind.CSV:
        return csv_zip(data, made)
    if kind == ExportKind.XLSX:
        return xlsx(data, made)
    raise ValueError(f"unknown export kind {kind!r}")


# ---------------------------------------------------------------- PDF


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """CSS `content` for "Page X of Y" in the active language."""
    pattern = _("Page %(n)s of %(total)s")
    parts = []
    for piece in re.split(r"(%\((?:n|total)\)s)", pattern):
        if piece == "%(n)s":
            parts.append("counter(page)")
        elif piece == "%(total)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def prepare(data: dict) -> dict:
    """Suppressed data made ready for a template: charts drawn, and each row's cells listed in
    column order (templates cannot look a cell up by its column's key)."""
    attach_charts(data)
    blank = {"value": None, "kind": T.TEXT, "state": T.EMPTY, "display": ""}
    for table in T.iter_tables(data):
        keys = [c["key"] for c in table["columns"]]
        for r in table["rows"] + ([table["total"]] if table.get("total") else []):
            r["ordered"] = [r["cells"].get(k, blank) for k in keys]
    return data


def html_context(data: dict, made: Made | None = None) -> dict:
    """What the PDF template and the page both need (call `prepare` first)."""
    return {
        "data": data, "title": title(data), "scope": scope_label(data), "legend": legend(),
        "made": made, "made_on": format_datetime(made.at) if made else "",
        "language": (get_language() or "sv")[:2],
        "period_text": _period_text(data),
        "sections": [s for s in data["sections"]],
    }


def _period_text(data: dict) -> str:
    period = data["period"]
    if period.is_calendar_year:
        return _("Calendar year %(year)s") % {"year": period.start.year}
    return f"{format_date(period.start)} – {format_date(period.end)}"


def pdf_html(data: dict, made: Made) -> str:
    prepare(data)
    context = html_context(data, made)
    context["page_counter"] = mark_safe(page_counter_css())  # noqa: S308 (built from the catalogue, CSS-escaped)
    return render_to_string("reports/pdf/followup.html", context)


def pdf(data: dict, made: Made) -> bytes:
    from weasyprint import HTML

    return HTML(string=pdf_html(data, made)).write_pdf()


# ---------------------------------------------------------------- CSV and XLSX


def _decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if (get_language() or "sv").startswith("sv") else text


def _safe_text(value: str) -> str:
    """Keep a spreadsheet from running a text cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_value(c: dict) -> str:
    if c["state"] in (T.SUPPRESSED_STATE, T.HIDDEN_STATE):
        return c["display"]
    if c["value"] is None:
        return ""
    if c["kind"] in (T.COUNT, T.SEK):
        return str(int(c["value"]))
    if c["kind"] in (T.PERCENT, T.RATE):
        return _decimal(float(c["value"]))
    return _safe_text(str(c["value"]))


def _in_kronor(label: str) -> str:
    return _("%(label)s (SEK)") % {"label": label}


def table_grid(table: dict) -> list[list[dict | str]]:
    """Header, rows and total of a table: strings for labels, cells for figures. Amounts are
    plain numbers in a spreadsheet, so a column (or a key figure's row) of money says "(kr)"."""
    columns = table["columns"]
    grid: list[list[dict | str]] = [[table["dimension"], *[
        _in_kronor(c["label"]) if c["kind"] == T.SEK else c["label"] for c in columns]]]
    blank = {"value": None, "kind": T.TEXT, "state": T.EMPTY, "display": ""}
    for r in table["rows"] + ([table["total"]] if table.get("total") else []):
        cells = [r["cells"].get(c["key"], blank) for c in columns]
        money_row = all(c["kind"] != T.SEK for c in columns) and cells and all(c["kind"] == T.SEK for c in cells)
        grid.append([_in_kronor(r["label"]) if money_row else r["label"], *cells])
    return grid


def about_rows(data: dict, made: Made) -> list[tuple[str, str]]:
    rows = [
        (_("Report"), title(data)),
        (_("Municipality"), data["municipality"]),
        (_("Security unit"), data["unit"]),
        (_("Period"), _period_text(data)),
        (_("Scope"), scope_label(data)),
        (_("Made"), format_datetime(made.at)),
        (_("Made by"), made.author),
    ]
    rows += [(_("Legend"), line) for line in legend()]
    rows.append((_("Small counts"), _("No figure describes fewer than five people.")))
    return rows


def _numbered(data: dict) -> list[tuple[str, dict]]:
    """(file or sheet stem, table) for every table, in the report's order."""
    result = []
    for index, table in enumerate(T.iter_tables(data), start=1):
        result.append((f"{index:02d}-{slugify(table['title'])[:60]}", table))
    return result


def csv_zip(data: dict, made: Made) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"00-{slugify(_('about the report'))}.csv", _csv([
            [_safe_text(str(k)), _safe_text(str(v))] for k, v in about_rows(data, made)]))
        for stem, table in _numbered(data):
            lines = [[_safe_text(str(x)) if isinstance(x, str) else csv_value(x) for x in line]
                     for line in table_grid(table)]
            archive.writestr(f"{stem}.csv", _csv(lines))
    return buffer.getvalue()


def _csv(lines: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(lines)
    return "\ufeff" + out.getvalue()


def _sheet_title(text: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def xlsx(data: dict, made: Made) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6EC")
    book = Workbook()
    used: set[str] = set()
    about = book.active
    about.title = _sheet_title(_("About the report"), used)
    about.append([_("Follow-up report")])
    about["A1"].font = Font(bold=True, size=14)
    about.append([])
    for key, value in about_rows(data, made):
        about.append([key, value])
        for cell in about[about.max_row]:
            cell.data_type = "s"
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90

    for stem, table in _numbered(data):
        sheet = book.create_sheet(_sheet_title(f"{stem[:2]} {table['title']}", used))
        sheet["A1"] = table["title"]
        sheet["A1"].font = Font(bold=True, size=13)
        if table.get("note"):
            sheet["A2"] = table["note"]
            sheet["A2"].data_type = "s"
            sheet["A2"].alignment = Alignment(wrap_text=False)
        grid = table_grid(table)
        first = 4
        for offset, line in enumerate(grid):
            r = first + offset
            is_total = table.get("total") and offset == len(grid) - 1
            for col, item in enumerate(line, start=1):
                target = sheet.cell(row=r, column=col)
                if isinstance(item, str):
                    target.value = item
                    target.data_type = "s"
                else:
                    _xlsx_cell(target, item)
                if offset == 0:
                    target.font = bold
                    target.fill = header_fill
                elif is_total:
                    target.font = bold
        sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
        sheet.column_dimensions["A"].width = min(60, max(18, *(len(str(line[0])) + 2 for line in grid)))
        for col in range(2, len(grid[0]) + 1):
            letter = sheet.cell(row=first, column=col).column_letter
            sheet.column_dimensions[letter].width = min(40, max(12, len(str(grid[0][col - 1])) + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(target, c: dict) -> None:
    from openpyxl.styles import Alignment

    if c["state"] in (T.SUPPRESSED_STATE, T.HIDDEN_STATE):
        target.value = c["display"]
        target.data_type = "s"
        target.alignment = Alignment(horizontal="right")
        return
    value = c["value"]
    if value is None:
        target.value = T.NOT_APPLICABLE if c["kind"] != T.TEXT else ""
        target.data_type = "s"
        target.alignment = Alignment(horizontal="right")
    elif c["kind"] == T.PERCENT:
        target.value = round(float(value) / 100, 4)
        target.number_format = "0.0%"
    elif c["kind"] == T.RATE:
        target.value = float(value)
        target.number_format = "0.0"
    elif c["kind"] in (T.COUNT, T.SEK):
        target.value = int(value)
        target.number_format = "#,##0"
    else:
        target.value = str(value)
        target.data_type = "s"
