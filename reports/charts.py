"""Server-side SVG charts of the follow-up report: no JavaScript, no browser, drawn the same on
the page and in the PDF (WeasyPrint renders inline SVG).

Charts are drawn from suppressed tables only (`reports.tables.suppress`): a suppressed bar is not
drawn and reads "<5" (or ".."), exactly as in the table. Every chart has a <title> and <desc>
and stands beside its table, which is the text equivalent; every bar carries its value in words,
so nothing rests on colour alone. Numbers in SVG attributes are written locale-independently.
"""

from __future__ import annotations

import math

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import tables as T

WIDTH = 640
INK = "#1b1f23"
MUTED = "#4a5561"
BAR = "#0b4f6c"
GRID = "#c9d1d9"
ELECTION = "#f6dfb8"
FONT = "DejaVu Sans, Verdana, sans-serif"
MAX_LABEL = 40


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _f(x: float) -> str:
    return f"{x:.1f}"


def _nice_max(value: float) -> tuple[float, float]:
    """A round upper bound and tick step for an axis reaching `value`."""
    if value <= 0:
        return 5.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return step * math.ceil(value / step), step


def _open(chart_id: str, height: float, title: str, description: str) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="100%" preserveAspectRatio="xMinYMin meet" font-family="{5}">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id, WIDTH, _f(height), title, description, FONT,
    )


def _cells(table: dict, key: str) -> list[tuple[dict, dict]]:
    return [(r, r["cells"][key]) for r in table["rows"] if key in r["cells"]]


def bar_chart(table: dict, key: str, *, chart_id: str) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest shown value (0–100 for shares)."""
    cells = _cells(table, key)
    percent = any(c["kind"] == T.PERCENT for _r, c in cells)
    values = [c["value"] for _r, c in cells if c["state"] == T.SHOWN and isinstance(c["value"], int | float)]
    top = 100.0 if percent else _nice_max(max(values, default=0))[0]
    label_width, bar_x, bar_max, row_h = 250, 260, 300, 21
    height = row_h * len(cells) + 10
    parts = [_open(chart_id, height, table["title"], _("Bar chart of the table “%(title)s”; the table gives "
                                                       "every figure.") % {"title": table["title"]})]
    parts.append(format_html('<line x1="{0}" y1="2" x2="{0}" y2="{1}" stroke="{2}" stroke-width="1"></line>',
                             bar_x, _f(height - 4), GRID))
    for index, (r, c) in enumerate(cells):
        y = 5 + index * row_h
        shown = c["state"] == T.SHOWN and isinstance(c["value"], int | float)
        length = max(0.0, min(1.0, c["value"] / top)) * bar_max if shown and top else 0.0
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="end" font-size="11" fill="{2}">{3}</text>',
                                 label_width, _f(y + 14), INK, _short(r["label"])))
        if length:
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="15" fill="{3}"></rect>',
                                     bar_x, _f(y + 3), _f(length), BAR))
        parts.append(format_html('<text x="{0}" y="{1}" font-size="12" fill="{2}">{3}</text>',
                                 _f(bar_x + length + 5), _f(y + 14), INK if shown else MUTED, c["display"]))
    parts.append(mark_safe("</svg>"))  # noqa: S308 (constant markup)
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part built by format_html)


def month_chart(table: dict, key: str, *, chart_id: str) -> SafeString:
    """Columns per month, election periods shaded and election days and term starts named."""
    cells = _cells(table, key)
    values = [c["value"] for _r, c in cells if c["state"] == T.SHOWN and isinstance(c["value"], int | float)]
    top, step = _nice_max(max(values, default=0))
    left, right, plot_top, plot_bottom = 44, 8, 34, 206
    height = 262
    plot_h = plot_bottom - plot_top
    slot = (WIDTH - left - right) / max(1, len(cells))
    bar_w = min(34.0, slot * 0.62)
    small = len(cells) > 18
    parts = [_open(chart_id, height, table["title"], _("Column chart of reports per month with election periods "
                                                       "shaded; the table gives every figure."))]
    # election periods first, under everything else
    for index, (r, _c) in enumerate(cells):
        if r.get("chart", {}).get("election_period"):
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}"></rect>',
                                     _f(left + index * slot), plot_top, _f(slot), plot_h, ELECTION))
    for index, (r, _c) in enumerate(cells):
        for _event, fraction in r.get("chart", {}).get("events", []):
            parts.append(format_html(
                '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1.2" '
                'stroke-dasharray="4 3"></line>', _f(left + index * slot + slot * fraction), plot_top - 4,
                plot_bottom, MUTED))
    tick = 0.0
    while tick <= top + 0.001:
        y = plot_bottom - tick / top * plot_h
        parts.append(format_html('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="1"></line>',
                                 left, _f(y), WIDTH - right, GRID))
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="end" font-size="11" fill="{2}">{3}</text>',
                                 left - 6, _f(y + 4), MUTED, T.display(tick, T.COUNT)))
        tick += step
    event_count = 0
    for index, (r, c) in enumerate(cells):
        cx = left + index * slot + slot / 2
        shown = c["state"] == T.SHOWN and isinstance(c["value"], int | float)
        h = max(0.0, min(1.0, c["value"] / top)) * plot_h if shown else 0.0
        if h:
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}"></rect>',
                                     _f(cx - bar_w / 2), _f(plot_bottom - h), _f(bar_w), _f(h), BAR))
        if not small or not shown:
            parts.append(format_html(
                '<text x="{0}" y="{1}" text-anchor="middle" font-size="{2}" fill="{3}">{4}</text>',
                _f(cx), _f(plot_bottom - h - 4), 10 if small else 11, INK if shown else MUTED, c["display"]))
        label = r.get("chart", {}).get("short") or r["label"][:3]
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="middle" font-size="{2}" fill="{3}">{4}</text>',
                                 _f(cx), plot_bottom + 16, 9 if small else 11, INK, label))
        for event, fraction in r.get("chart", {}).get("events", []):
            # named above the plot at the day within the month (its line is drawn under the bars);
            # two label rows so that neighbouring events do not overlap
            x = left + index * slot + slot * fraction
            row = event_count % 2
            event_count += 1
            anchor = "start" if index < len(cells) / 2 else "end"
            parts.append(format_html(
                '<text x="{0}" y="{1}" text-anchor="{2}" font-size="11" font-weight="bold" fill="{3}">{4}</text>',
                _f(x + (4 if anchor == "start" else -4)), 11 + 13 * row, anchor, INK, event))
    parts.append(format_html('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="1.5"></line>',
                             left, plot_bottom, WIDTH - right, INK))
    legend_y, legend_x = plot_bottom + 40, left
    parts.append(format_html('<rect x="{0}" y="{1}" width="14" height="12" fill="{2}"></rect>',
                             legend_x, legend_y - 10, BAR))
    parts.append(format_html('<text x="{0}" y="{1}" font-size="11" fill="{2}">{3}</text>',
                             legend_x + 20, legend_y, INK, _("Reports")))
    if any(r.get("chart", {}).get("election_period") for r, _c in cells):
        parts.append(format_html('<rect x="{0}" y="{1}" width="14" height="12" fill="{2}" stroke="{3}"></rect>',
                                 legend_x + 150, legend_y - 10, ELECTION, MUTED))
        parts.append(format_html('<text x="{0}" y="{1}" font-size="11" fill="{2}">{3}</text>',
                                 legend_x + 170, legend_y, INK, _("Election period")))
    parts.append(mark_safe("</svg>"))  # noqa: S308 (constant markup)
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part built by format_html)


def attach_charts(data: dict) -> dict:
    """Add `svg` to every table of suppressed data that asks for a chart."""
    if not data.get("suppressed"):
        raise ValueError("charts are drawn from suppressed data only")
    for section in data["sections"]:
        for table in section["tables"]:
            spec = table.get("chart")
            if not spec or not table["rows"]:
                continue
            chart_id = f"chart-{table['id'].replace('_', '-')}"
            if spec["type"] == "month":
                table["svg"] = month_chart(table, spec["column"], chart_id=chart_id)
            else:
                table["svg"] = bar_chart(table, spec["column"], chart_id=chart_id)
    return data
