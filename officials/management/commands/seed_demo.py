from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.models import Policy
from officials.demo import build_registry, ensure_demo_accounts


class Command(BaseCommand):
    help = "Build the demo municipality and one demo account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo"], default="demo",
                            help="Data size. 'demo' is a mid-size municipality; larger scales are for benchmarks.")
        parser.add_argument("--policy", default="sigtuna", help="Policy profile to load when none is active.")

    def handle(self, *args, scale: str, policy: str, **options):
        if not Policy.objects.filter(is_active=True).exists():
            call_command("load_policy", policy, stdout=self.stdout)
        build_registry(stdout=self.stdout)
        accounts = ensure_demo_accounts()
        call_command("seed_surveys", demo=True, stdout=self.stdout)
        # What the daily planner would have created by today (training offers, conversations …).
        from django.utils import timezone

        from training.planner import run_planner

        created = run_planner(timezone.localdate())
        self.stdout.write("Planner: " + ", ".join(f"{name}: {len(items)}" for name, items in created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {settings.DEMO_PASSWORD}):"))
        for username, roles in accounts:
            self.stdout.write(f"  {username:<12} {roles}")
