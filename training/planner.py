"""The one planner: a daily task runs every registered step for a date.

A step is a function `step(today: date, policy: Policy) -> list[str]` returning short
descriptions of what it created. Steps must be idempotent: running the planner twice for the
same day creates nothing twice. Apps register their steps in `AppConfig.ready()`:

    from training.planner import register
    register("surveys.rounds", plan_survey_rounds)
"""

from collections.abc import Callable
from datetime import date

PlannerStep = Callable[[date, object], list[str]]
_STEPS: dict[str, PlannerStep] = {}


def register(name: str, step: PlannerStep) -> None:
    _STEPS[name] = step


def steps() -> dict[str, PlannerStep]:
    return dict(_STEPS)


def run_planner(today: date) -> dict[str, list[str]]:
    """Run every registered step for `today` under the active policy."""
    from accounts.models import Policy

    policy = Policy.current()
    return {name: step(today, policy) for name, step in sorted(_STEPS.items())}
