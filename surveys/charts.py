"""The survey results' charts: `core.charts` with the two series the pages compare — this
municipality's rounds and Sweden's national figures (PTU)."""

from __future__ import annotations

from core import charts
from core.charts import bar_chart, inline_bar

__all__ = ["Bar", "bar_chart", "inline_bar"]

SERIES = {"local": charts.BAR, "national": charts.MUTED}


class Bar(charts.Bar):
    """One bar of a survey chart (0–100 %), coloured by its series: "local" or "national"."""

    def __init__(self, label: str, percent: float | None, display: str, series: str = "local") -> None:
        super().__init__(label, percent, display, SERIES[series])
