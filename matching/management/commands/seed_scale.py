import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from matching.demo.national import NationalBuilder, is_loaded


class Command(BaseCommand):
    help = (
        "Load the deterministic national dataset every benchmark uses (10,000 companies, 200 centers, "
        "50,000 buyers, 200,000 consultations, 100,000 shipments, 500,000 follow-ups). Does nothing if "
        "it is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every size by this (e.g. 0.01 for a quick look). Default 1: the national sizes.",
        )
        parser.add_argument("--password", help="Password of the generated users (default: none can sign in).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, scale=1.0, password=None, force=False, **options):
        if not (settings.DEBUG or getattr(settings, "SYNTHETIC_DATA_ALLOWED", False) or force):
            raise CommandError(
                "DEBUG is off: this looks like production. Synthetic data there needs --force."
            )
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if is_loaded():
            self.stdout.write("The national dataset is already loaded; nothing changed.")
            return
        builder = NationalBuilder(scale=scale, password=password, stdout=self.stdout)
        sizes = ", ".join(f"{key} {value:,}" for key, value in builder.sizes.items())
        self.stdout.write(f"Loading the national dataset ({sizes}) into {connection.vendor} …")
        started = time.perf_counter()
        # All or nothing: an interrupted load leaves no half dataset to pass for a whole one.
        with transaction.atomic():
            counts = builder.build()
        loaded = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The triggers rewrote the engine's helper rows batch after batch: reclaim the dead
                # rows and refresh the planner's statistics, or the first benchmarks pay for them.
                # (Inside a transaction, a test's, VACUUM cannot run; ANALYZE can.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {sum(counts.values()):,} rows in {loaded:.1f} s "
                f"({elapsed:.1f} s with the final VACUUM ANALYZE)."
            )
        )
