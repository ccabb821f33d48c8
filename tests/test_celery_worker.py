"""A real Celery worker and a real beat on the configured broker (Redis in `.ci/run`).

Skipped unless CELERY_BROKER_URL is set. The tests share one worker, started as a subprocess
(`celery -A config worker --pool=solo`) on a queue of its own, so that nothing else on the
broker reaches it and it takes nothing from anyone else. The worker runs the local settings
with this test run's database (PostgreSQL's test database is visible to other processes once a
transaction commits, hence `transactional_db`) and an SMTP sink in this process as its mail
server, so an e-mail goes all the way: outbox row → commit → broker → worker → SMTP.
"""

import email
import email.policy
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import beat
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"
TIMEOUT = 120  # seconds for anything the worker or beat must do (a condition: waited out only on a busy machine)

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="no CELERY_BROKER_URL: tasks run eagerly"),
]


# --- a test-only beat schedule ------------------------------------------------------------------

class OneSecondHeartbeat(beat.Scheduler):
    """Beat scheduler for `test_beat_...`: the heartbeat every second on the test's queue, and
    the id of every task beat sends appended to the file named by VARN_TEST_BEAT_SENT.
    Used as `celery -A config beat --scheduler tests.test_celery_worker:OneSecondHeartbeat`,
    so the product's own schedule (config/schedules.py) is left alone."""

    def setup_schedule(self) -> None:
        self.merge_inplace({
            "test-heartbeat": {
                "task": "core.tasks.heartbeat",
                "schedule": 1.0,
                "options": {"queue": os.environ["VARN_TEST_QUEUE"], "expires": 30},
            }
        })

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        result = super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        with open(os.environ["VARN_TEST_BEAT_SENT"], "a", encoding="utf-8") as sent:
            sent.write(f"{result.id}\n")
        return result


# --- helpers --------------------------------------------------------------------------------------

def wait_for(condition: Callable[[], object], what: str, diagnostics: Callable[[], str] = str) -> object:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {TIMEOUT} s waiting for {what}\n{diagnostics()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def in_memory_test_database() -> bool:
    """pytest-django's SQLite test database lives in memory unless TEST NAME names a file."""
    default = settings.DATABASES["default"]
    return default["ENGINE"].endswith("sqlite3") and not default.get("TEST", {}).get("NAME")


def shared_database_url() -> str | None:
    """This run's test database as a URL another process can open, or None (in-memory SQLite)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    return None


@contextmanager
def tasks_sent_to(queue: str) -> Iterator[None]:
    """Tasks queued by this process go to the broker and to `queue`, even where the test
    settings run tasks eagerly."""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_routes, app.amqp.router
    app.conf.task_always_eager = False
    app.conf.task_routes = {"*": {"queue": queue}}
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_routes = saved[:2]
        app.amqp.flush_routes()
        app.amqp.router = saved[2]


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend: every message is parsed and kept."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 varn-test ESMTP")
        lines: list[bytes] | None = None
        while raw := self.rfile.readline():
            if lines is not None:  # inside DATA
                if raw.rstrip(b"\r\n") == b".":
                    self.server.messages.append(email.message_from_bytes(b"".join(lines), policy=email.policy.default))
                    lines = None
                    self.reply("250 OK queued")
                else:
                    lines.append(raw[1:] if raw.startswith(b"..") else raw)
                continue
            verb = raw[:4].upper()
            if verb == b"EHLO":
                self.reply("250-varn-test")
                self.reply("250 8BITMIME")
            elif verb == b"DATA":
                lines = []
                self.reply("354 end with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            elif verb in {b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[email.message.EmailMessage] = []

    @property
    def port(self) -> int:
        return self.server_address[1]


@dataclass
class Worker:
    queue: str
    env: dict[str, str]
    log: Path
    shares_database: bool
    smtp: SMTPSink

    def output(self) -> str:
        return "--- worker log ---\n" + self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


# --- fixtures -------------------------------------------------------------------------------------

# Session scope: pytest-django runs transactional tests apart from the others, which would start a
# module-scoped worker twice. The worker stops before the test database is dropped.
@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SMTPSink]:
    server = SMTPSink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def worker(request, smtp_sink, tmp_path_factory) -> Iterator[Worker]:
    here = tmp_path_factory.mktemp("celery")
    queue = f"varn-test-{uuid.uuid4().hex[:12]}"
    database_url = None
    if not in_memory_test_database():
        request.getfixturevalue("django_db_setup")  # the test database must exist before the worker opens it
        database_url = shared_database_url()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_ENCRYPTION_KEY", "VARN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEY=",".join(settings.FIELD_ENCRYPTION_KEYS),
        DATABASE_URL=database_url or f"sqlite:///{here / 'unused.sqlite3'}",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_RESULT_BACKEND=settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
        VARN_VAR_DIR=str(here / "var"),
        VARN_TEST_QUEUE=queue,
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    log = here / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "-n", f"{queue}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat",
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Worker(queue=queue, env=env, log=log, shares_database=database_url is not None, smtp=smtp_sink)
    try:
        wait_for(lambda: process.poll() is not None or " ready." in log.read_text(), "the worker to start",
                 running.output)
        assert process.poll() is None, "the worker exited at start\n" + running.output()
        yield running
    finally:
        stop(process)


# --- tests ----------------------------------------------------------------------------------------

def test_a_task_runs_on_a_real_worker(worker):
    from core.tasks import heartbeat

    sent_at = datetime.now().astimezone()
    with tasks_sent_to(worker.queue):
        result = heartbeat.delay()
    try:
        value = result.get(timeout=TIMEOUT)
    except Exception as exc:
        pytest.fail(f"heartbeat did not come back: {exc!r}\n{worker.output()}")
    ran_at = datetime.fromisoformat(value)
    assert sent_at - timedelta(seconds=5) <= ran_at <= datetime.now().astimezone() + timedelta(seconds=5)
    assert result.status == "SUCCESS"
    wait_for(lambda: f"[{result.id}] succeeded" in worker.log.read_text(), "the worker's log line", worker.output)


@pytest.mark.skipif(in_memory_test_database(), reason="a worker cannot open an in-memory SQLite test database")
def test_an_outbox_email_is_delivered_by_the_worker(transactional_db, worker):
    assert worker.shares_database
    from django.db import transaction

    from core.notify import notify

    from .factories import UserFactory

    recipient = UserFactory(username="outbox-recipient", email="outbox-recipient@test.example")
    with tasks_sent_to(worker.queue):
        with transaction.atomic():
            (message,) = notify([recipient], "Värn: a new task is waiting", "Log in to Värn to see it.")
            assert message.sent_at is None
        # After the commit the task is on the broker and the worker sends it.

    def sent():
        message.refresh_from_db()
        return message.sent_at

    wait_for(sent, "the worker to send the outbox message", worker.output)
    assert message.attempts == 1 and not message.last_error
    delivered = wait_for(lambda: [m for m in worker.smtp.messages if m["To"] == recipient.email],
                         "the SMTP sink to receive it", worker.output)
    assert len(delivered) == 1
    assert delivered[0]["Subject"] == "Värn: a new task is waiting"
    assert delivered[0].get_content().strip() == "Log in to Värn to see it."


def test_beat_schedules_a_task_that_the_worker_runs(worker, tmp_path):
    from celery.result import AsyncResult

    sent_file = tmp_path / "beat-sent.txt"
    sent_file.touch()
    log = tmp_path / "beat.log"
    env = {**worker.env, "VARN_TEST_BEAT_SENT": str(sent_file)}
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "config", "beat", "--scheduler", "tests.test_celery_worker:OneSecondHeartbeat",
             "--max-interval", "1", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def beat_output() -> str:
        return "--- beat log ---\n" + log.read_text(errors="replace")[-3000:] + "\n" + worker.output()

    try:
        task_ids = wait_for(lambda: process.poll() is not None or sent_file.read_text().split(),
                            "beat to send the heartbeat", beat_output)
        assert process.poll() is None, "beat exited\n" + beat_output()
    finally:
        stop(process)
    try:
        value = AsyncResult(task_ids[0]).get(timeout=TIMEOUT)
    except Exception as exc:
        pytest.fail(f"the scheduled heartbeat did not run: {exc!r}\n{beat_output()}")
    assert datetime.fromisoformat(value)
    assert f"[{task_ids[0]}] succeeded" in worker.log.read_text()
