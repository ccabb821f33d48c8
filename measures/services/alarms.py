"""Alarm centres and alarm events (DOMAIN.md › Alarm events): writes."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_change
from core.dates import format_datetime
from core.notify import absolute_url, tell, users_with_role
from core.workflow import lock
from incidents.models import Case

from .. import permissions as perms
from ..models import (
    ALARM_ACKNOWLEDGED,
    ALARM_EVENT_WORKFLOW,
    ALARM_LIVE_STATUSES,
    AlarmEvent,
    AlarmKind,
    AlarmProvider,
    Measure,
)
from ..permissions import AlarmAction

log = logging.getLogger("measures.alarms")

TOKEN_PREFIX = "varn_alarm_"  # noqa: S105 — a public prefix, not a secret


class UnknownAlarm(Exception):
    """No alarm in place matches the alarm centre's identifier and kind."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def provider_for_token(token: str) -> AlarmProvider | None:
    """The active alarm centre whose token this is (looked up by its hash), or None."""
    if not token or len(token) > 200:
        return None
    return AlarmProvider.objects.filter(token_hash=hash_token(token), is_active=True).first()


@transaction.atomic
def alarm_provider_create(*, actor: User | None, name: str) -> tuple[AlarmProvider, str]:
    """A new alarm centre and its token. The token is returned once and never stored: only its
    SHA-256 hash is."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the alarm centre's name.")})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    provider = AlarmProvider(name=name, token_hash=hash_token(token), token_hint=token[: len(TOKEN_PREFIX) + 4])
    provider.full_clean()
    provider.save()
    audit_change(actor=actor, action="alarm_provider_create", obj=provider, to_state="active")
    return provider, token


@transaction.atomic
def alarm_provider_rotate_token(*, actor: User | None, provider: AlarmProvider) -> tuple[AlarmProvider, str]:
    """Replace the alarm centre's token (the old one stops working at once)."""
    provider = lock(provider)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    provider.token_hash = hash_token(token)
    provider.token_hint = token[: len(TOKEN_PREFIX) + 4]
    provider.save(update_fields=["token_hash", "token_hint"])
    audit_change(actor=actor, action="alarm_provider_rotate_token", obj=provider)
    return provider, token


@transaction.atomic
def alarm_event_receive(*, provider: AlarmProvider, event_id: str, alarm_identifier: str, alarm_kind: str,
                        occurred_at: datetime, now: datetime | None = None) -> tuple[AlarmEvent, bool]:
    """Record an alarm event from an alarm centre: (event, created). The same event id from the
    same centre twice is one event (the database's unique constraint holds under a race). Matched
    to the alarm measure in place with this identifier and kind; the on-call officers and the
    case's handler are told at once. Raises UnknownAlarm when nothing matches."""
    now = now or timezone.now()
    existing = AlarmEvent.objects.filter(provider=provider, event_id=event_id).first()
    if existing is not None:
        return existing, False
    measure = (Measure.objects.select_related("case__official", "case__handler", "measure_type")
               .filter(alarm_identifier=alarm_identifier, measure_type__alarm_kind=alarm_kind,
                       status__in=ALARM_LIVE_STATUSES)
               .filter(Q(alarm_provider__isnull=True) | Q(alarm_provider=provider))
               .first())
    if measure is None:
        raise UnknownAlarm
    event = AlarmEvent(provider=provider, event_id=event_id, alarm_identifier=alarm_identifier, alarm_kind=alarm_kind,
                       occurred_at=occurred_at, received_at=now, measure=measure, case=measure.case)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # the same event arrived twice at once: the first one stands
        return AlarmEvent.objects.get(provider=provider, event_id=event_id), False
    AlarmProvider.objects.filter(pk=provider.pk).update(last_used_at=now)
    audit_change(actor=None, action="alarm_event_receive", obj=event, to_state="received", case_id=measure.case_id,
                 official_id=measure.case.official_id, reason=f"alarm centre {provider.pk}")
    _tell_on_call(event, measure)
    return event, True


def _tell_on_call(event: AlarmEvent, measure: Measure) -> None:
    recipients = [*users_with_role(Role.ON_CALL), measure.case.handler]  # `tell` skips a missing or repeated one
    occurred_at = event.occurred_at
    kind = event.alarm_kind
    url = absolute_url("measures:alarmevent-detail", event.pk)
    tell(recipients,
         lambda: _("ALARM: %(kind)s went off (%(when)s)") % {"kind": AlarmKind(kind).label,
                                                              "when": format_datetime(occurred_at)},
         lambda: _("An alarm registered in Värn went off at %(when)s. Act now according to the on-call routine. "
                   "Log in to see whose alarm it is and the case:\n%(link)s") % {"when": format_datetime(occurred_at),
                                                                                  "link": url})


@transaction.atomic
def alarm_event_acknowledge(*, actor: User, event: AlarmEvent, note: str) -> AlarmEvent:
    """The on-call officer (or the security unit) records that the alarm was handled."""
    if not perms.can_view_alarms(actor):
        raise PermissionDenied
    event = lock(event)
    from_state = event.state
    ALARM_EVENT_WORKFLOW.check(from_state, ALARM_ACKNOWLEDGED)
    if AlarmAction.ACKNOWLEDGE not in perms.alarm_actions(event, actor):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what was done.")})
    event.acknowledged_at = timezone.now()
    event.acknowledged_by = actor
    event.acknowledge_note = note
    event.full_clean()
    event.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledge_note"])
    audit_change(actor=actor, action="alarm_event_acknowledge", obj=event, from_state=from_state,
                 to_state=event.state, case_id=event.case_id,
                 official_id=Case.objects.filter(pk=event.case_id).values_list("official_id", flat=True).first())
    return event
