"""Reference data the administrator edits: the measure catalogue and the checklist."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from accounts.models import User
from core.audit import audit_change

from .. import permissions as perms
from ..models import MeasureType, RiskFactor


def _changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    return ",".join(sorted(k for k in after if before.get(k) != after[k]))


def _values(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


@transaction.atomic
def measure_type_save(*, actor: User, measure_type: MeasureType) -> MeasureType:
    """Create or update a measure type (the form has set its fields). Types in use are never
    deleted: take them out of use instead."""
    if not perms.can_manage_catalogue(actor):
        raise PermissionDenied
    fields = ["code", "name_sv", "name_en", "category", "alarm_kind", "technical", "requires_order",
              "typical_cost_sek", "position", "is_active"]
    before = _values(MeasureType.objects.get(pk=measure_type.pk), fields) if measure_type.pk else {}
    measure_type.full_clean()
    measure_type.save()
    audit_change(actor=actor, action="measure_type_update" if before else "measure_type_create", obj=measure_type,
                 to_state="active" if measure_type.is_active else "inactive",
                 reason=_changed(before, _values(measure_type, fields)) if before else measure_type.code)
    return measure_type


@transaction.atomic
def risk_factor_save(*, actor: User, factor: RiskFactor) -> RiskFactor:
    """Create or update a checklist factor. Saved assessments keep their own copy of the list,
    so a change here never alters an assessment already made."""
    if not perms.can_manage_catalogue(actor):
        raise PermissionDenied
    fields = ["code", "section", "text_sv", "text_en", "position", "is_active"]
    before = _values(RiskFactor.objects.get(pk=factor.pk), fields) if factor.pk else {}
    factor.full_clean()
    factor.save()
    audit_change(actor=actor, action="risk_factor_update" if before else "risk_factor_create", obj=factor,
                 to_state="active" if factor.is_active else "inactive",
                 reason=_changed(before, _values(factor, fields)) if before else factor.code)
    return factor
