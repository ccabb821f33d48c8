"""The audit trail: one call for a change, one for a read. Never put private data in `reason`.

Every action code has a readable, translated label, which is what people see (the audit trail,
"who has read my data", an official's history, the CSV export): each app registers the labels
of its own actions in its `AppConfig.ready()` from its `audit_labels.py`,

    audit.register_action_labels(audit_labels.LABELS)   # {"case_view": _("Case viewed"), ...}

and `action_label(action, kind)` gives the label, or — for a code nobody labelled — a generic
one by kind ("Other change", "Other read"…), never the code itself. The `from`/`to` values are
shown by the labels of the object's model's choices, or of the codes an app registers with
`register_state_labels(audit_labels.STATES)` (a reminder's kind, a role). `tests/test_audit_labels.py`
walks every action and every constant state the code writes and fails on one without a label."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .dates import format_date
from .models import AuditEvent

_LABELS: dict[str, str | Promise] = {}
_STATES: dict[str, str | Promise] = {}

# Shown for an action without a label of its own: what kind of event it was, never the code.
_FALLBACKS: dict[str, str | Promise] = {
    AuditEvent.Kind.CHANGE: _("Other change"),
    AuditEvent.Kind.READ: _("Other read"),
    AuditEvent.Kind.LOGIN: _("Other login event"),
    AuditEvent.Kind.EXPORT: _("Other export"),
}
_UNKNOWN = _("Other event")


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    """Register readable labels (lazy translations) for action codes. Called from each app's
    `AppConfig.ready()`; registering the same label again is harmless, a different one for the
    same code is an error (two apps would be using one code for two things)."""
    for action, label in labels.items():
        known = _LABELS.get(action)
        if known is not None and str(known) != str(label):
            raise ImproperlyConfigured(f"Audit action {action!r} has two labels: {known!r} and {label!r}")
        _LABELS[action] = label


def action_labels() -> dict[str, str | Promise]:
    """Every registered action code and its label (for the filter and the tests)."""
    return dict(_LABELS)


def has_action_label(action: str) -> bool:
    return action in _LABELS


def action_label(action: str, kind: str = "") -> str:
    """The action as people read it, in the active language; never the raw code."""
    label = _LABELS.get(action)
    if label is None:
        label = _FALLBACKS.get(kind, _UNKNOWN)
    return str(label)


def actions_matching(text: str) -> list[str]:
    """The action codes whose label (in the active language) contains `text`, ignoring case."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return sorted(action for action, label in _LABELS.items() if needle in str(label).casefold())


def register_state_labels(labels: Mapping[str, str | Promise]) -> None:
    """Register labels for the codes an app writes as `from`/`to` (or as a whole `reason`) that
    are not a choice of the object's model: a reminder's kind, "open" → "done", a role."""
    for code, label in labels.items():
        known = _STATES.get(code)
        if known is not None and str(known) != str(label):
            raise ImproperlyConfigured(f"Audit state {code!r} has two labels: {known!r} and {label!r}")
        _STATES[code] = label


def has_state_label(object_type: str, code: str) -> bool:
    """Whether `code` is shown by a label: a choice of the object's model or a registered one."""
    return _part_label(_model(object_type), code) != code or code in _STATES


# A `from`/`to` value may join several codes: "status/priority/handler", "field:given", "role@body".
_PARTS = re.compile(r"([/:,@])")


def state_label(object_type: str, value: str) -> str:
    """A `from`/`to` value as people read it: each code in it by its label — a choice of the
    object's model ("in_place" → "Verkställd"), a registered state, a field's name — an ISO date
    in the one date format; anything else (a reference, a number, a name) unchanged."""
    if not value:
        return ""
    model = _model(object_type)
    parts = _PARTS.split(value)
    return "".join(", " if part == "," else part if part in "/:@" else _part_label(model, part) for part in parts)


def reason_label(object_type: str, reason: str) -> str:
    """A reason the code wrote as codes — the changed fields ("private_email, private_phone", as
    the update services and the admin write them) or a registered code — as people read it;
    a reason someone typed is shown as typed."""
    if not reason:
        return ""
    if reason in _STATES:
        return str(_STATES[reason])
    model = _model(object_type)
    if model is None:
        return reason
    names = [name.strip() for name in reason.split(",")]
    fields = _field_names(model)
    if not all(name in fields for name in names):
        return reason
    return ", ".join(fields[name] for name in names)


def _part_label(model: type[models.Model] | None, code: str) -> str:
    if model is not None:
        for field in _choice_fields(model):
            for choice, label in field.flatchoices:
                if str(choice) == code:
                    return str(label)
    if code in _STATES:
        return str(_STATES[code])
    if model is not None and code in _field_names(model):
        return _field_names(model)[code]
    if len(code) == 10 and code[4] == "-":
        try:
            return format_date(dt.date.fromisoformat(code))
        except ValueError:
            pass
    return code


def _choice_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's fields with choices, the status first (another field may share a code)."""
    return sorted((f for f in model._meta.concrete_fields if f.flatchoices), key=lambda f: f.name != "status")


def _field_names(model: type[models.Model]) -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in model._meta.concrete_fields}


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _ident(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _scope(obj: models.Model | None, case_id: int | None, official_id: int | None) -> tuple[int | None, int | None]:
    """Tie the row to a case and an official when the object knows them, so that an official
    can see who read their case and the security chief can filter by case."""
    if obj is not None:
        if case_id is None:
            case_id = getattr(obj, "audit_case_id", None)
        if official_id is None:
            official_id = getattr(obj, "audit_official_id", None)
    return case_id, official_id


def audit_change(*, actor: Any, action: str, obj: models.Model | None = None, from_state: str = "",
                 to_state: str = "", reason: str = "", case_id: int | None = None,
                 official_id: int | None = None) -> AuditEvent:
    object_type, object_id = _ident(obj)
    case_id, official_id = _scope(obj, case_id, official_id)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=AuditEvent.Kind.CHANGE, action=action, object_type=object_type, object_id=object_id,
        case_id=case_id, official_id=official_id, from_state=str(from_state or ""), to_state=str(to_state or ""),
        reason=reason or "",
    )


def audit_read(*, actor: Any, action: str, obj: models.Model, case_id: int | None = None,
               official_id: int | None = None, kind: str = AuditEvent.Kind.READ) -> AuditEvent:
    object_type, object_id = _ident(obj)
    case_id, official_id = _scope(obj, case_id, official_id)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind, action=action, object_type=object_type, object_id=object_id,
        case_id=case_id, official_id=official_id,
    )
