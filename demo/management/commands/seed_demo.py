import argparse
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Policy
from demo.registry import build_registry, ensure_demo_accounts
from demo.survey_rounds import build_demo_rounds


class Command(BaseCommand):
    help = "Build the demo municipality and one demo account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo",
                            help="Data size. 'demo' is a mid-size municipality; 'national' adds a national "
                                 "service's data in bulk (40 000 officials, 250 000 reports …) for benchmarks "
                                 "on PostgreSQL.")
        parser.add_argument("--policy", default="sigtuna", help="Policy profile to load when none is active.")
        # For development and tests: every national count times this (e.g. 0.05 for a quick build).
        parser.add_argument("--fraction", type=float, default=1.0, help=argparse.SUPPRESS)

    def handle(self, *args, scale: str, policy: str, fraction: float, **options):
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be greater than 0 and at most 1.")
        if scale == "national" and connection.vendor != "postgresql" and fraction >= 1:
            raise CommandError("The national scale is a PostgreSQL benchmark data set: set DATABASE_URL to a "
                               "PostgreSQL database (a smaller --fraction runs anywhere).")
        if not Policy.objects.filter(is_active=True).exists():
            call_command("load_policy", policy, stdout=self.stdout)
        build_registry(stdout=self.stdout)
        accounts = ensure_demo_accounts()
        call_command("seed_surveys", stdout=self.stdout)
        rounds = build_demo_rounds(stdout=self.stdout)
        self.stdout.write(f"Demo survey rounds: {rounds} created.")
        # What the daily planner would have created by today (training offers, conversations …).
        from django.utils import timezone

        from core.planner import run_planner

        created = run_planner(timezone.localdate())
        self.stdout.write("Planner: " + ", ".join(f"{name}: {len(items)}" for name, items in created.items()))
        if scale == "national":
            from demo.national import build_national

            if build_national(stdout=self.stdout, fraction=fraction):
                # What the planner makes of the national data today (reminders of reviews due …), so
                # that the data is as it would be and a second run adds nothing.
                started = time.perf_counter()
                created = run_planner(timezone.localdate())
                self.stdout.write("Planner on the national data: " + ", ".join(
                    f"{name}: {len(items)}" for name, items in created.items() if items)
                    + f" ({time.perf_counter() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {settings.DEMO_PASSWORD}):"))
        for username, roles in accounts:
            self.stdout.write(f"  {username:<12} {roles}")
