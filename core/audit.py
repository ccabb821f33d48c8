"""The audit trail: one call for a change, one for a read. Never put private data in `reason`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


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
