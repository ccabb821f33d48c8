"""The one planner: a daily task runs every registered step for a date.

A step is a function `step(today: date, policy) -> list[str]` returning short descriptions of
what it created, for people (written in the active language: the preview page shows them).
Steps must be idempotent: running the planner twice for the same day creates nothing twice. Apps
register their steps in `AppConfig.ready()`:

    from core.planner import register
    register("surveys.rounds", plan_survey_rounds)

The active policy comes from the source `accounts` registers (`register_policy_source`), so
that core imports no app.

The security unit may run the planner for a chosen date — as a preview that writes nothing
(`dry_run=True`: the steps run in a transaction that is rolled back, e-mails and all) or for real
— and a change of the policy runs it at once: accounts sends `policy_changed`, and the app that
owns the planner task queues a run for today after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from .audit import audit_change

PlannerStep = Callable[[date, Any], list[str]]
_STEPS: dict[str, PlannerStep] = {}
_policy_source: list[Callable[[], Any]] = []

# Sent (by accounts) when someone saves the policy: `policy_changed.send(sender=Policy, policy=…, actor=…)`.
policy_changed = Signal()


def register(name: str, step: PlannerStep) -> None:
    _STEPS[name] = step


def register_policy_source(source: Callable[[], Any]) -> None:
    """The function that returns the active policy (accounts registers `Policy.current`)."""
    _policy_source[:] = [source]


def steps() -> dict[str, PlannerStep]:
    return dict(_STEPS)


def _run(today: date) -> dict[str, list[str]]:
    policy = _policy_source[0]() if _policy_source else None
    return {name: [str(item) for item in step(today, policy)] for name, step in sorted(_STEPS.items())}


def run_planner(today: date, *, dry_run: bool = False, actor: Any = None, reason: str = "") -> dict[str, list[str]]:
    """Run every registered step for `today` under the active policy; returns what each created.

    `dry_run`: what would be created, with nothing written — the steps run in a transaction (a
    savepoint inside a caller's) that is rolled back, and the e-mails and tasks they queue on
    commit are dropped with it. A run by a person (`actor`) or for a `reason` (a changed policy)
    is audited; the nightly run is not (what it creates is)."""
    if dry_run:
        with transaction.atomic():
            result = _run(today)
            transaction.set_rollback(True)
    else:
        result = _run(today)
    if actor is not None or reason:
        created = sum(len(items) for items in result.values())
        audit_change(actor=actor, action="planner_preview" if dry_run else "planner_run", to_state=today.isoformat(),
                     reason=f"{reason + ': ' if reason else ''}{created}")
    return result
