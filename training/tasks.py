from celery import shared_task
from django.utils import timezone


@shared_task(name="training.tasks.run_planner", acks_late=True)
def run_planner(day: str | None = None, reason: str = "") -> dict[str, list[str]]:
    """The daily planner (see `core.planner`). `day` is an ISO date; default today. `reason`
    (a changed policy) makes the run audited."""
    from datetime import date

    from core.planner import run_planner as run

    return run(date.fromisoformat(day) if day else timezone.localdate(), reason=reason)
