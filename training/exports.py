"""The KL 4:18a compliance list as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .selectors import ComplianceRow


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _table(offers, rows: list[ComplianceRow]) -> tuple[list[str], list[list[str]]]:
    header = [_("Name"), *[offer.display_title for offer in offers], _("Missing"), _("Last security conversation"),
              _("Next security conversation due")]
    body = []
    for row in rows:
        cells = [row.official.full_name]
        for offer in offers:
            done = row.done.get(offer.pk)
            cells.append(done.isoformat() if done else _("Missing"))
        cells.append("; ".join(offer.display_title for offer in row.missing))
        cells.append(row.last_conversation.isoformat() if row.last_conversation else "")
        cells.append(row.next_conversation_due.isoformat() if row.next_conversation_due else "")
        body.append([_safe(str(c)) for c in cells])
    return [_safe(str(h)) for h in header], body


def compliance_csv(offers, rows, today: date) -> HttpResponse:
    header, body = _table(offers, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(body)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kl-4-18a-{today.isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def compliance_xlsx(offers, rows, today: date) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, body = _table(offers, rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "KL 4-18a"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append(line)
    sheet.freeze_panes = "B2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="kl-4-18a-{today.isoformat()}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
