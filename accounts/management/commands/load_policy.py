from django.core.management.base import BaseCommand, CommandError

from accounts.policy_profiles import PROFILES
from accounts.services import policy_load


class Command(BaseCommand):
    help = "Load one of the shipped policy profiles as the active policy."

    def add_arguments(self, parser):
        parser.add_argument("profile", choices=sorted(PROFILES))

    def handle(self, *args, profile: str, **options):
        try:
            policy = policy_load(actor=None, profile=profile)
        except KeyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Active policy: {policy}"))
