"""Server-side SVG charts: no JavaScript, no external library, drawn the same on a page and in a
PDF (WeasyPrint renders inline SVG). The survey results and the follow-up report draw with these.

    bar_chart(chart_id="exposure", title=..., description=..., bars=[Bar("2024", 29.0, "29 %"), ...])
    inline_bar(29.0)   # a small decorative bar beside a figure in a table cell

Every chart has a <title> and <desc> (role="img") and stands beside a table with the same
figures, which is its text equivalent. Every bar carries its value in words, so no meaning rests
on colour alone; a bar with no value (suppressed, missing) is not drawn and its text says why
("<5", "–"). Numbers in SVG attributes are written locale-independently. `svg_open`, `nice_max`,
`fmt` and `short` are the pieces other charts are built from (the report's month chart).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
INK = "#1b1f23"
MUTED = "#4a5561"
BAR = "#0b4f6c"
GRID = "#c9d1d9"
FONT = "DejaVu Sans, Verdana, sans-serif"


def fmt(x: float) -> str:
    """A coordinate, locale-independently."""
    return f"{x:.1f}"


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_max(value: float) -> tuple[float, float]:
    """A round upper bound and tick step for an axis reaching `value`."""
    if value <= 0:
        return 5.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return step * math.ceil(value / step), step


def svg_open(chart_id: str, height: float, title: str, description: str) -> SafeString:
    """The chart's opening tag with its accessible name (title) and description."""
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="100%" preserveAspectRatio="xMinYMin meet" font-family="{5}">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id, WIDTH, fmt(height), title, description, FONT,
    )


def svg(parts: Iterable[SafeString]) -> SafeString:
    """The chart: its parts (each built by `format_html`) and the closing tag."""
    return mark_safe("".join(str(p) for p in parts) + "</svg>")  # noqa: S308 (every part built by format_html)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or missing — no bar is drawn
    display: str  # what is written after the bar ("29 %", "<5")
    colour: str = BAR


@dataclass(frozen=True)
class BarLayout:
    """Sizes of a bar chart: `LARGE` for a few bars on a page, `COMPACT` for long tables and print."""

    label_width: int
    bar_max: int
    row: int
    bar_height: int
    label_size: int
    value_size: int
    label_max: int


LARGE = BarLayout(label_width=300, bar_max=260, row=28, bar_height=20, label_size=13, value_size=14, label_max=36)
COMPACT = BarLayout(label_width=250, bar_max=300, row=21, bar_height=15, label_size=11, value_size=12, label_max=40)


def bar_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar], top: float = 100.0,
              layout: BarLayout = LARGE) -> SafeString:
    """Horizontal bars from 0 to `top` (100 for shares), one per row, each followed by its value
    in words."""
    bar_x = layout.label_width + 10
    height = layout.row * len(bars) + 10
    baseline = 3 + round(layout.bar_height * 0.75)
    parts = [svg_open(chart_id, height, title, description),
             format_html('<line x1="{0}" y1="2" x2="{0}" y2="{1}" stroke="{2}" stroke-width="1"></line>',
                         bar_x, fmt(height - 4), GRID)]
    for index, bar in enumerate(bars):
        y = 5 + index * layout.row
        length = max(0.0, min(1.0, bar.value / top)) * layout.bar_max if bar.value is not None and top else 0.0
        parts.append(format_html('<text x="{0}" y="{1}" text-anchor="end" font-size="{2}" fill="{3}">{4}</text>',
                                 layout.label_width, fmt(y + baseline), layout.label_size, INK,
                                 short(bar.label, layout.label_max)))
        if length:
            parts.append(format_html('<rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}"></rect>',
                                     bar_x, fmt(y + 3), fmt(length), layout.bar_height, bar.colour))
        parts.append(format_html('<text x="{0}" y="{1}" font-size="{2}" fill="{3}">{4}</text>',
                                 fmt(bar_x + length + 5), fmt(y + baseline), layout.value_size,
                                 INK if bar.value is not None else MUTED, bar.display))
    return svg(parts)


def inline_bar(percent: float | None) -> SafeString:
    """A small decorative bar for a table cell; the cell's text carries the value."""
    length = 0.0 if percent is None else max(0.0, min(100.0, percent))
    return format_html(
        '<svg class="inline-bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
        'preserveAspectRatio="none"><rect width="{0}" height="10" fill="{1}"></rect></svg>',
        fmt(length), BAR,
    )
