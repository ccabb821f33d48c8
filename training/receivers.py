"""What training does when something happens elsewhere (connected in `TrainingConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone


def run_planner_after_policy_change(sender: Any, **kwargs: Any) -> None:
    """A changed policy takes effect today, not at night: queue a planner run for today once the
    change is committed (a Celery task; in-process when no broker is configured)."""
    from .tasks import run_planner

    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: run_planner.delay(day, reason="policy changed"))
