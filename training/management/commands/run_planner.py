"""`manage.py run_planner [--date YYYY-MM-DD] [--dry-run]`: run the planner for a date (default
today), or show what it would create with nothing written. The run is audited."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Run the planner for a date (default today); --dry-run shows what it would create and writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be created; write nothing")

    def handle(self, *args, day: str = "", dry_run: bool = False, **options):
        from core.planner import run_planner

        try:
            on = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {day!r}") from None
        result = run_planner(on, dry_run=dry_run, reason="dry run (command)" if dry_run else "command")
        lines = [item for items in result.values() for item in items]
        heading = f"{'Would create' if dry_run else 'Created'} for {on.isoformat()}: {len(lines)}"
        self.stdout.write(heading)
        for line in lines:
            self.stdout.write(f"  {line}")
