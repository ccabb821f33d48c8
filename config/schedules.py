"""Every periodic schedule of the product, declared in one place.

The planner task (training offers, surveys, reminders) is added here when it lands; each
entry names a task by its dotted path so that this module imports no app code.
"""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "accounts-heartbeat": {
        "task": "accounts.tasks.heartbeat",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
}
