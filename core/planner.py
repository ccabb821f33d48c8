"""The one planner: a daily task runs every registered step for a date.

A step is a function `step(today: date, policy) -> list[str]` returning short descriptions of
what it created. Steps must be idempotent: running the planner twice for the same day creates
nothing twice. Apps register their steps in `AppConfig.ready()`:

    from core.planner import register
    register("surveys.rounds", plan_survey_rounds)

The active policy comes from the source `accounts` registers (`register_policy_source`), so
that core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

PlannerStep = Callable[[date, Any], list[str]]
_STEPS: dict[str, PlannerStep] = {}
_policy_source: list[Callable[[], Any]] = []


def register(name: str, step: PlannerStep) -> None:
    _STEPS[name] = step


def register_policy_source(source: Callable[[], Any]) -> None:
    """The function that returns the active policy (accounts registers `Policy.current`)."""
    _policy_source[:] = [source]


def steps() -> dict[str, PlannerStep]:
    return dict(_STEPS)


def run_planner(today: date) -> dict[str, list[str]]:
    """Run every registered step for `today` under the active policy."""
    policy = _policy_source[0]() if _policy_source else None
    return {name: step(today, policy) for name, step in sorted(_STEPS.items())}
