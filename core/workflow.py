"""The one workflow mechanism: every status that moves in Värn moves through here.

Each workflow is a `Workflow` — its allowed moves as one table of data, kept beside its model —
and each move is a service that calls `transition()`:

    CASE_WORKFLOW = Workflow("case", {
        CaseStatus.NEW: {CaseStatus.ASSESSING, CaseStatus.CLOSED},
        ...
    }, labels=CaseStatus)

    @transaction.atomic
    def case_set_status(*, actor, case, to_status, comment=""):
        return transition(case, CASE_WORKFLOW, to_status, actor=actor, action="case_set_status",
                          authorize=lambda c: perms.require(c, actor, CaseAction.CHANGE),
                          update=lambda c, from_: ["closed_at"], reason=comment,
                          notify=lambda c, from_: tell(...))

`transition()` locks the row, checks the move against the table, then the actor (one
`InvalidTransition`, a ValidationError, so a page shows it as a translated message), sets
who/when/why where the model has such fields, saves only what changed, writes the audit row and
queues notifications in the same transaction (sent after commit through the outbox).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_change

M = TypeVar("M", bound=models.Model)


class InvalidTransition(ValidationError):
    """A move that the workflow's table does not allow from the current state (or that someone
    else made first). A ValidationError, so that a view shows it instead of a server error."""


def _label_of(labels: Any, state: str) -> str:
    if labels is None:
        return state
    if isinstance(labels, Mapping):
        return str(labels.get(state, state))
    values = getattr(labels, "values", None)
    if values is not None and state in values:
        return str(labels(state).label)
    return state


@dataclass(frozen=True)
class Workflow:
    """A workflow's allowed moves as data: {from state: {to states}}.

    `labels` is the state's TextChoices (or a mapping) used in messages; `refusal` may return a
    more helpful message for a particular refused move (e.g. "already decided"), else the
    general one is used; `message` is the general one, with %(from)s and %(to)s."""

    name: str
    moves: Mapping[str, Iterable[str]]
    labels: Any = None
    refusal: Callable[[str, str], str | None] | None = None
    message: Any = None
    table: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", {str(k): frozenset(str(v) for v in vs) for k, vs in self.moves.items()})

    def allows(self, current: str, target: str) -> bool:
        return str(target) in self.table.get(str(current), frozenset())

    def targets(self, current: str) -> frozenset[str]:
        return self.table.get(str(current), frozenset())

    def allowed(self, current: str, order: Iterable[str] | None = None) -> list[str]:
        """The states reachable from `current`, in `order` (default: the labels' order)."""
        order = list(order) if order is not None else list(getattr(self.labels, "values", None) or sorted(
            {t for ts in self.table.values() for t in ts}))
        targets = self.targets(current)
        return [s for s in order if s in targets]

    def label(self, state: str) -> str:
        return _label_of(self.labels, state)

    def check(self, current: str, target: str) -> None:
        """Raise InvalidTransition unless the table allows current → target."""
        if self.allows(current, target):
            return
        special = self.refusal(str(current), str(target)) if self.refusal else None
        if special:
            raise InvalidTransition(special, code="invalid_transition")
        message = self.message or _("This cannot go from “%(from)s” to “%(to)s”.")
        raise InvalidTransition(str(message) % {"from": self.label(current), "to": self.label(target)},
                                code="invalid_transition")

    def states(self) -> frozenset[str]:
        return frozenset(self.table) | frozenset(t for ts in self.table.values() for t in ts)


def lock(obj: M, *, related: Iterable[str] = ()) -> M:
    """The row again, locked for the rest of the transaction (`SELECT … FOR UPDATE`)."""
    qs = type(obj)._default_manager.select_for_update()
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=obj.pk)


def transition(obj: M, workflow: Workflow, to: str, *, actor: Any, action: str,
               authorize: Callable[[M], None] | None = None, field_name: str = "status",
               update: Callable[[M, str], Iterable[str]] | None = None, reason: str = "",
               audit_reason: str | None = None, notify: Callable[[M, str], None] | None = None,
               stamp: Mapping[str, str] | None = None, related: Iterable[str] = (),
               audit_scope: Mapping[str, Any] | None = None, locked: bool = False, clean: bool = True) -> M:
    """Move `obj` to `to` along `workflow`; call inside the service's `transaction.atomic`.

    - locks the row (unless `locked`: the caller already holds the lock) and re-reads its state;
    - checks the move against the table (raises InvalidTransition), then the actor:
      `authorize(obj)` raises PermissionDenied when the actor may not (the app's permissions);
    - sets the state; `stamp` maps field roles to the model's field names to record who/when/why:
      {"by": "decided_by", "at": "decided_at", "why": "decision_comment"} — each optional;
    - `update(obj, from_state)` may change more fields and returns their names;
    - full_clean() (unless `clean=False`), save(update_fields=…), one audit row (who, when,
      from → to; `audit_reason`, defaulting to nothing: free text may be private);
    - `notify(obj, from_state)` queues the e-mails (outbox rows in this transaction, sent on commit).
    Returns the locked, saved object."""
    obj = obj if locked else lock(obj, related=related)
    current = str(getattr(obj, field_name))
    workflow.check(current, to)
    if authorize is not None:
        authorize(obj)
    setattr(obj, field_name, to)
    fields = [field_name]
    for role, name in (stamp or {}).items():
        value = {"by": actor, "at": timezone.now(), "why": (reason or "").strip()}[role]
        setattr(obj, name, value)
        fields.append(name)
    if update is not None:
        fields += [f for f in update(obj, current) if f not in fields]
    if clean:
        obj.full_clean()
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields) and "updated_at" not in fields:
        fields.append("updated_at")
    obj.save(update_fields=fields)
    audit_change(actor=actor, action=action, obj=obj, from_state=current, to_state=to,
                 reason=audit_reason or "", **dict(audit_scope or {}))
    if notify is not None:
        notify(obj, current)
    return obj
