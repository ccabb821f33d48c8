from django.core.management.base import BaseCommand

from surveys.demo import build_demo_rounds
from surveys.services import item_bank_load


class Command(BaseCommand):
    help = ("Load the default survey item bank and the national PTU figures (idempotent: only what is "
            "missing is created, edits are kept). With --demo, also closed demo rounds with synthetic answers.")

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also create the demo rounds.")

    def handle(self, *args, demo: bool, **options):
        created = item_bank_load()
        self.stdout.write(f"Survey item bank: {created} item(s) created.")
        if demo:
            rounds = build_demo_rounds(stdout=self.stdout)
            self.stdout.write(f"Demo survey rounds: {rounds} created.")
