"""The alarm centre's endpoint (DOMAIN.md › Alarm events).

    POST /measures/api/alarm-events/
    Authorization: Bearer <the alarm centre's token>
    Content-Type: application/json

    {"event_id": "evt-2026-000123",            # the centre's own id of this event (idempotency key)
     "alarm_id": "PA-0042",                     # the alarm's identifier, as registered on the measure
     "type": "personal",                        # personal | burglar | safety
     "occurred_at": "2026-11-23T14:02:00+01:00"}  # ISO 8601 with a UTC offset

Answers (JSON): 201 created; 200 the same event id again (nothing new is created); 400 a
malformed payload, with what is wrong; 401 a missing or wrong token; 404 no alarm in place with
this id and type; 405 anything but POST; 413 a body over 16 kB.

PUBLIC ENDPOINT: it is exempt from login (`@login_not_required`) and from CSRF (`@csrf_exempt`)
because the caller is a machine that authenticates with its bearer token on every request; only
the token's SHA-256 hash is stored (`AlarmProvider`). Every outcome is logged without private
data (no alarm identifiers, no names): the centre's id and the event id.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import AlarmKind
from .services import UnknownAlarm, alarm_event_receive, provider_for_token

log = logging.getLogger("measures.alarms")

MAX_BODY_BYTES = 16 * 1024
_ID_RE = re.compile(r"^[A-Za-z0-9._:\-/]{1,100}$")


def _error(status: int, message: str, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="varn-alarm-events"'
    if status == 405:
        response["Allow"] = "POST"
    return response


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _parse(body: bytes) -> tuple[dict | None, dict[str, str] | str]:
    """(cleaned payload, None-or-errors). Errors are a message, or a message per field."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "The body is not valid JSON."
    if not isinstance(data, dict):
        return None, "The body must be a JSON object."
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, max_length in (("event_id", 100), ("alarm_id", 64)):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            errors[name] = "Required: a non-empty string."
        elif len(value.strip()) > max_length or not _ID_RE.match(value.strip()):
            errors[name] = f"At most {max_length} characters: letters, digits and . _ : - /"
        else:
            cleaned[name] = value.strip()
    kind = data.get("type")
    if kind not in AlarmKind.values:
        errors["type"] = f"Required: one of {', '.join(AlarmKind.values)}."
    else:
        cleaned["type"] = kind
    raw = data.get("occurred_at")
    occurred = None
    if isinstance(raw, str):
        try:
            occurred = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            occurred = None
    if occurred is None:
        errors["occurred_at"] = "Required: a time in ISO 8601, e.g. 2026-11-23T14:02:00+01:00."
    elif occurred.tzinfo is None:
        errors["occurred_at"] = "The time needs a UTC offset (e.g. +01:00 or Z)."
    elif occurred > timezone.now() + timedelta(minutes=10):
        errors["occurred_at"] = "The time lies in the future."
    else:
        cleaned["occurred_at"] = occurred
    return (None, errors) if errors else (cleaned, {})


@csrf_exempt  # a machine caller authenticated by its bearer token on every request; no cookies
@login_not_required  # public on purpose: the bearer token is the authentication
def alarm_event_receive_view(request):
    if request.method != "POST":
        return _error(405, "Use POST.")
    provider = provider_for_token(_bearer(request))
    if provider is None:
        log.warning("alarm event refused: missing or unknown token")
        return _error(401, "Missing or invalid bearer token.")
    if len(request.body) > MAX_BODY_BYTES:
        log.warning("alarm event from centre %s refused: body too large", provider.pk)
        return _error(413, "The body is too large.")
    cleaned, errors = _parse(request.body)
    if cleaned is None:
        log.warning("alarm event from centre %s refused: malformed payload (%s)", provider.pk,
                    ", ".join(sorted(errors)) if isinstance(errors, dict) else errors)
        if isinstance(errors, dict):
            return _error(400, "The payload is malformed.", fields=errors)
        return _error(400, errors)
    try:
        event, created = alarm_event_receive(provider=provider, event_id=cleaned["event_id"],
                                             alarm_identifier=cleaned["alarm_id"], alarm_kind=cleaned["type"],
                                             occurred_at=cleaned["occurred_at"])
    except UnknownAlarm:
        log.warning("alarm event %s from centre %s: unknown alarm", cleaned["event_id"], provider.pk)
        return _error(404, "Unknown alarm: no alarm in place has this id and type.")
    if created:
        log.info("alarm event %s from centre %s recorded as %s", cleaned["event_id"], provider.pk, event.reference)
        return JsonResponse({"status": "created", "event": event.reference}, status=201)
    log.info("alarm event %s from centre %s: duplicate of %s", cleaned["event_id"], provider.pk, event.reference)
    return JsonResponse({"status": "duplicate", "event": event.reference}, status=200)
