"""The period a follow-up report covers: a calendar year by default, or any span of days up to
`MAX_DAYS` long. Pure date arithmetic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from core.dates import format_date

# A report covers at most three years: the month chart stays readable and the figures comparable.
MAX_DAYS = 3 * 366
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        return self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31)

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return str(self.start.year)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def slug(self) -> str:
        return str(self.start.year) if self.is_calendar_year else f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def start_at(self) -> dt.datetime:
        """The first moment of the period, in the municipality's time zone."""
        return _midnight(self.start)

    def end_before(self) -> dt.datetime:
        """The first moment after the period."""
        return _midnight(self.end + dt.timedelta(days=1))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every calendar month the period touches, in order."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def clip(self, start: dt.date, end: dt.date) -> Period | None:
        """The part of start–end inside this period, or None."""
        first, last = max(start, self.start), min(end, self.end)
        return Period(first, last) if first <= last else None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
