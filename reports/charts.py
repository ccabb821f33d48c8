"""The follow-up report's charts, drawn with `core.charts` (server-side SVG, the same on the page
and in the PDF): a bar chart of a table's column, and the month chart with election periods.

Charts are drawn from suppressed tables only (`reports.tables.suppress`): a suppressed bar is not
drawn and reads "<5" (or ".."), exactly as in the table. Every chart has a <title> and <desc>
and stands beside its table, which is the text equivalent; every bar carries its value in words,
so nothing rests on colour alone. Numbers in SVG attributes are written locale-independently.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import charts
from core.charts import BAR, GRID, INK, MUTED, WIDTH, fmt

from . import tables as T

ELECTION = "#f6dfb8"


def _cells(table: dict[str, Any], key: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(r, r["cells"][key]) for r in table["rows"] if key in r["cells"]]


def _shown(cell: dict[str, Any]) -> bool:
    return cell["state"] == T.SHOWN and isinstance(cell["value"], int | float)


def bar_chart(table: dict[str, Any], key: str, *, chart_id: str) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest shown value (0–100 for shares)."""
    cells = _cells(table, key)
    percent = any(c["kind"] == T.PERCENT for _r, c in cells)
    values = [c["value"] for _r, c in cells if _shown(c)]
    top = 100.0 if percent else charts.nice_max(max(values, default=0))[0]
    return charts.bar_chart(
        chart_id=chart_id, title=table["title"],
        description=_("Bar chart of the table “%(title)s”; the table gives every figure.") % {"title": table["title"]},
        bars=[charts.Bar(r["label"], c["value"] if _shown(c) else None, c["display"]) for r, c in cells],
        top=top, layout=charts.COMPACT)


def month_chart(table: dict[str, Any], key: str, *, chart_id: str) -> SafeString:
    """Columns per month, election periods shaded and election days and term starts named."""
    cells = _cells(table, key)
    values = [c["value"] for _r, c in cells if _shown(c)]
    top, step = charts.nice_max(max(values, default=0))
    left, right, plot_top, plot_bottom = 44, 8, 34, 206
    height = 262
    plot_h = plot_bottom - plot_top
    slot = (WIDTH - left - right) / max(1, len(cells))
    bar_w = min(34.0, slot * 0.62)
    small = len(cells) > 18
    parts = [charts.svg_open(chart_id, height, table["title"], _("Column chart of reports per month with election "
                                                               "periods shaded; the table gives every figure."))]
    # election periods first, under everything else
    for index, (r, _c) in enumerate(cells):
        if r.get("chart", {}).get("election_period"):
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}"></rect>',
                                     fmt(left + index * slot), plot_top, fmt(slot), plot_h, ELECTION))
    for index, (r, _c) in enumerate(cells):
        for _event, fraction in r.get("chart", {}).get("events", []):
            parts.append(format_html(
                '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1.2" '
                'stroke-dasharray="4 3"></line>', fmt(left + index * slot + slot * fraction), plot_top - 4,
                plot_bottom, MUTED))
    tick = 0.0
    while tick <= top + 0.001:
        y = plot_bottom - tick / top * plot_h
        parts.append(format_html('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}" stroke-width="1"></line>',
                                 left, fmt(y), WIDTH - right, GRID))
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="end" font-size="11" fill="{2}">{3}</text>',
                                 left - 6, fmt(y + 4), MUTED, T.display(tick, T.COUNT)))
        tick += step
    event_count = 0
    for index, (r, c) in enumerate(cells):
        cx = left + index * slot + slot / 2
        shown = _shown(c)
        h = max(0.0, min(1.0, c["value"] / top)) * plot_h if shown else 0.0
        if h:
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}"></rect>',
                                     fmt(cx - bar_w / 2), fmt(plot_bottom - h), fmt(bar_w), fmt(h), BAR))
        if not small or not shown:
            parts.append(format_html(
                '<text x="{0}" y="{1}" text-anchor="middle" font-size="{2}" fill="{3}">{4}</text>',
                fmt(cx), fmt(plot_bottom - h - 4), 10 if small else 11, INK if shown else MUTED, c["display"]))
        label = r.get("chart", {}).get("short") or r["label"][:3]
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="middle" font-size="{2}" fill="{3}">{4}</text>',
                                 fmt(cx), plot_bottom + 16, 9 if small else 11, INK, label))
        for event, fraction in r.get("chart", {}).get("events", []):
            # named above the plot at the day within the month (its line is drawn under the bars);
            # two label rows so that neighbouring events do not overlap
            x = left + index * slot + slot * fraction
            row = event_count % 2
            event_count += 1
            anchor = "start" if index < len(cells) / 2 else "end"
            parts.append(format_html(
                '<text x="{0}" y="{1}" text-anchor="{2}" font-size="11" font-weight="bold" fill="{3}">{4}</text>',
                fmt(x + (4 if anchor == "start" else -4)), 11 + 13 * row, anchor, INK, event))
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
    return charts.svg(parts)


def attach_charts(data: dict[str, Any]) -> dict[str, Any]:
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
