"""Text Värn writes for people and keeps — a course title the planner made, a reminder, a planned
meeting's title — stored as a message id with its parameters and written in the READER's language
when shown (issue 15, point 11). The stored column beside it holds the same text in the
municipality's language, for the admin, searches and anything that reads the column directly.

    from django.utils.translation import gettext_noop
    from core.texts import text, render

    stored = text(gettext_noop("Schedule sessions and send invitations: %(title)s"), title=offer.title_text or offer.title)
    reminder.message_text = stored      # a JSONField
    render(stored)                      # in the active language, at display time

Write the message id with `gettext_noop` where it is used, so that `makemessages` finds it.
A parameter is plain text or a number (shown as it is), a date (shown in the reader's format), a
lazy translation such as a choice's label, or another stored text (a course title inside an offer
title): each is written in the reader's language too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

# The JSON kept in the database: {"msgid": "...", "params": {"name": value}}; a value is a str, an
# int, {"date": "YYYY-MM-DD"} or a stored text.
StoredText = dict[str, Any]


def text(msgid: str, **params: Any) -> StoredText:
    """A stored text: `msgid` (English, marked with `gettext_noop`) and its parameters."""
    return {"msgid": str(msgid), "params": {name: _stored_param(value) for name, value in params.items()}}


def is_text(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("msgid"), str)


def _stored_param(value: Any) -> Any:
    if is_text(value):
        return value
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Promise):
        # A lazy translation (a choice's label): its English text is its message id.
        with translation.override("en"):
            return {"msgid": str(value), "params": {}}
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return value
    return str(value)


def format_date(value: date) -> str:
    """How a date inside a stored text is shown (the one place to change it)."""
    return value.isoformat()


def _render_param(value: Any) -> Any:
    if is_text(value):
        return render(value)
    if isinstance(value, dict) and "date" in value:
        try:
            return format_date(date.fromisoformat(str(value["date"])))
        except ValueError:
            return str(value["date"])
    return value


def render(stored: StoredText | None, fallback: str = "") -> str:
    """The stored text in the active language; `fallback` (the stored column) when there is none
    or it cannot be read."""
    if not is_text(stored):
        return fallback
    assert stored is not None
    raw = stored.get("params") or {}
    params = {name: _render_param(value) for name, value in raw.items()} if isinstance(raw, dict) else {}
    message = gettext(stored["msgid"]) if stored["msgid"] else ""
    if not params:
        return message
    try:
        return message % params
    except (KeyError, ValueError, TypeError):
        try:  # a translation whose placeholders differ: the English text
            return str(stored["msgid"]) % params
        except (KeyError, ValueError, TypeError):
            return fallback or str(stored["msgid"])


def render_in(language: str, stored: StoredText | None, fallback: str = "") -> str:
    """The stored text in `language` (e.g. the municipality's, for the stored column)."""
    with translation.override(language):
        return render(stored, fallback)
