"""Dates and times written for people: the named formats of `config/formats/<language>/` (the one
format per language), in the active language, a datetime in the municipality's time zone.

Call these when the text is written for its reader — in a view, a template tag, or inside the
lambdas given to `core.notify.tell()` (which run in the recipient's language) — never before, or
the date is written in the sender's language. Machine formats (ISO 8601 in CSV, ICS, audit
`from`/`to`, form values) are not these: use `.isoformat()` there."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def format_date(value: dt.date | None) -> str:
    """"4 december 2026" / "4 December 2026"; a datetime is first taken to local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def format_datetime(value: dt.datetime | None) -> str:
    """"4 december 2026 kl. 14.30" / "4 December 2026, 14:30", in local time."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def format_time(value: dt.time | dt.datetime | None) -> str:
    """"14.30" / "14:30", in local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.time_format(value, "TIME_FORMAT")


def format_month(value: dt.date) -> str:
    """"december 2026" / "December 2026"."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def format_day_month(value: dt.date) -> str:
    """"4 december" / "4 December": only where the year is plain from the context (a chart's axis)."""
    return formats.date_format(value, "MONTH_DAY_FORMAT")
