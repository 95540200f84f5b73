"""A number that moves whenever a row the year's figures count changes, so the dashboard can cache
the figures of a year under it and still show a consultation the moment it is logged.

PostgreSQL: a statement-level trigger on each counted table calls nextval() on one sequence.
Sequences are outside transactions, so writers never wait on each other for it; the price is a
race: a reader between a writer's last counted statement and its commit (the rest of that
transaction) caches figures without that write under the new number. The cache's timeout
(selectors.FIGURES_CACHE_SECONDS) bounds how long they can show.
The triggers catch every write: services, the admin, imports, conditional UPDATEs, bulk_create.

Elsewhere (SQLite, the laptop demo) there is no stamp and the figures are computed each time.
"""

SEQUENCE = "matching_figures_stamp"
TABLES = (
    "centers_center",
    "centers_buyer",
    "matching_match",
    "matching_consultation",
    "matching_sampleshipment",
    "matching_outcome",
)


def install(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {SEQUENCE}_touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$
            """
        )
        for table in TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_touch ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_figures_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {SEQUENCE}_touch()"
            )


def uninstall(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_figures_touch ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SEQUENCE}_touch()")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def current(connection) -> int | None:
    """The stamp now, or None where there is none (then nothing may be cached)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # A new sequence reads 1 before its first nextval() and 1 after it: count that call.
        cursor.execute(f"SELECT last_value + is_called::int FROM {SEQUENCE}")
        return cursor.fetchone()[0]
