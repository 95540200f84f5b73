import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from centers.models import Center
from matching.demo import centers as center_data
from matching.demo.builder import DEMO_USERS, DemoBuilder
from matching.models import Company


class Command(BaseCommand):
    help = "Load JNTP's 2021 year as demo data: 16 centers, 64 companies, their buyers, meetings and deals."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of the demo users (default: random, printed once).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load into a database that has no centers and no companies yet.",
        )
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, password=None, if_empty=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Demo data there needs --force.")
        codes = [row[0] for row in center_data.CENTERS]
        if Center.objects.filter(code__in=codes).exists():
            self.stdout.write("The demo year is already loaded; nothing changed.")
            return
        if if_empty and (Center.objects.exists() or Company.objects.exists()):
            self.stdout.write("The database already has data; the demo was not loaded.")
            return

        generated = password is None
        password = password or secrets.token_urlsafe(12)
        with transaction.atomic():
            DemoBuilder(password=password).build()

        self.stdout.write(self.style.SUCCESS("Loaded the 2021 demo year."))
        self.stdout.write("Demo users: " + ", ".join(username for username, *_ in DEMO_USERS))
        if generated:
            self.stdout.write(f"Their password (shown only now): {password}")
