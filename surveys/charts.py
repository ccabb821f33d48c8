"""Server-side SVG bar charts: no JavaScript, no external library, printable in a PDF.

Each chart has a <title> and <desc> (role="img") and the page always shows the same figures in
a table, which is the text equivalent. Every bar is labelled in words, so no meaning rests on
colour alone. Numbers in SVG attributes are written locale-independently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 300
BAR_X = LABEL_WIDTH + 10
BAR_MAX = 260
ROW = 28
COLOURS = {"local": "#0b4f6c", "national": "#4a5561"}
TEXT = "#1b1f23"
MAX_LABEL = 36


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None  # 0–100; None when suppressed or missing
    display: str  # what is written after the bar ("29 %", "<5")
    series: str = "local"


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars from 0 to 100 %."""
    height = ROW * len(bars) + 8
    parts = [format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id, WIDTH, height, title, description,
    )]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = 0.0 if bar.percent is None else max(0.0, min(100.0, bar.percent)) * BAR_MAX / 100
        parts.append(format_html(
            '<text x="{0}" y="{1}" text-anchor="end" font-size="13" fill="{2}">{3}</text>',
            LABEL_WIDTH, f"{y + 18:.0f}", TEXT, _short(bar.label),
        ))
        if length:
            parts.append(format_html(
                '<rect x="{0}" y="{1}" width="{2}" height="20" fill="{3}"></rect>',
                BAR_X, f"{y + 3:.0f}", f"{length:.1f}", COLOURS.get(bar.series, COLOURS["local"]),
            ))
        parts.append(format_html(
            '<text x="{0}" y="{1}" font-size="14" fill="{2}">{3}</text>',
            f"{BAR_X + length + 6:.1f}", f"{y + 18:.0f}", TEXT, bar.display,
        ))
    parts.append(mark_safe("</svg>"))  # noqa: S308 (constant markup)
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part built by format_html)


def inline_bar(percent: float | None) -> SafeString:
    """A small decorative bar for a table cell; the cell's text carries the value."""
    length = 0.0 if percent is None else max(0.0, min(100.0, percent))
    return format_html(
        '<svg class="inline-bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
        'preserveAspectRatio="none"><rect width="{0}" height="10" fill="{1}"></rect></svg>',
        f"{length:.1f}", COLOURS["local"],
    )

