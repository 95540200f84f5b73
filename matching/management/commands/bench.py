import json
import platform
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from centers.models import Buyer, BuyerInterest, Center
from jntp.benchmarks import harness
from jntp.users.models import User
from matching.models import Company, Consultation, FollowUp, Match, Outcome, Product, SampleShipment


class Command(BaseCommand):
    help = (
        "Time the recommendation engine and every registered page for each role, in-process, on the "
        "configured PostgreSQL database; print a table and write bench/results/latest.json. "
        "`make bench` loads the national dataset first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--samples", type=int, default=50, help="Companies and buyers to recommend for.")
        parser.add_argument("--requests", type=int, default=20, help="Requests per page and role.")
        parser.add_argument(
            "--output", default=None, help="Where to write the JSON (default bench/results/latest.json)."
        )
        parser.add_argument(
            "--page",
            action="append",
            dest="page_names",
            metavar="NAME",
            help="Time only this page (repeatable; names as in the table) and skip recommendations.",
        )
        parser.add_argument(
            "--any-database",
            action="store_true",
            help="Run on a database other than PostgreSQL (the numbers then say little).",
        )

    def handle(
        self, *args, samples=50, requests=20, output=None, any_database=False, page_names=None, **options
    ):
        if connection.vendor != "postgresql" and not any_database:
            raise CommandError(
                "The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://… (see `make bench`)."
            )
        users = harness.bench_users()
        if users["staff"] is None:
            raise CommandError("No data to measure: load it with `python manage.py seed_scale` first.")

        selected = None
        if page_names:
            selected = [page for page in harness.PAGES if page.name in page_names]
            unknown = set(page_names) - {page.name for page in selected}
            if unknown:
                raise CommandError(
                    f"No such page: {', '.join(sorted(unknown))}. "
                    f"Pages: {', '.join(page.name for page in harness.PAGES)}."
                )
        recommendations = []
        if selected is None:
            self.stdout.write(f"Timing recommendations ({samples} companies, {samples} buyers) …")
            recommendations = harness.measure_recommendations(samples=samples, user=users["staff"])
        self.stdout.write(f"Timing pages ({requests} requests each, per role) …")
        pages = harness.measure_pages(users, requests=requests, pages=selected)

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
            )
            version = cursor.fetchone()[0]
        dataset = {
            label: model.objects.count()
            for label, model in (
                ("centers", Center),
                ("companies", Company),
                ("products", Product),
                ("buyers", Buyer),
                ("buyer interests", BuyerInterest),
                ("matches", Match),
                ("consultations", Consultation),
                ("sample shipments", SampleShipment),
                ("outcomes", Outcome),
                ("follow-ups", FollowUp),
                ("users", User),
            )
        }
        report = {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": connection.vendor,
                "name": connection.settings_dict.get("NAME"),
                "version": version,
            },
            "machine": {"python": platform.python_version(), "processor": platform.machine()},
            "dataset": dataset,
            "targets": harness.TARGETS,
            "users": {role: user.username if user else None for role, user in users.items()},
            "recommendations": [
                {**t.as_dict(), "meets_target": harness.meets(t, kind="recommendation")}
                for t in recommendations
            ],
            "pages": [{**t.as_dict(), "meets_target": harness.meets(t, kind="page")} for t in pages],
        }
        # A partial run (--page) leaves latest.json to the full runs unless told where to write.
        path = Path(output) if output else Path(settings.BASE_DIR) / "bench" / "results" / "latest.json"
        if selected is None or output:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

        self.stdout.write("")
        self.stdout.write(
            f"{connection.vendor} {version.split(' on ')[0]} · database {report['database']['name']} · "
            + ", ".join(
                f"{count:,} {label}"
                for label, count in dataset.items()
                if label in ("companies", "buyers", "follow-ups")
            )
        )
        self.stdout.write("Users: " + ", ".join(f"{role} {name}" for role, name in report["users"].items()))
        self.stdout.write("")
        self.stdout.write(harness.table(recommendations, pages))
        self.stdout.write("")
        if selected is None or output:
            self.stdout.write(f"Written to {path}")
