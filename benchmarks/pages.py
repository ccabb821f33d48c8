"""Server time and query count of the pages the security unit lives in, at national scale.

    .venv/bin/python benchmarks/pages.py                       # against varn_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/pages.py --runs 15

The database must already hold the data: `manage.py seed_demo --scale national` (see
benchmarks/README.md). Each page is requested in-process through Django's whole stack (every
middleware, the session, django-otp's verified device, the template) by the persona who uses it,
after warm-up requests; the time is the server's, without a network or a browser. A bare logged-in
page (the password-change form: the layout, the navigation and the session, nothing else) is the
floor, measured in the same run, interleaved with the pages so that a busy machine slows both.

For every page it prints the median and 95th percentile, the ratio of the median to the floor's and
the number of queries; it writes the same to benchmarks/out/pages.json. With `--explain` it also
runs `EXPLAIN (ANALYZE, BUFFERS)` of every query a page makes, writes the plans to
benchmarks/plans/<page>.txt and reports any sequential scan on a table of more than 10,000 rows.

The goals (issue 10): at most 10 queries per page whatever the data size, and a median at most 3×
the floor's. The exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/varn_national")
os.environ["DJANGO_DEBUG"] = "false"  # production-like templates and no query log
os.environ["REQUIRE_2FA"] = "true"  # staff pages pay for the verified-device check, as in production
# Tasks go to a broker as in production (a request only enqueues them); nothing consumes this
# queue, which is emptied at the end.
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

MAX_QUERIES = 10
MAX_RATIO = 3.0
LARGE_TABLE_ROWS = 10_000
PLANS = ROOT / "benchmarks" / "plans"
OUT = ROOT / "benchmarks" / "out"


def verified_client(username: str) -> Client:
    """A client logged in as `username`, with a TOTP device verified in its session (staff)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["django_language"] = "sv"
    return client


def busiest_open_case():
    """The open case with the most reports: the heaviest case page a handler opens."""
    from django.db.models import Count

    from incidents.models import OPEN_STATUSES, Case

    return (Case.objects.filter(status__in=OPEN_STATUSES).annotate(n=Count("reports"))
            .order_by("-n", "-pk").values_list("pk", flat=True).first())


def busiest_round():
    """The closed survey round with the most answers."""
    from django.db.models import Count

    from surveys.models import Round

    return Round.objects.annotate(n=Count("responses")).order_by("-n", "-pk").values_list("pk", flat=True).first()


def report_post_data() -> dict:
    return {
        "kinds": ["threat"],
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "severity": "incident",
        "channel": "email",
        "place": "",
        "description": "Benchmark: a threatening e-mail after the council meeting.",
        "linked_to_assignment": "yes",
        "hate_crime_motive": "none",
        "perp-TOTAL_FORMS": "2", "perp-INITIAL_FORMS": "0", "perp-MIN_NUM_FORMS": "0", "perp-MAX_NUM_FORMS": "5",
        "perp-0-name": "Benchmark Sender", "perp-0-email": "sender@example.org",
    }


def pages() -> list[dict]:
    """(name, persona, method, url) of every page measured. The floor comes first."""
    case_pk, round_pk = busiest_open_case(), busiest_round()
    if case_pk is None or round_pk is None:
        raise SystemExit("No open case or survey round in this database: run `manage.py seed_demo --scale national`.")
    return [
        {"name": "floor", "persona": "handler", "url": reverse("accounts:password-change")},
        {"name": "triage", "persona": "handler", "url": reverse("incidents:triage")},
        {"name": "case_list", "persona": "handler", "url": reverse("incidents:case-list")},
        {"name": "case_detail", "persona": "handler", "url": reverse("incidents:case-detail", args=[case_pk])},
        {"name": "official_list", "persona": "handler", "url": reverse("officials:official-list")},
        {"name": "file_report", "persona": "official", "url": reverse("incidents:report-create"), "post": True},
        {"name": "approver_inbox", "persona": "approver", "url": reverse("measures:measure-inbox")},
        {"name": "compliance", "persona": "handler", "url": reverse("training:compliance-view")},
        {"name": "survey_results", "persona": "handler", "url": reverse("surveys:round-results", args=[round_pk])},
    ]


def request(client: Client, page: dict):
    if page.get("post"):
        response = client.post(page["url"], report_post_data())
        expected = 302
    else:
        response = client.get(page["url"])
        expected = 200
    if response.status_code != expected:
        raise SystemExit(f"{page['name']}: {page['url']} answered {response.status_code}, not {expected}")
    return response


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def table_sizes() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
                       "AND relnamespace = 'public'::regnamespace")
        return dict(cursor.fetchall())


SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
# Session keys and signed session data in the kept SQL: long quoted tokens.
_TOKEN = re.compile(r"'[A-Za-z0-9_.:\-]{32,}'")


def _redacted(sql: str) -> str:
    return _TOKEN.sub("'…'", sql)


def explain(name: str, queries: list[dict], sizes: dict[str, int]) -> list[str]:
    """Write the plans of a page's SELECTs; return the sequential scans on large tables."""
    PLANS.mkdir(exist_ok=True)
    lines, offenders = [], []
    with connection.cursor() as cursor:
        for number, query in enumerate(queries, 1):
            sql = query["sql"]
            lines.append(f"-- query {number} ({query['time']} s when captured)\n{_redacted(sql)}\n")
            if not sql.lstrip("( ").upper().startswith("SELECT"):  # a UNION starts with "("
                lines.append("(not a SELECT: not explained)\n\n")
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            lines.append(plan + "\n\n")
            for table in SEQ_SCAN.findall(plan):
                if sizes.get(table, 0) > LARGE_TABLE_ROWS:
                    offenders.append(f"query {number}: Seq Scan on {table} ({sizes[table]:,} rows)")
    (PLANS / f"{name}.txt").write_text("".join(lines), encoding="utf-8")
    return offenders


def counts() -> dict[str, int]:
    from core.models import AuditEvent
    from incidents.models import Case, Report
    from measures.models import Measure
    from officials.models import Official
    from surveys.models import Answer

    return {"officials": Official.objects.count(), "reports": Report.objects.count(),
            "cases": Case.objects.count(), "measures": Measure.objects.count(),
            "audit_events": AuditEvent.objects.count(), "survey_answers": Answer.objects.count()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--explain", action="store_true", help="write EXPLAIN ANALYZE plans to benchmarks/plans/")
    parser.add_argument("--only", nargs="*", help="measure only these pages (and the floor)")
    args = parser.parse_args()

    measured = [p for p in pages() if not args.only or p["name"] in args.only or p["name"] == "floor"]
    clients = {}
    for page in measured:
        if page["persona"] not in clients:
            clients[page["persona"]] = verified_client(page["persona"])
        page["client"] = clients[page["persona"]]
        page["times"] = []
    sizes = table_sizes()

    for page in measured:
        for _ in range(args.warmup):
            request(page["client"], page)
        with CaptureQueriesContext(connection) as captured:
            request(page["client"], page)
        page["queries"] = len(captured.captured_queries)
        page["captured"] = captured.captured_queries

    # Interleaved rounds: every page once per round, so load on the machine hits all alike.
    for _ in range(args.runs):
        for page in measured:
            start = time.perf_counter()
            request(page["client"], page)
            page["times"].append(time.perf_counter() - start)

    floor = statistics.median(measured[0]["times"])
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "database": f"{connection.vendor} {connection.settings_dict['NAME']}"},
        "data": counts(), "runs": args.runs, "goals": {"max_queries": MAX_QUERIES, "max_ratio": MAX_RATIO},
        "pages": {},
    }
    failed = False
    print(f"{result['machine']['cpus']} CPUs, Python {result['machine']['python']}, "
          f"{result['machine']['database']}; {args.runs} timed requests per page")
    print("Data: " + ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in result["data"].items()))
    print(f"{'page':<16}{'median ms':>10}{'p95 ms':>9}{'× floor':>9}{'queries':>9}  verdict")
    for page in measured:
        median, p95 = statistics.median(page["times"]), percentile(page["times"], 0.95)
        ratio = median / floor
        problems = []
        if page["queries"] > MAX_QUERIES:
            problems.append(f"{page['queries']} queries > {MAX_QUERIES}")
        if ratio > MAX_RATIO:
            problems.append(f"{ratio:.1f}× floor > {MAX_RATIO:g}×")
        seq_scans = explain(page["name"], page["captured"], sizes) if args.explain else []
        problems += seq_scans
        failed |= bool(problems)
        result["pages"][page["name"]] = {
            "url": page["url"], "persona": page["persona"], "method": "POST" if page.get("post") else "GET",
            "median_ms": round(median * 1000, 2), "p95_ms": round(p95 * 1000, 2), "ratio_to_floor": round(ratio, 2),
            "queries": page["queries"], "seq_scans_on_large_tables": seq_scans if args.explain else None,
            "problems": problems,
        }
        print(f"{page['name']:<16}{median * 1000:>10.1f}{p95 * 1000:>9.1f}{ratio:>9.2f}{page['queries']:>9}  "
              + ("; ".join(problems) if problems else "ok"))
    from config.celery import app

    app.control.purge()
    OUT.mkdir(exist_ok=True)
    (OUT / "pages.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"Written to {OUT / 'pages.json'}" + (f"; plans in {PLANS}" if args.explain else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
