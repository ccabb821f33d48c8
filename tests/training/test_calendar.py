import datetime as dt

import pytest

from training.calendar import (
    Term,
    add_months,
    is_ordinary_election_year,
    next_ordinary_election,
    ordinary_election_day,
    ordinary_elections,
    term_for,
)


@pytest.mark.parametrize(("year", "day"), [(2018, dt.date(2018, 9, 9)), (2022, dt.date(2022, 9, 11)),
                                           (2026, dt.date(2026, 9, 13)), (2030, dt.date(2030, 9, 8)),
                                           (2034, dt.date(2034, 9, 10))])
def test_ordinary_election_is_the_second_sunday_of_september(year, day):
    assert ordinary_election_day(year) == day
    assert day.weekday() == 6


def test_only_every_fourth_year_has_an_ordinary_election():
    assert [y for y in range(2020, 2035) if is_ordinary_election_year(y)] == [2022, 2026, 2030, 2034]
    with pytest.raises(ValueError):
        ordinary_election_day(2027)


def test_elections_between_and_next():
    assert ordinary_elections(dt.date(2022, 1, 1), dt.date(2030, 12, 31)) == [
        dt.date(2022, 9, 11), dt.date(2026, 9, 13), dt.date(2030, 9, 8)]
    assert next_ordinary_election(dt.date(2026, 9, 14)) == dt.date(2030, 9, 8)
    assert next_ordinary_election(dt.date(2026, 9, 13)) == dt.date(2026, 9, 13)


@pytest.mark.parametrize(("day", "year"), [(dt.date(2026, 10, 14), 2022), (dt.date(2026, 10, 15), 2026),
                                          (dt.date(2030, 10, 14), 2026), (dt.date(2030, 10, 15), 2030),
                                          (dt.date(2028, 2, 29), 2026)])
def test_term_for(day, year):
    assert term_for(day).year == year


def test_term_dates_and_years():
    term = Term(2026)
    assert (term.start, term.end) == (dt.date(2026, 10, 15), dt.date(2030, 10, 14))
    assert term.opening_election == dt.date(2026, 9, 13)
    assert term.closing_election == dt.date(2030, 9, 8)
    assert term.revision_year == 2029
    assert term.pre_election_window == (dt.date(2030, 3, 1), dt.date(2030, 9, 7))
    assert term.year_index(dt.date(2026, 10, 15)) == 1
    assert term.year_index(dt.date(2027, 10, 14)) == 1
    assert term.year_index(dt.date(2027, 10, 15)) == 2
    assert term.year_index(dt.date(2030, 10, 14)) == 4
    with pytest.raises(ValueError):
        term.year_index(dt.date(2030, 10, 15))
    assert term.label == "2026–2030"


def test_periods_cover_the_term_without_gaps():
    term = Term(2026)
    for months in (1, 5, 6, 7, 12):
        periods = term.periods(months)
        assert periods[0][1] == term.start and periods[-1][2] == term.end
        assert all(b[1] - a[2] == dt.timedelta(days=1) for a, b in zip(periods, periods[1:], strict=False))
    assert len(term.periods(6)) == 8


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 10, 15), -12) == dt.date(2025, 10, 15)
