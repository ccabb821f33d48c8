"""The national scale of the demo (`manage.py seed_demo --scale national`, issue 10): Värn as a
shared national service, with the data of about 290 municipalities over eight years — 40 000
officials, 250 000 incident reports, 100 000 cases, 50 000 measures, 500 000 audit rows and
100 000 survey answers, plus what hangs on them (kinds, affected officials, perpetrators, status
histories, notes, assessments, measure events and costs, training completions).

A benchmark data set: written in bulk (PostgreSQL COPY; `bulk_create` elsewhere), never through
the services, in one transaction, deterministic (fixed seeds; dates relative to the day it runs).
It keeps the rules the database and the services keep: a report in a case has the case, the
case's official is one of the opening report's affected officials, a joined report was filed
while its case was open, four eyes on every decided measure, one open proposal per type and case,
and survey answers tied to no person (they are drawn at random, as in `demo.survey_rounds`).

`fraction` scales every count down (0.1 for a working copy, 0.0005 in the tests).

Layout: `data` (the counts, the municipalities, the texts), `writer` (COPY and `bulk_create`),
`build` (one step per app); this module is the entry point.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from accounts.models import User

from .build import Build
from .data import COUNTS, MARKER

__all__ = ["COUNTS", "build_national", "national_data_exists"]


def national_data_exists() -> bool:
    return User.objects.filter(username=MARKER).exists()


def build_national(stdout, fraction: float = 1.0) -> bool:
    """Add the national data set; returns False (and adds nothing) when it is already there."""
    if national_data_exists():
        stdout.write("The national data is already here: nothing added.")
        return False
    started = time.perf_counter()
    build = Build(stdout, fraction)
    stdout.write(f"Building the national data (fraction {fraction:g}):")
    with transaction.atomic():
        build.step("officials and assignments", build.registry)
        build.step("handlers and approvers", build.users)
        build.step("reports and cases", build.reports)
        build.step("assessments and measures", build.measures)
        build.step("audit trail", build.audit)
        build.step("survey answers", build.surveys)
        build.step("training completions", build.training)
        build.writer.reset_sequences()
        committing = time.perf_counter()
    build.steps.append(("commit (deferred foreign-key checks)", time.perf_counter() - committing))
    if build.writer.postgres:
        # Statistics for the planner (and the visibility map for index-only scans). VACUUM cannot
        # run inside a transaction (as in a test); ANALYZE can.
        analysing = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        build.steps.append(("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE",
                            time.perf_counter() - analysing))
    stdout.write(f"National data: {build.municipalities} municipalities. Rows and seconds (generating and "
                 f"writing) per table:")
    for table, (rows, seconds) in sorted(build.writer.stats.items()):
        stdout.write(f"  {table:<40} {int(rows):>9,} rows {seconds:>7.1f} s")
    for name, seconds in build.steps:
        stdout.write(f"  {name:<40} {'':>14} {seconds:>7.1f} s")
    stdout.write(f"Total: {time.perf_counter() - started:.1f} s")
    return True
