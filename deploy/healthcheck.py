"""Container health checks, run by docker-compose.yml:

    python deploy/healthcheck.py web      the login page answers 200 through gunicorn
    python deploy/healthcheck.py worker   this container's Celery worker answers a ping
    python deploy/healthcheck.py beat     beat has written its schedule file recently

Exit status 0 means healthy. Prints one line saying why not.
"""

import os
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

BEAT_SCHEDULE = Path("/var/lib/varn/beat/celerybeat-schedule")
# Beat saves its schedule at least every three minutes (celery.beat.Scheduler.sync_every)
# and the outbox flush is due every minute.
BEAT_STALE_AFTER = 5 * 60


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_web() -> str | None:
    from django.conf import settings

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    request = urllib.request.Request(
        "http://127.0.0.1:8000/accounts/login/",
        headers={"Host": host, "X-Forwarded-Proto": "https", "User-Agent": "varn-healthcheck"},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=8) as response:  # noqa: S310 (a fixed local URL)
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        return f"web: no answer on port 8000 ({exc})"
    return None if status == 200 else f"web: the login page answered {status}"


def check_worker() -> str | None:
    from config.celery import app

    name = f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[name], timeout=5)
    return None if any(name in reply for reply in replies) else f"worker: {name} did not answer a ping"


def check_beat() -> str | None:
    files = [p for p in BEAT_SCHEDULE.parent.glob(BEAT_SCHEDULE.name + "*") if p.is_file()]
    if not files:
        return f"beat: no schedule file at {BEAT_SCHEDULE}"
    age = time.time() - max(p.stat().st_mtime for p in files)
    return None if age < BEAT_STALE_AFTER else f"beat: schedule not saved for {int(age)} s"


CHECKS = {"web": check_web, "worker": check_worker, "beat": check_beat}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: {argv[0]} {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    problem = CHECKS[argv[1]]()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
