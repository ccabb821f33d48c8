"""Every periodic schedule of the product, declared in one place.

Each entry names a task by its dotted path so that this module imports no app code.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "core-heartbeat": {
        "task": "core.tasks.heartbeat",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Notifications left behind while the broker or the mail server was down.
    "core-flush-outbox": {
        "task": "core.tasks.flush_outbox",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    # The daily planner: training offers, surveys, conversations, meetings, reminders.
    "training-run-planner": {
        "task": "training.tasks.run_planner",
        "schedule": crontab(hour=5, minute=30),
        "options": {"expires": 3600},
    },
    # Exported follow-up report files are removed a week after they were made.
    "reports-purge-exports": {
        "task": "reports.tasks.purge_exports",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 3600},
    },
}


def _planner_override(schedule: dict[str, dict]) -> None:
    """Test-only: with settings.PLANNER_EVERY_SECONDS (env PLANNER_EVERY_SECONDS) the planner runs
    every few seconds, so that a test can watch a real beat + worker produce its output."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        seconds = getattr(settings, "PLANNER_EVERY_SECONDS", 0)
    except ImproperlyConfigured:  # imported without Django settings
        seconds = 0
    if seconds:
        schedule["training-run-planner"] = {**schedule["training-run-planner"],
                                            "schedule": timedelta(seconds=seconds), "options": {"expires": seconds * 10}}


_planner_override(BEAT_SCHEDULE)
