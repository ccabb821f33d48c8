"""What the training services share: where an official's e-mail goes, and in which language."""

from __future__ import annotations

from typing import Protocol

from core.notify import Addressee, language_of
from officials.models import Official


def official_address(official: Official) -> str:
    """Where an official's e-mail goes: their account's address, else the assignment address."""
    user = official.user if official.user_id else None
    return (user.email if user is not None and user.email else "") or official.work_email


def official_addressee(official: Official) -> Addressee:
    """An official's address (`official_address`) in the language their account reads Värn in."""
    return Addressee(official_address(official), language_of(official.user if official.user_id else None))


# `transition(stamp=CHANGED)`: who changed a row's status, and when.
CHANGED = {"by": "changed_by", "at": "changed_at"}


class _InCalendars(Protocol):
    sequence: int


def next_calendar_revision(obj: _InCalendars, before: str) -> list[str]:
    """`transition(update=…)` for a move that changes a calendar event (cancelled, moved): a
    higher revision, so that calendars replace the event they hold."""
    obj.sequence += 1
    return ["sequence"]
