"""Every periodic schedule of the product, declared in one place.

Each entry names a task by its dotted path so that this module imports no app code.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "accounts-heartbeat": {
        "task": "accounts.tasks.heartbeat",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    # Notifications left behind while the broker or the mail server was down.
    "accounts-flush-outbox": {
        "task": "accounts.tasks.flush_outbox",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    # The daily planner: training offers, surveys, conversations, meetings, reminders.
    "training-run-planner": {
        "task": "training.tasks.run_planner",
        "schedule": crontab(hour=5, minute=30),
        "options": {"expires": 3600},
    },
}
