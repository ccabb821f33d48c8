from django.core.management.base import BaseCommand

from surveys.services import item_bank_load


class Command(BaseCommand):
    help = ("Load the default survey item bank and the national PTU figures (idempotent: only what is "
            "missing is created, edits are kept). The demo rounds come with `manage.py seed_demo`.")

    def handle(self, *args, **options):
        created = item_bank_load()
        self.stdout.write(f"Survey item bank: {created} item(s) created.")
