"""How long the follow-up report PDF takes for a Stockholm-size year: data gathering (the
aggregate queries and the small-count rule) beside WeasyPrint's rendering.

    .venv/bin/python benchmarks/report_pdf.py                # SQLite under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/varn_bench .venv/bin/python benchmarks/report_pdf.py

The first run builds the data in that scratch database (about 1 000 officials with assignments,
2 000 incident reports with kinds and channels over the year, cases, measures with costs, training
and security conversations); later runs reuse it. Never point it at a database you care about.
Each part is timed three times and the median printed, with the ratio; the same goes to
benchmarks/out/report_pdf.json (and the PDF itself to benchmarks/out/report_pdf.pdf).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'report_pdf.sqlite3'}")
os.environ["DJANGO_DEBUG"] = "false"  # no query log growing in memory



from scratch_db import create_postgres_database  # noqa: E402 (benchmarks/, the script's folder)

create_postgres_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

YEAR = 2025
OFFICIALS = 1000
REPORTS = 2000
RUNS = 3


def build() -> None:
    """A Stockholm-size municipality and year, written in bulk (the services would take minutes)."""
    from zoneinfo import ZoneInfo

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import ensure_role_groups, policy_load
    from demo.registry import BODIES, PARTIES
    from incidents.models import Case, CaseStatus, Channel, Kind, LinkAssessment, Report, ReportKind
    from measures.models import Measure, MeasureCost, MeasureStatus, MeasureType
    from officials.models import Assignment, Body, Official, Party
    from training.models import Completion, Course, SecurityConversation, TrainingOffer

    rng = random.Random(2025)
    tz = ZoneInfo("Europe/Stockholm")
    policy_load(actor=None, profile="stockholm")
    groups = ensure_role_groups()
    handler, _ = User.objects.get_or_create(username="bench-handler")
    handler.groups.add(groups[Role.SECURITY_HANDLER])
    approver, _ = User.objects.get_or_create(username="bench-approver")
    parties = [Party.objects.get_or_create(abbreviation=a, defaults={"name": n})[0] for n, a, _s in PARTIES]
    weights = [s for _n, _a, s in PARTIES]
    bodies = [Body.objects.get_or_create(name=n, defaults={"kind": k})[0] for n, k, _m, _s in BODIES]

    officials = Official.objects.bulk_create([
        Official(first_name=f"Förnamn{i}", last_name=f"Efternamn{i}", party=rng.choices(parties, weights)[0],
                 gender=rng.choice(["woman", "man", "woman", "man", "other", ""]),
                 birth_year=rng.choice([None, *range(1945, 2004)]))
        for i in range(OFFICIALS)])
    roles = [r for r, _l in Assignment.Role.choices]
    assignments = []
    for i, official in enumerate(officials):
        covered = i < 30  # about thirty specially remunerated officials
        assignments.append(Assignment(official=official, body=rng.choice(bodies),
                                      role="kommunalrad" if covered and i % 2 else rng.choice(roles),
                                      share_percent=100 if covered else rng.choice([0, 0, 0, 10, 20]),
                                      start=date(2022, 10, 15)))
    Assignment.objects.bulk_create(assignments)

    kinds, channels = Kind.values, Channel.values
    reports = []
    for _n in range(REPORTS):
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        over_a_period = rng.random() < 0.1
        reports.append(Report(
            filed_by=handler, filed_at=datetime(YEAR, 12, 31, 12, tzinfo=tz),
            occurred_at=None if over_a_period else datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=tz),
            period_start=day if over_a_period else None, channel=rng.choice(channels), description="Bänk",
            linked_to_assignment=rng.choice(["yes", "no", "unsure"]), police_reported=rng.random() < 0.3))
    reports = Report.objects.bulk_create(reports)
    ReportKind.objects.bulk_create([ReportKind(report=r, kind=k) for r in reports
                                    for k in rng.sample(kinds, rng.choice([1, 1, 1, 2, 3]))])
    through = Report.affected_officials.through
    through.objects.bulk_create([through(report=r, official=o) for r in reports
                                 for o in rng.sample(officials, rng.choice([1, 1, 1, 1, 2]))])

    cases = []
    for r in reports[:600]:
        official = r.affected_officials.first()
        closed = rng.random() < 0.5
        opened = r.occurred_at or datetime(YEAR, 6, 1, tzinfo=tz)
        cases.append(Case(official=official, status=CaseStatus.CLOSED if closed else rng.choice(
            [CaseStatus.TRIAGED, CaseStatus.BEING_ASSESSED, CaseStatus.MEASURES, CaseStatus.MONITORING]),
            opened_at=opened, closed_at=opened + timedelta(days=30) if closed else None, opened_by=handler))
    cases = Case.objects.bulk_create(cases)
    for report, case in zip(reports[:600], cases, strict=True):
        report.case, report.status = case, Report.Status.IN_CASE
    Report.objects.bulk_update(reports[:600], ["case", "status"])
    LinkAssessment.objects.bulk_create([LinkAssessment(case=c, outcome=rng.choice(["linked", "not_linked"]),
                                                       recorded_by=handler) for c in cases[:200]])
    types = list(MeasureType.objects.all())
    measures = []
    for case in cases[:400]:
        status = rng.choice([MeasureStatus.PROPOSED, MeasureStatus.APPROVED, MeasureStatus.ORDERED,
                             MeasureStatus.IN_PLACE, MeasureStatus.REJECTED, MeasureStatus.ENDED])
        decided = status != MeasureStatus.PROPOSED
        measures.append(Measure(
            case=case, measure_type=rng.choice(types), status=status, reason="Bänk",
            estimated_cost_sek=rng.choice([2000, 6000, 25000, 80000]), proposed_by=handler,
            proposed_at=case.opened_at + timedelta(days=2), decided_by=approver if decided else None,
            decided_at=case.opened_at + timedelta(days=4) if decided else None,
            decision_reason="Nej" if status == MeasureStatus.REJECTED else "",
            ended_at=case.opened_at + timedelta(days=60) if status == MeasureStatus.ENDED else None))
    measures = Measure.objects.bulk_create(measures)
    MeasureCost.objects.bulk_create([
        MeasureCost(measure=m, amount_sek=m.estimated_cost_sek, booked_on=m.decided_at.date() + timedelta(days=20),
                    booked_by=handler)
        for m in measures if m.status in (MeasureStatus.IN_PLACE, MeasureStatus.ENDED) and m.decided_at.year == YEAR
        and (m.decided_at.date() + timedelta(days=20)).year == YEAR])

    course = Course.objects.create(title="Introduktion", kind=Course.Kind.INTRODUCTION)
    offer = TrainingOffer.objects.create(kind=TrainingOffer.Kind.TERM_START_INTRODUCTION, term=2022, period="",
                                         course=course, title="Introduktion", target_group="covered",
                                         opens_on=date(2022, 10, 15), closes_on=date(2026, 10, 14), required=True)
    Completion.objects.bulk_create([
        Completion(official=o, offer=offer, completed_on=date(YEAR, rng.randrange(1, 13), 1), source="recorded")
        for o in officials if rng.random() < 0.4])
    SecurityConversation.objects.bulk_create([
        SecurityConversation(official=o, reason="yearly", term=2022, period=3, status="held",
                             due_by=date(YEAR, 10, 1), held_on=date(YEAR, rng.randrange(1, 10), 1))
        for o in officials[:30]])


def median_seconds(fn) -> tuple[float, object]:
    times, result = [], None
    for _n in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    from incidents.models import Report
    from officials.models import Official
    from reports import renderers, selectors
    from reports.periods import Period
    from reports.tables import suppress

    call_command("migrate", verbosity=0)
    if Report.objects.count() < REPORTS:
        print("Building the data (first run only)…", flush=True)
        with transaction.atomic():
            build()
    period = Period.year(YEAR)
    today = date(YEAR + 1, 1, 15)
    translation.activate("sv")

    def gather():
        return suppress(selectors.followup_data(period, today=today))

    with CaptureQueriesContext(connection) as queries:
        gather()
    gathering, data = median_seconds(gather)
    made = renderers.Made(author="Bänk", at=timezone.now())
    rendering, pdf = median_seconds(lambda: renderers.pdf(gather_copy(data), made))
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "database": connection.vendor},
        "data": {"officials": Official.objects.count(), "reports": Report.objects.filter(
            occurred_at__year=YEAR).count() + Report.objects.filter(period_start__year=YEAR).count(),
            "queries_for_gathering": len(queries.captured_queries)},
        "median_seconds": {"gathering": round(gathering, 3), "rendering": round(rendering, 3)},
        "rendering_per_gathering": round(rendering / gathering, 1) if gathering else None,
        "pdf_bytes": len(pdf),
        "runs": RUNS,
    }
    print(f"Machine: {result['machine']['cpus']} CPUs, Python {result['machine']['python']}, "
          f"{connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"Data: {result['data']['officials']} officials, {result['data']['reports']} reports in {YEAR}")
    print(f"Gathering (queries + small-count rule): {gathering:.3f} s median of {RUNS} "
          f"({result['data']['queries_for_gathering']} queries)")
    print(f"WeasyPrint rendering (template, SVG charts, PDF): {rendering:.3f} s median of {RUNS} "
          f"({len(pdf) // 1024} KB)")
    print(f"Rendering / gathering: {result['rendering_per_gathering']}×")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "report_pdf.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "report_pdf.pdf").write_bytes(pdf)  # to look at


def gather_copy(data: dict) -> dict:
    """A fresh copy of the suppressed data (rendering adds the charts to it)."""
    import copy

    return copy.deepcopy(data)


if __name__ == "__main__":
    main()
