"""What every training service shares: the transition guard, addresses and links."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class InvalidTransition(ValidationError):
    """A move the workflow does not allow from the current state. A ValidationError, so that a
    view shows it as a translated message instead of a server error."""


def guard(transitions: dict[str, set[str]], current: str, target: str, labels: dict | None = None) -> None:
    """Raise InvalidTransition unless `transitions` allows current → target."""
    if target not in transitions.get(current, set()):
        labels = labels or {}
        raise InvalidTransition(
            _("This cannot go from “%(from)s” to “%(to)s”.")
            % {"from": labels.get(current, current), "to": labels.get(target, target)}
        )


def absolute(path: str) -> str:
    """A link for an e-mail or a calendar file."""
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def official_address(official) -> str:
    """Where an official's e-mail goes: their account's address, else the assignment address."""
    user = official.user if official.user_id else None
    return (user.email if user is not None and user.email else "") or official.work_email
