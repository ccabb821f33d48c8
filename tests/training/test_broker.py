"""A real `celery -A config beat` and `celery -A config worker` run the planner for at least one
tick against the test database (PostgreSQL and a broker needed; skipped otherwise)."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from training.models import CollaborationMeeting, TrainingOffer

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]


def _isolated_broker(url: str) -> str:
    """The same Redis server, another database number, so that no other worker takes our tasks."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("redis"):
        return url
    return urlunsplit(parts._replace(path=f"/{8 + os.getpid() % 8}"))


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_processes(transactional_db, tmp_path):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set")
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: run on PostgreSQL")
    broker = _isolated_broker(settings.CELERY_BROKER_URL)
    # Local settings, not the test settings: those make every task eager, and beat would then run
    # the planner itself instead of sending it to the worker.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_ENCRYPTION_KEY", "VARN_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_DEBUG="false",
               DJANGO_SECRET_KEY=settings.SECRET_KEY, FIELD_ENCRYPTION_KEY=",".join(settings.FIELD_ENCRYPTION_KEYS),
               DATABASE_URL=_database_url(), CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker,
               PLANNER_EVERY_SECONDS="3", VARN_VAR_DIR=str(tmp_path),
               PYTHONDONTWRITEBYTECODE="1")
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("worker", "beat")}  # noqa: SIM115
    subprocess.run([*celery, "purge", "-f"], env=env, cwd=ROOT, check=False, capture_output=True, timeout=60)
    procs = [
        subprocess.Popen([*celery, "worker", "--pool=solo", "--concurrency=1", "-l", "info", "--without-gossip",
                          "--without-mingle", "--without-heartbeat"], env=env, cwd=ROOT, stdout=logs["worker"],
                         stderr=subprocess.STDOUT),
        subprocess.Popen([*celery, "beat", "-l", "info", "--schedule", str(tmp_path / "beat-schedule")], env=env,
                         cwd=ROOT, stdout=logs["beat"], stderr=subprocess.STDOUT),
    ]
    yield tmp_path
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for log in logs.values():
        log.close()


def _planned() -> tuple[int, int, int]:
    return (TrainingOffer.objects.filter(kind=TrainingOffer.Kind.TERM_START_INTRODUCTION).count(),
            TrainingOffer.objects.filter(kind=TrainingOffer.Kind.RECURRING).count(),
            CollaborationMeeting.objects.count())


def test_beat_and_worker_run_the_planner(celery_processes):
    from accounts.services import policy_load

    policy_load(actor=None, profile="vasteras")
    # The planner's steps commit one after another, so wait for the state after a whole run, not
    # for the first step's output (a CI run once looked between two steps). The deadline is
    # generous: under CI's parallel load the worker and beat take long to start.
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not all(_planned()):
        time.sleep(1)
    logs = "\n".join((celery_processes / f"{n}.log").read_text()[-3000:] for n in ("beat", "worker"))
    assert all(_planned()), (_planned(), logs)
    # Wait for at least two more completed runs of the planner, then nothing has been created twice.
    worker_log = celery_processes / "worker.log"

    def planner_runs() -> int:
        return sum("training.tasks.run_planner[" in line and "succeeded in" in line
                   for line in worker_log.read_text().splitlines())

    assert planner_runs() >= 1, "the planner did not run in the worker\n" + worker_log.read_text()[-3000:]
    done_before = planner_runs()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and planner_runs() < done_before + 2:
        time.sleep(1)
    assert planner_runs() >= done_before + 2, worker_log.read_text()[-3000:]
    assert _planned() == (1, 1, 1)
