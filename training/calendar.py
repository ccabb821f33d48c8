"""The election calendar (DOMAIN.md › Prevention over the term).

Swedish ordinary elections fall on the second Sunday of September every fourth year (2022-09-11,
2026-09-13, 2030-09-08 …). The council's term starts on 15 October of the election year and ends
on 14 October four years later. Extra elections are recorded by the security unit
(`training.models.ExtraElection`) and do not move the term.

Everything here is pure date arithmetic except `extra_elections_in`, which reads the database.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

REFERENCE_ELECTION_YEAR = 2022
FIRST_FOUR_YEAR_ELECTION = 1994  # every fourth year since 1994
TERM_START_MONTH, TERM_START_DAY = 10, 15
TERM_YEARS = 4
# The targeted training before an ordinary election is planned this many months before it opens
# (1 September of the year before the election: a year before the election day).
PRE_ELECTION_PLAN_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def is_ordinary_election_year(year: int) -> bool:
    return year >= FIRST_FOUR_YEAR_ELECTION and (year - REFERENCE_ELECTION_YEAR) % 4 == 0


def ordinary_election_day(year: int) -> date:
    """The second Sunday of September of an election year."""
    if not is_ordinary_election_year(year):
        raise ValueError(f"{year} is not an ordinary election year")
    first = date(year, 9, 1)
    first_sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + timedelta(days=7)


def ordinary_elections(start: date, end: date) -> list[date]:
    """Ordinary election days from `start` to `end`, both included."""
    return [
        day for year in range(start.year, end.year + 1)
        if is_ordinary_election_year(year) and start <= (day := ordinary_election_day(year)) <= end
    ]


def next_ordinary_election(on: date) -> date:
    year = on.year
    while not is_ordinary_election_year(year) or ordinary_election_day(year) < on:
        year += 1
    return ordinary_election_day(year)


@dataclass(frozen=True)
class Term:
    """One term of office: from the 15 October after an ordinary election to 14 October four
    years later. `year` (the start year) is the key the planner files everything under."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year, TERM_START_MONTH, TERM_START_DAY)

    @property
    def end(self) -> date:
        return date(self.year + TERM_YEARS, TERM_START_MONTH, TERM_START_DAY) - timedelta(days=1)

    @property
    def opening_election(self) -> date:
        """The ordinary election that elected this term's council."""
        return ordinary_election_day(self.year)

    @property
    def closing_election(self) -> date:
        """The ordinary election held at the end of this term (before `end`)."""
        return ordinary_election_day(self.year + TERM_YEARS)

    @property
    def label(self) -> str:
        return f"{self.year}–{self.year + TERM_YEARS}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def year_index(self, day: date) -> int:
        """Which of the term's four years (1–4, each from 15 October) `day` falls in."""
        if not self.contains(day):
            raise ValueError(f"{day} is outside the term {self.label}")
        index = day.year - self.year
        if (day.month, day.day) < (TERM_START_MONTH, TERM_START_DAY):
            index -= 1
        return index + 1

    def year_span(self, index: int) -> tuple[date, date]:
        start = add_months(self.start, 12 * (index - 1))
        return start, add_months(start, 12) - timedelta(days=1)

    def periods(self, months: int) -> list[tuple[int, date, date]]:
        """The term cut into periods of `months` months: (number from 1, first day, last day);
        the last period is cut at the term's end."""
        result, number, start = [], 1, self.start
        while start <= self.end:
            nxt = add_months(self.start, months * number)
            result.append((number, start, min(nxt - timedelta(days=1), self.end)))
            number, start = number + 1, nxt
        return result

    def period_on(self, day: date, months: int) -> tuple[int, date, date]:
        for period in self.periods(months):
            if period[1] <= day <= period[2]:
                return period
        raise ValueError(f"{day} is outside the term {self.label}")

    @property
    def revision_year(self) -> int:
        """The guideline is revised the year before the closing election."""
        return self.closing_election.year - 1

    @property
    def pre_election_window(self) -> tuple[date, date]:
        """Targeted on-site training for the most exposed: the spring before the closing election
        (sessions from March to the end of May), open for enrolment until the election."""
        year = self.closing_election.year
        return date(year, 3, 1), self.closing_election - timedelta(days=1)

    @property
    def pre_election_planned_from(self) -> date:
        """When the planner creates the targeted training before the closing election: months
        before it opens (`PRE_ELECTION_PLAN_MONTHS`), so that the unit sees it, extends its target
        list, books trainers and rooms, and invites in good time."""
        return add_months(self.pre_election_window[0], -PRE_ELECTION_PLAN_MONTHS)


def term_for(day: date) -> Term:
    """The term of office `day` falls in."""
    year = day.year - (day.year - REFERENCE_ELECTION_YEAR) % 4
    if day < date(year, TERM_START_MONTH, TERM_START_DAY):
        year -= TERM_YEARS
    return Term(year)


# How long before an extra election targeted training opens.
EXTRA_ELECTION_LEAD_DAYS = 90


def extra_elections_in(term: Term):
    """Extra elections recorded for `term` (a queryset)."""
    from .models import ExtraElection

    return ExtraElection.objects.filter(election_date__gte=term.start, election_date__lte=term.end)
