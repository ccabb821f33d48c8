"""Helpers shared by the services of this app."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.notify import notify

from ..models import DECIDED_STATUSES, TRANSITIONS, MeasureStatus


class InvalidTransition(ValidationError):
    """A move that the transitions table does not allow (or that someone else made first)."""


class FourEyesViolation(ValidationError):
    """The proposer of a measure tried to decide it."""


def link(url_name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, args=args)}"


def users_with_role(role: str, **filters):
    return (get_user_model().objects.filter(groups__name=role, is_active=True, **filters)
            .exclude(email="").distinct())


def tell(users: Iterable, subject: Callable[[], str], body: Callable[[], str]) -> None:
    """Queue one e-mail per person, in their own language (on commit, through the outbox).
    `subject` and `body` are called with the person's language active. Never confidential text."""
    by_language: dict[str, list] = {}
    seen: set[int] = set()
    for user in users:
        if user is None or not user.is_active or not user.email or user.pk in seen:
            continue
        seen.add(user.pk)
        by_language.setdefault(getattr(user, "language", None) or settings.LANGUAGE_CODE, []).append(user)
    for language, group in by_language.items():
        with translation.override(language):
            notify(group, str(subject()), str(body()))


def status_label(status: str) -> str:
    return str(MeasureStatus(status).label) if status in MeasureStatus.values else status


def check_transition(from_status: str, to_status: str) -> None:
    """The one guard for measure status changes."""
    if to_status in TRANSITIONS.get(from_status, frozenset()):
        return
    if to_status in (MeasureStatus.APPROVED, MeasureStatus.REJECTED) and from_status in DECIDED_STATUSES:
        raise InvalidTransition(
            _("This proposal has already been decided (%(status)s). Nothing was changed.")
            % {"status": status_label(from_status).lower()}, code="already_decided")
    raise InvalidTransition(
        _("A measure cannot go from “%(from)s” to “%(to)s”.")
        % {"from": status_label(from_status), "to": status_label(to_status)}, code="invalid_transition")
