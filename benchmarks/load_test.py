"""Load test: gunicorn (2 workers), PostgreSQL, Redis and a Celery worker, with 50 officials
filing incident reports and browsing for 60 seconds (issue 10, point 5).

    .venv/bin/python benchmarks/load_test.py
    .venv/bin/python benchmarks/load_test.py --users 50 --seconds 60 --think 0 --handlers 3 \
        --database-url postgres://postgres@127.0.0.1:5432/varn_load --broker-url redis://127.0.0.1:6379/7

What it does, in order:

1. Prepares the PostgreSQL database named by --database-url (or DATABASE_URL; default
   `varn_load`): creates it when missing, migrates, runs `seed_demo` when the demo data is missing,
   collects the static files, and makes sure the load-test accounts exist: `load-001` … (officials,
   each linked to an official of the registry) and, with --handlers, `load-handler-01` … (security
   unit, with a confirmed authenticator whose codes this script computes). Reports filed by
   earlier runs of the load test are deleted first, so every run starts from the same data.
   Everything this script and its servers keep on disk (the secret key and field-encryption key
   made on the first run, static files, private files, the server logs) is under
   var/bench/load_test/ (VARN_VAR_DIR).
2. Starts gunicorn with 2 workers (deploy/gunicorn.conf.py, as the web container runs it) and a
   Celery worker (`celery -A config worker`, as the worker container runs it) under the
   *production* settings, as in docker-compose.yml: DEBUG off, two-factor login required for
   staff, HTTPS only. The client sends `X-Forwarded-Proto: https` as the TLS proxy (Caddy) does,
   so the HTTPS redirect, secure cookies and the CSRF origin check all run as in production.
3. Runs the virtual users in one asyncio event loop over plain sockets (the standard library:
   no HTTP client package is needed, and it keeps the client's own CPU use low on a 2-core
   machine). Each official logs in (CSRF token from the login page), fetches the page's static
   files once, then loops: home page, "My reports and cases", one more of their own pages, the
   report form, the report itself through the real form POST (multipart, as a browser sends it),
   and the receipt. A handler logs in with a TOTP code and loops over the home page, the triage
   queue, a report from it and the case list. Between two requests a user waits --think seconds
   on average (uniformly 0.5-1.5 times it; 0 = as fast as the server answers).
4. Records every request's latency and outcome. An error is any exception, a timeout, a status of
   400 or more, or any status other than the expected one (e.g. a redirect to the login page).
   A submission counts as successful only when the POST answers 302 to the new report's receipt.
   After the run it waits for the Celery worker to send every notification queued during the
   run (the outbox), then counts the reports the load users filed since the start: the count
   must equal the number of successful submissions, and every receipt's report must exist.
5. Prints requests, requests/s, errors by kind, median and 95th percentile latency per request
   type and overall (also once every user has logged in), the time inside gunicorn (its access
   log: without the wait for a free worker), and the CPU seconds of gunicorn, Celery, PostgreSQL
   and the client; writes the same, with per-10-second and per-URL figures, to
   benchmarks/out/load_test.json. Exits with status 1 on any error, a count mismatch or
   notifications left unsent. Gunicorn and the worker are stopped on the way out, also on
   Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import html
import io
import json
import os
import platform
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
OUT_DIR = ROOT / "benchmarks" / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/varn_load"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/7"
PREFIX = "load-"
HANDLER_PREFIX = "load-handler-"
PASSWORD = "Load-test-2026!"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
WORKER_NAME = f"load-test-{os.getpid()}@{socket.gethostname()}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="officials filing reports and browsing (50)")
    parser.add_argument("--handlers", type=int, default=0,
                        help="security-unit users browsing the triage queue, in addition (0)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the users keep going (60)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between two requests of one user, in seconds; 0 = none (1.0)")
    parser.add_argument("--timeout", type=float, default=30, help="a request taking longer is an error (30 s)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes (2, as in compose)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--drain-timeout", type=float, default=120,
                        help="how long to wait for the worker to send the queued notifications (120 s)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the users' choices")
    args = parser.parse_args()
    if not urlparse(args.database_url).scheme.startswith("postgres"):
        parser.error("the load test runs on PostgreSQL: --database-url must be postgres://…")
    if args.users < 1 or args.seconds <= 0:
        parser.error("--users and --seconds must be positive")
    return args


ARGS = parse_args()
VAR_DIR = Path(os.environ.setdefault("VARN_VAR_DIR", str(ROOT / "var" / "bench" / "load_test")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
os.environ["DATABASE_URL"] = ARGS.database_url
# This process only prepares and counts: local settings, no query log, tasks in-process.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DJANGO_DEBUG"] = "false"
os.environ.pop("CELERY_BROKER_URL", None)


from scratch_db import create_postgres_database  # noqa: E402 (benchmarks/, the script's folder)

create_postgres_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

# ------------------------------------------------------------------ preparing the database

def prepare(officials: int, handlers: int) -> dict:
    """Migrate, seed the demo when missing, collect static files, make the load-test accounts,
    and delete the reports of earlier runs. Returns what the virtual users need to know."""
    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    seeded = False
    if not User.objects.filter(username="official").exists():
        # The console e-mail backend would print the demo's notifications here, Celery its tasks.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            call_command("seed_demo")
        seeded = True
    call_command("collectstatic", interactive=False, verbosity=0)
    deleted = _delete_earlier_reports()
    keys = _ensure_accounts(officials, handlers)
    return {"seeded_now": seeded, "deleted_earlier_reports": deleted, "totp_keys": keys}


def _delete_earlier_reports() -> int:
    from incidents.models import Report

    return Report.objects.filter(filed_by__username__startswith=PREFIX).delete()[1].get("incidents.Report", 0)


def _ensure_accounts(officials: int, handlers: int) -> dict[str, str]:
    """`load-001` … as officials linked to a registry official (through the services, once), and
    `load-handler-01` … in the security unit with a confirmed TOTP device. All get PASSWORD.
    Handlers get no e-mail address, so that the notifications per report do not depend on
    --handlers. Returns {handler username: TOTP key (hex)}."""
    from axes.models import AccessAttempt
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_set_roles
    from demo.registry import TERM_START
    from officials.models import Assignment, Body, Official, Party
    from officials.services import assignment_add, official_create

    parties = list(Party.objects.order_by("pk"))
    council = Body.objects.get(name="Kommunfullmäktige")
    for n in range(1, officials + 1):
        username = f"{PREFIX}{n:03d}"
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": "Last", "last_name": f"Test {n:03d}", "email": f"{username}@load.example"})
        if not Official.objects.filter(user=user).exists():
            official = official_create(actor=None, first_name="Last", last_name=f"Test {n:03d}",
                                       party=parties[n % len(parties)], user=user,
                                       work_email=f"{username}@load.example", birth_year=1980)
            assignment_add(actor=None, official=official, body=council, role=Assignment.Role.MEMBER,
                           start=TERM_START)
        user_set_roles(actor=None, user=user, roles={Role.OFFICIAL})  # audits only a change
    keys = {}
    for n in range(1, handlers + 1):
        username = f"{HANDLER_PREFIX}{n:02d}"
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": "Last", "last_name": f"Handläggare {n:02d}"})
        user_set_roles(actor=None, user=user, roles={Role.SECURITY_HANDLER})
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="load test", confirmed=True)
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
        keys[username] = device.key
    # One hash for all (a password hash takes a quarter of a second; this runs on every start).
    User.objects.filter(username__startswith=PREFIX).update(password=make_password(PASSWORD), is_active=True)
    AccessAttempt.objects.filter(username__startswith=PREFIX).delete()
    return keys


# ------------------------------------------------------------------ the servers

@dataclass
class Servers:
    port: int
    gunicorn: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    logs: dict[str, Path] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY", "EMAIL_URL", "CACHE_URL"}}
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            # The keys this process made under VARN_VAR_DIR, so that all three read the same data.
            "DJANGO_SECRET_KEY_FILE": str(VAR_DIR / "secret_key"),
            "FIELD_ENCRYPTION_KEY_FILE": str(VAR_DIR / "field_encryption_key"),
            "DATABASE_URL": ARGS.database_url,
            "CELERY_BROKER_URL": ARGS.broker_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            "REQUIRE_2FA": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def start(self) -> None:
        env = self.environment()
        self.logs = {"gunicorn": VAR_DIR / "gunicorn.log", "worker": VAR_DIR / "worker.log"}
        # Own sessions: Ctrl-C reaches only this script, which then stops them in order.
        with open(self.logs["worker"], "w") as log:
            self.worker = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "WARNING",
                 "--concurrency", str(ARGS.concurrency), "--hostname", WORKER_NAME,
                 "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        with open(self.logs["gunicorn"], "w") as log:
            self.gunicorn = subprocess.Popen(
                [str(BIN / "gunicorn"), "config.wsgi:application", "--config", "deploy/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", str(ARGS.workers),
                 # gunicorn's control socket lives in the home directory, shared by every gunicorn.
                 "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        for name, process in (("gunicorn", self.gunicorn), ("worker", self.worker)):
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs.get(name)
        if not path or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def wait_until_ready(self, timeout: float = 90) -> None:
        from celery import Celery

        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                response = asyncio.run(Client("127.0.0.1", self.port, 5).get("/accounts/login/"))
                if response.status == 200:
                    break
            except (TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.tail('gunicorn')}")
            time.sleep(0.5)
        pinger = Celery("load-test-ping", broker=ARGS.broker_url, set_as_current=False)
        try:
            while not pinger.control.ping(destination=[WORKER_NAME], timeout=1.0):
                self.check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the Celery worker did not answer within {timeout:.0f} s:\n{self.tail('worker')}")
        finally:
            pinger.close()

    def stop(self) -> None:
        """SIGTERM (gunicorn: graceful stop; Celery: warm shutdown), then SIGKILL to what is left."""
        for process in (self.gunicorn, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.gunicorn, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of these processes and all their descendants, including children already reaped
    (a recycled gunicorn worker), from /proc."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, fields in stats.items():
        children[int(fields[1])].append(pid)
    total, todo = 0, [pid for pid in pids if pid in stats]
    while todo:
        pid = todo.pop()
        total += sum(int(v) for v in stats[pid][11:15])  # utime, stime, cutime, cstime
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


class BackendCPU:
    """CPU time of the PostgreSQL backends serving this database, sampled every second: a
    persistent connection is closed and replaced after CONN_MAX_AGE (60 s), and its CPU time
    would otherwise be lost with it."""

    def __init__(self, database: str):
        self.marker = f" {database} ".encode()
        self.seen: dict[int, float] = {}

    def sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                command = (entry / "cmdline").read_bytes()
                if command.startswith(b"postgres: ") and self.marker in command:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    self.seen[int(entry.name)] = sum(int(v) for v in fields[11:13]) / os.sysconf("SC_CLK_TCK")

    def total(self) -> float:
        return sum(self.seen.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ a small HTTP client

class HTTPError(Exception):
    """A malformed or truncated answer."""


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[-1] if values else ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """HTTP/1.1 over one new connection per request with `Connection: close`, which is what
    gunicorn's sync workers do anyway. Keeps cookies (name=value only) and sends the headers the
    TLS proxy and a browser would: X-Forwarded-Proto, Origin and Referer on POST."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.origin = f"https://{host}:{port}"
        self.cookies: dict[str, str] = {}

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, body: bytes, content_type: str) -> Response:
        return await self.request("POST", path, body=body, content_type=content_type, referer=path)

    async def request(self, method: str, path: str, *, body: bytes = b"", content_type: str = "",
                      referer: str = "") -> Response:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close",
                 "X-Forwarded-Proto: https", "User-Agent: varn-load-test", "Accept: text/html",
                 "Accept-Language: sv"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [f"Origin: {self.origin}", f"Referer: {self.origin}{referer}",
                      f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        raw = await asyncio.wait_for(self._exchange(request), self.timeout)
        response = _parse(raw)
        for cookie in response.headers.get("set-cookie", []):
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    async def _exchange(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(request)
            await writer.drain()
            return await reader.read()  # to the end: the server closes the connection
        finally:
            writer.close()


def _parse(raw: bytes) -> Response:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise HTTPError("no complete response head")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(status_line.split(" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise HTTPError(f"bad status line {status_line[:40]!r}") from exc
    headers: dict[str, list[str]] = defaultdict(list)
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()].append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        body = _dechunk(body)
    elif headers.get("content-length") and len(body) < int(headers["content-length"][-1]):
        raise HTTPError(f"truncated body: {len(body)} of {headers['content-length'][-1]} bytes")
    return Response(status, dict(headers), body)


def _dechunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise HTTPError("truncated chunked body")
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[end + 2:end + 2 + size]
        pos = end + 2 + size + 2


_FORM = re.compile(r"<form\b.*?</form>", re.S | re.I)
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def hidden_fields(page: str, marker: str) -> list[tuple[str, str]]:
    """The hidden inputs (CSRF token, management form, …) of the first form containing `marker`."""
    for form in _FORM.findall(page):
        if marker in form:
            fields = []
            for attrs in (dict(_ATTR.findall(m)) for m in _INPUT.findall(form)):
                if attrs.get("type") == "hidden" and attrs.get("name"):
                    fields.append((attrs["name"], html.unescape(attrs.get("value", ""))))
            return fields
    raise HTTPError(f"no form with {marker!r} on the page")


def multipart(fields: list[tuple[str, str]], empty_files: list[str]) -> tuple[bytes, str]:
    """Encode a form as a browser does, including an empty file input (no file chosen)."""
    boundary = "----VarnLoadTest" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n\r\n" for name in empty_files]
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode("utf-8"), f"multipart/form-data; boundary={boundary}"


def totp(key_hex: str, at: float, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it (SHA-1, 30 s, 6 digits, t0 = 0)."""
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", int(at) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


# ------------------------------------------------------------------ the virtual users

@dataclass
class Sample:
    kind: str
    at: float  # seconds since the start of the load
    seconds: float
    status: int
    error: str  # "" when all went as expected


class Stop(Exception):
    """The time is up: the user starts no new request."""


@dataclass
class Run:
    deadline: float
    think: float
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    receipts: list[int] = field(default_factory=list)  # pks of the reports the server confirmed

    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)


class User:
    def __init__(self, run: Run, client: Client, rng: random.Random):
        self.run, self.client, self.rng = run, client, rng

    async def pause(self) -> None:
        if self.run.think > 0:
            await asyncio.sleep(self.run.think * self.rng.uniform(0.5, 1.5))
        if time.monotonic() >= self.run.deadline:
            raise Stop

    async def call(self, kind: str, method: str, path: str, *, expect: int = 200, location: str | None = None,
                   body: bytes = b"", content_type: str = "", contains: str = "",
                   think: bool = True) -> Response | None:
        """One request, timed and judged. Returns the response when it is as expected, else None."""
        if think:
            await self.pause()
        elif time.monotonic() >= self.run.deadline:
            raise Stop
        start = time.monotonic()
        response, error = None, ""
        try:
            if method == "POST":
                response = await self.client.post(path, body, content_type)
            else:
                response = await self.client.get(path)
        except TimeoutError:
            error = "timeout"
        except (OSError, HTTPError) as exc:
            error = f"{type(exc).__name__}: {str(exc)[:80]}"
        elapsed = time.monotonic() - start
        status = response.status if response is not None else 0
        if response is not None:
            if status != expect:
                error = f"HTTP {status}" + (f" to {response.header('location')}" if 300 <= status < 400 else "")
            elif location is not None and not re.fullmatch(location, response.header("location")):
                error = f"redirect to {response.header('location')!r}"
            elif contains and contains not in response.text:
                error = f"page without {contains!r}"
        self.run.samples.append(Sample(kind, start - self.run.started, elapsed, status, error))
        return None if error else response

    async def login(self, username: str) -> bool:
        page = await self.call("login page", "GET", PATHS["login"], contains='name="username"', think=False)
        if page is None:
            return False
        fields = [(k, v) for k, v in hidden_fields(page.text, 'name="username"') if k not in {"username", "password"}]
        body = urlencode([*fields, ("username", username), ("password", PASSWORD)]).encode()
        done = await self.call("login", "POST", PATHS["login"], expect=302, location=re.escape(PATHS["home"]),
                               body=body, content_type="application/x-www-form-urlencoded")
        if done is None:
            return False
        for url in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text))):
            await self.call("static file", "GET", url, think=False)  # a browser's cold cache, once
        return True


class Official(User):
    EXTRA_PAGES = ("my data", "my training", "my access log")

    async def session(self, number: int) -> None:
        username = f"{PREFIX}{number:03d}"
        while not await self.login(username):
            await self.pause()
        while True:
            await self.call("home", "GET", PATHS["home"])
            await self.call("my reports and cases", "GET", PATHS["my cases"])
            extra = self.rng.choice(self.EXTRA_PAGES)
            await self.call(extra, "GET", PATHS[extra])
            form = await self.call("report form", "GET", PATHS["report"], contains='name="description"')
            if form is None:
                continue
            body, content_type = multipart(
                [*hidden_fields(form.text, 'name="description"'), *self.report_fields(number)], ["attachments"])
            filed = await self.call("report submit", "POST", PATHS["report"], expect=302,
                                    location=r"/incidents/reports/\d+/receipt/", body=body, content_type=content_type)
            if filed is None:
                continue
            pk = int(re.search(r"/reports/(\d+)/", filed.header("location")).group(1))
            self.run.receipts.append(pk)
            await self.call("receipt", "GET", filed.header("location"), contains=f"R-{pk:05d}")

    def report_fields(self, number: int) -> list[tuple[str, str]]:
        """What an official fills in: one or two kinds, a time in the last three days, a channel,
        a place, a description, sometimes an account of the sender and a police report."""
        rng = self.rng
        when = datetime.now(STOCKHOLM) - timedelta(minutes=rng.randint(30, 72 * 60))
        fields = [("kinds", k) for k in rng.sample(KINDS, rng.choice([1, 1, 2]))]
        fields += [
            ("description", f"Belastningstest {number:03d}: {rng.choice(DESCRIPTIONS)}"),
            ("severity", rng.choice(["incident", "incident", "near_miss"])),
            ("occurred_at", when.strftime("%Y-%m-%dT%H:%M")), ("period_start", ""), ("period_end", ""),
            ("channel", rng.choice(CHANNELS)), ("place", rng.choice(["Stadshuset", "Torget", "", "Facebook"])),
            ("linked_to_assignment", rng.choice(["yes", "no", "unsure"])),
            ("hate_crime_motive", rng.choice(["none", "none", "unsure"])),
        ]
        for i in (0, 1):
            handle = f"@anon{rng.randint(1, 40)}" if i == 0 and rng.random() < 0.3 else ""
            fields += [(f"perp-{i}-known", "0"), (f"perp-{i}-name", ""), (f"perp-{i}-alias", ""),
                       (f"perp-{i}-handle", handle), (f"perp-{i}-phone", ""), (f"perp-{i}-email", "")]
        if rng.random() < 0.2:
            fields += [("police_reported", "on"), ("police_report_date", when.strftime("%Y-%m-%d")),
                       ("police_reference", f"5000-K{rng.randint(10000, 99999)}-26")]
        else:
            fields += [("police_report_date", ""), ("police_reference", "")]
        return fields


class Handler(User):
    async def session(self, number: int, key: str) -> None:
        while not await self.login(f"{HANDLER_PREFIX}{number:02d}"):
            await self.pause()
        # The home page sends a staff member without a second factor to the code page.
        await self.call("2fa redirect", "GET", PATHS["home"], expect=302, location=re.escape(PATHS["2fa"]) + ".*",
                        think=False)
        page = await self.call("2fa page", "GET", PATHS["2fa"], contains='name="code"', think=False)
        if page is None:
            return
        body = urlencode([*hidden_fields(page.text, 'name="code"'), ("code", totp(key, time.time()))]).encode()
        if await self.call("2fa verify", "POST", PATHS["2fa"], expect=302, body=body,
                           content_type="application/x-www-form-urlencoded") is None:
            return
        while True:
            await self.call("home (handler)", "GET", PATHS["home"])
            queue = await self.call("triage queue", "GET", PATHS["triage"])
            if queue is not None:
                pks = re.findall(r'href="/incidents/reports/(\d+)/"', queue.text)
                if pks:
                    await self.call("report (handler)", "GET", f"/incidents/reports/{self.rng.choice(pks[:10])}/")
            await self.call("case list", "GET", PATHS["cases"])


KINDS: list[str] = []
CHANNELS: list[str] = []
PATHS: dict[str, str] = {}
DESCRIPTIONS = [
    "Hotfullt meddelande efter fullmäktigemötet.",
    "En man följde efter mig från stadshuset till bussen.",
    "Nedsättande kommentarer i sociala medier under flera dagar.",
    "Ett brev med hot mot min familj kom hem till mig.",
    "Någon försökte få mig att ändra mitt beslut mot betalning.",
]


async def run_users(port: int, totp_keys: dict[str, str], backends: BackendCPU) -> Run:
    start = time.monotonic()
    run = Run(deadline=start + ARGS.seconds, think=ARGS.think, started=start)

    async def guarded(coro) -> None:
        try:
            await coro
        except Stop:
            pass
        except Exception as exc:  # a bug of this script, or a page without its form: counted, user ends
            run.samples.append(Sample("virtual user", time.monotonic() - start, 0.0, 0,
                                      f"stopped by {type(exc).__name__}: {str(exc)[:80]}"))

    async def progress() -> None:
        for second in range(1, 10**6):
            await asyncio.sleep(start + second - time.monotonic())
            backends.sample()
            if second % 10:
                continue
            print(f"  {time.monotonic() - start:5.0f} s: {len(run.samples)} requests, {run.errors()} errors, "
                  f"{len(run.receipts)} reports filed", flush=True)

    tasks = []
    for n in range(1, ARGS.users + 1):
        user = Official(run, Client("127.0.0.1", port, ARGS.timeout), random.Random(ARGS.seed * 1000 + n))
        tasks.append(guarded(user.session(n)))
    for n, username in enumerate(sorted(totp_keys), start=1):
        user = Handler(run, Client("127.0.0.1", port, ARGS.timeout), random.Random(ARGS.seed * 1000 + 900 + n))
        tasks.append(guarded(user.session(n, totp_keys[username])))
    reporter = asyncio.create_task(progress())
    try:
        await asyncio.gather(*tasks)
    finally:
        reporter.cancel()
    return run


# ------------------------------------------------------------------ afterwards

def wait_for_outbox(since: datetime, timeout: float) -> dict:
    from core.models import OutboxMessage

    queued = OutboxMessage.objects.filter(created_at__gte=since)
    start = time.monotonic()
    while True:
        pending = queued.filter(sent_at__isnull=True).count()
        if pending == 0 or time.monotonic() - start > timeout:
            break
        time.sleep(1)
    return {"queued": queued.count(), "sent": queued.filter(sent_at__isnull=False).count(), "pending": pending,
            "failed_attempts": queued.exclude(last_error="").count(),
            "drain_seconds": round(time.monotonic() - start, 1)}


def count_reports(since: datetime, receipts: list[int]) -> dict:
    from incidents.models import Report

    filed = Report.objects.filter(filed_by__username__startswith=PREFIX, filed_at__gte=since)
    stored = filed.count()
    confirmed = Report.objects.filter(pk__in=receipts).count()
    return {"successful_submissions": len(receipts), "stored_reports": stored,
            "stored_of_confirmed": confirmed, "duplicate_receipts": len(receipts) - len(set(receipts)),
            "equal": stored == len(receipts) == confirmed == len(set(receipts))}


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(samples: list[Sample]) -> dict:
    def stats(group: list[Sample]) -> dict:
        ms = sorted(s.seconds * 1000 for s in group)
        return {"requests": len(group), "errors": sum(1 for s in group if s.error),
                "median_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1),
                "max_ms": round(ms[-1], 1)}

    by_kind: dict[str, list[Sample]] = defaultdict(list)
    windows: dict[int, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
        windows[int(sample.at // 10) * 10].append(sample)
    # Once every user has logged in (50 password hashes at once hold both workers for seconds).
    logged_in = max((s.at + s.seconds for s in by_kind.get("login", [])), default=0.0)
    steady = [s for s in samples if s.at >= logged_in]
    return {"overall": stats(samples), "by_type": {kind: stats(group) for kind, group in sorted(by_kind.items())},
            "after_logins": {"from_second": round(logged_in, 1), **(stats(steady) if steady else {})},
            "per_10_seconds": {f"{start}-{start + 10} s": stats(group) for start, group in sorted(windows.items())}}


def server_times(log: str) -> dict:
    """Time inside gunicorn per request (its access log, deploy/gunicorn.conf.py), without the
    wait in the listen queue: what the application itself took."""
    by_path: dict[str, list[int]] = defaultdict(list)
    for method, path, ms in re.findall(r'"(GET|POST) (\S+)" \d+ \S+ (\d+)ms', log):
        by_path[method + " " + re.sub(r"/\d+/", "/<id>/", path)].append(int(ms))
    every = sorted(ms for values in by_path.values() for ms in values)

    def stats(ms: list[int]) -> dict:
        ms = sorted(ms)
        return {"requests": len(ms), "median_ms": statistics.median(ms), "p95_ms": round(percentile(ms, 95), 1)}

    return {"overall": stats(every) if every else {}, "by_path": {k: stats(v) for k, v in sorted(by_path.items())}}


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


def machine() -> dict:
    import celery
    import gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "postgresql": pg, "gunicorn": gunicorn.__version__, "celery": celery.__version__,
            "django": django.get_version(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    global KINDS, CHANNELS
    from incidents.models import Channel, Kind

    KINDS, CHANNELS = list(Kind.values), list(Channel.values)
    PATHS.update({"login": reverse("accounts:login"), "home": reverse("accounts:home"),
                  "my cases": reverse("incidents:my-cases"), "report": reverse("incidents:report-create"),
                  "my data": reverse("officials:me"), "my training": reverse("training:my-training"),
                  "my access log": reverse("accounts:my-access-log"), "2fa": reverse("accounts:2fa-verify"),
                  "triage": reverse("incidents:triage"), "cases": reverse("incidents:case-list")})

    info = machine()
    print(f"Machine: {info['cpus']} CPUs, Python {info['python']}, PostgreSQL {info['postgresql']}, "
          f"gunicorn {info['gunicorn']}, Celery {info['celery']}; load average {info['load_average_before']}")
    print(f"Database {ARGS.database_url}, broker {ARGS.broker_url}")
    prep_start = time.monotonic()
    prepared = prepare(ARGS.users, ARGS.handlers)
    print(f"Prepared in {time.monotonic() - prep_start:.1f} s"
          f"{' (demo data seeded now)' if prepared['seeded_now'] else ''}; "
          f"{prepared['deleted_earlier_reports']} reports of earlier runs deleted")
    connections.close_all()

    servers = Servers(port=ARGS.port or free_port())
    signal.signal(signal.SIGTERM, _interrupt)  # as Ctrl-C: the servers are stopped in the finally clause
    try:
        servers.start()
        servers.wait_until_ready()
        print(f"gunicorn ({ARGS.workers} workers) on 127.0.0.1:{servers.port} and a Celery worker "
              f"(concurrency {ARGS.concurrency}) are up; logs in {VAR_DIR}")
        print(f"{ARGS.users} officials{f' and {ARGS.handlers} handlers' if ARGS.handlers else ''} for "
              f"{ARGS.seconds:g} s, think time {ARGS.think:g} s …", flush=True)
        since = timezone.now()
        cpu_before, rusage_before = cpu_times(), resource.getrusage(resource.RUSAGE_SELF)
        servers_before = {"gunicorn": cpu_seconds([servers.gunicorn.pid]), "celery": cpu_seconds([servers.worker.pid])}
        wall_start = time.monotonic()
        backends = BackendCPU(urlparse(ARGS.database_url).path.lstrip("/"))
        backends.sample()
        backends_before = dict(backends.seen)
        run = asyncio.run(run_users(servers.port, prepared["totp_keys"], backends))
        backends.sample()
        wall = time.monotonic() - wall_start
        cpu_after, rusage_after = cpu_times(), resource.getrusage(resource.RUSAGE_SELF)
        servers.check_alive()
        server_cpu = {"gunicorn": cpu_seconds([servers.gunicorn.pid]) - servers_before["gunicorn"],
                      "celery": cpu_seconds([servers.worker.pid]) - servers_before["celery"],
                      "postgresql": backends.total() - sum(backends_before.values())}
        print("Waiting for the worker to send the notifications …", flush=True)
        outbox = wait_for_outbox(since, ARGS.drain_timeout)
        reports = count_reports(since, run.receipts)
        gunicorn_log = servers.logs["gunicorn"].read_text(errors="replace")
    finally:
        servers.stop()

    client_cpu = (rusage_after.ru_utime - rusage_before.ru_utime) + (rusage_after.ru_stime - rusage_before.ru_stime)
    busy = (cpu_after[0] - cpu_before[0]) / max(cpu_after[1] - cpu_before[1], 1)
    summary = summarise(run.samples)
    errors = Counter(f"{s.kind}: {s.error}" for s in run.samples if s.error)
    result = {
        "date": timezone.localdate().isoformat(), "machine": info,
        "settings": {"users": ARGS.users, "handlers": ARGS.handlers, "seconds": ARGS.seconds, "think": ARGS.think,
                     "timeout": ARGS.timeout, "gunicorn_workers": ARGS.workers,
                     "celery_concurrency": ARGS.concurrency, "django_settings": "config.settings.production",
                     "database": urlparse(ARGS.database_url).path.lstrip("/")},
        "wall_seconds": round(wall, 1), "requests": len(run.samples),
        "requests_per_second": round(len(run.samples) / wall, 1),
        "errors": sum(errors.values()), "errors_by_kind": dict(errors.most_common()),
        "server_errors_logged": gunicorn_log.count("Internal Server Error"),
        "worker_restarts": gunicorn_log.count("Autorestarting worker"),
        **summary, "server_time": server_times(gunicorn_log), "reports": reports, "outbox": outbox,
        "cpu_seconds": {**{k: round(v, 1) for k, v in server_cpu.items()}, "client": round(client_cpu, 1)},
        "client_cpu_seconds": round(client_cpu, 1), "client_cpu_share_of_one_core": round(client_cpu / wall, 3),
        "machine_cpu_busy": round(busy, 3),
    }
    ok = result["errors"] == 0 and reports["equal"] and outbox["pending"] == 0
    result["passed"] = ok
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "load_test.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_result(result)
    return 0 if ok else 1


def print_result(r: dict) -> None:
    s = r["settings"]
    print()
    print(f"Users: {s['users']} officials" + (f" + {s['handlers']} handlers" if s["handlers"] else "")
          + f", {s['seconds']:g} s (ran {r['wall_seconds']} s), think time {s['think']:g} s")
    print(f"Requests: {r['requests']} ({r['requests_per_second']}/s), errors: {r['errors']}")
    for kind, n in r["errors_by_kind"].items():
        print(f"  {n:5d}  {kind}")
    print(f"\n{'request type':<22}{'requests':>9}{'errors':>8}{'median':>10}{'p95':>10}{'max':>10}")
    for kind, st in [*r["by_type"].items(), ("overall", r["overall"])]:
        print(f"{kind:<22}{st['requests']:>9}{st['errors']:>8}{st['median_ms']:>8.0f}ms{st['p95_ms']:>8.0f}ms"
              f"{st['max_ms']:>8.0f}ms")
    steady, server = r["after_logins"], r["server_time"]["overall"]
    if steady.get("requests"):
        print(f"{'after the logins':<22}{steady['requests']:>9}{steady['errors']:>8}{steady['median_ms']:>8.0f}ms"
              f"{steady['p95_ms']:>8.0f}ms{steady['max_ms']:>8.0f}ms   (from {steady['from_second']} s)")
    if server:
        print(f"{'inside gunicorn':<22}{server['requests']:>9}{'':>8}{server['median_ms']:>8.0f}ms"
              f"{server['p95_ms']:>8.0f}ms   (without the wait for a free worker)")
    print(f"gunicorn worker restarts (max_requests): {r['worker_restarts']}; "
          f"server errors logged: {r['server_errors_logged']}")
    rep, out = r["reports"], r["outbox"]
    print(f"\nSuccessful submissions: {rep['successful_submissions']}; stored reports: {rep['stored_reports']} "
          f"({rep['stored_of_confirmed']} of the confirmed found) -> {'EQUAL' if rep['equal'] else 'MISMATCH'}")
    print(f"Notifications queued during the run: {out['queued']}, sent: {out['sent']}, pending: {out['pending']} "
          f"(drained {out['drain_seconds']} s after the run)")
    print(f"Client CPU: {r['client_cpu_seconds']} s ({r['client_cpu_share_of_one_core']:.0%} of one core); "
          f"machine CPU busy: {r['machine_cpu_busy']:.0%}")
    print("CPU seconds during the run: " + ", ".join(f"{k} {v}" for k, v in r["cpu_seconds"].items())
          + f" (of {r['wall_seconds'] * r['machine']['cpus']:.0f} on the machine)")
    print(f"\n{'PASSED' if r['passed'] else 'FAILED'}; written to benchmarks/out/load_test.json")


if __name__ == "__main__":
    sys.exit(main())
