"""The periodic schedule (config/schedules.py) as beat will load it: every entry names a task
that exists, carries an expiry so a backlog never floods the worker, and is installed by the
Celery app. Runs without a broker."""

import pytest
from celery.schedules import crontab

from config.celery import app
from config.schedules import BEAT_SCHEDULE


@pytest.fixture(scope="module")
def registered_tasks() -> set[str]:
    app.loader.import_default_modules()  # what a worker does at start: import every app's tasks.py
    return set(app.tasks)


def test_the_app_installs_the_schedule_from_config_schedules():
    app.finalize()
    assert app.conf.beat_schedule == BEAT_SCHEDULE


@pytest.mark.parametrize("name", sorted(BEAT_SCHEDULE))
def test_every_scheduled_task_exists(registered_tasks, name):
    assert BEAT_SCHEDULE[name]["task"] in registered_tasks


@pytest.mark.parametrize("name", sorted(BEAT_SCHEDULE))
def test_every_scheduled_task_expires_before_it_is_due_again(name):
    entry = BEAT_SCHEDULE[name]
    expires = entry.get("options", {}).get("expires")
    assert isinstance(expires, int | float) and expires > 0, f"{name} has no expiry"
    schedule = entry["schedule"]
    if isinstance(schedule, crontab):
        if len(schedule.day_of_week) < 7 or len(schedule.day_of_month) < 31:
            return  # weekly or monthly: any expiry under a day is plainly fine, longer ones are a choice
        # The shortest gap between two runs of this daily crontab.
        minutes = sorted(h * 60 + m for h in schedule.hour for m in schedule.minute)
        gaps = [b - a for a, b in zip(minutes, minutes[1:] + [minutes[0] + 24 * 60], strict=True)]
        period = min(gaps) * 60
    else:
        period = float(getattr(schedule, "total_seconds", lambda: schedule)())
    assert expires <= period, f"{name}: expires after {expires} s but runs every {period} s"


def test_the_heartbeat_needs_no_database_and_returns_the_time():
    from datetime import datetime

    from core.tasks import heartbeat

    # .result, not .get(): an in-process worker started by another test marks joins as blocking.
    assert datetime.fromisoformat(heartbeat.apply().result).tzinfo is not None
