import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist yet (for `make bench`)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark database is a PostgreSQL database: set DATABASE_URL=postgres://…"
            )
        config = connection.settings_dict
        name = config["NAME"]
        params = {key.lower(): config[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if config.get(key)}
        # Connect to the server's maintenance database: the one to create cannot be connected to yet.
        with psycopg.connect(**params, dbname="postgres", autocommit=True) as server:
            exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                self.stdout.write(f"Database {name} exists.")
                return
            server.execute(f'CREATE DATABASE "{name}"')
        self.stdout.write(f"Created database {name}.")
