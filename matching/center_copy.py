"""Database triggers that copy a buyer's center onto its matches, consultations and outcomes.

Why: a center's consultations and outcomes are what its manager works through all day (its page,
its home, its share of every event), and reaching them through matches and buyers means walking all
of the center's matches, or scanning every consultation newest first and dropping the other
centers' (12 ms for the ten latest at national scale). With `center_id` on the row, an index on
(center, starts_at) or (center, signed_on) answers directly.

The same holds for a center's matches, newest first (its list, its busiest companies).

The copy is derived data, written by the database and never by the application, whatever wrote the
row (a service, the admin, a bulk_create, a conditional UPDATE): on insert, on a change of the
row's buyer or match (or of the copy itself, so a save() with a stale in-memory value cannot break
it), when a match moves to another buyer, and when a buyer moves to another center. In Python,
after a create, the instance's `center_id` is None until it is read again; code that needs the
center of an object in hand uses `buyer.center` or `match.buyer.center`.

PostgreSQL: a BEFORE row trigger sets NEW.center_id; the moves update the rows, which fires it
again. SQLite: AFTER row triggers run the same lookup with an UPDATE (recursive triggers are off).
`refresh_all()` rewrites every copy (the migrations call it for existing data). Migration 0011 gave
consultations and outcomes the column and 0012 matches; `install()` leaves out the match's copy on
a database that does not have that column yet.
"""

from jntp.db import execute_all

TABLES = ("matching_consultation", "matching_outcome")
CENTER_OF_BUYER = "(SELECT center_id FROM centers_buyer WHERE id = NEW.buyer_id)"

CENTER_OF_MATCH = (
    "(SELECT b.center_id FROM matching_match m JOIN centers_buyer b ON b.id = m.buyer_id "
    "WHERE m.id = {match})"
)


# --- PostgreSQL ---------------------------------------------------------------------------------------
def _postgresql_install(*, matches: bool) -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION matching_copy_center() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.center_id := {CENTER_OF_MATCH.format(match="NEW.match_id")};
            RETURN NEW;
        END $$
        """,
    ]
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_center ON {table}",
            f"CREATE TRIGGER {table}_center BEFORE INSERT OR UPDATE OF match_id, center_id ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION matching_copy_center()",
        ]
    if matches:
        statements += [
            f"""
            CREATE OR REPLACE FUNCTION matching_match_own_center() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.center_id := {CENTER_OF_BUYER};
                RETURN NEW;
            END $$
            """,
            "DROP TRIGGER IF EXISTS matching_match_own_center ON matching_match",
            "CREATE TRIGGER matching_match_own_center BEFORE INSERT OR UPDATE OF buyer_id, center_id "
            "ON matching_match FOR EACH ROW EXECUTE FUNCTION matching_match_own_center()",
        ]
    moves = ";\n".join(f"UPDATE {table} SET center_id = NULL WHERE match_id = NEW.id" for table in TABLES)
    buyer_moves = ";\n".join(
        (["UPDATE matching_match SET center_id = NULL WHERE buyer_id = NEW.id"] if matches else [])
        + [
            f"UPDATE {table} SET center_id = NULL "
            "WHERE match_id IN (SELECT id FROM matching_match WHERE buyer_id = NEW.id)"
            for table in TABLES
        ]
    )
    # SET center_id = NULL fires the BEFORE trigger above, which writes the center of the match now.
    statements += [
        f"""
        CREATE OR REPLACE FUNCTION matching_match_copy_center() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {moves};
            RETURN NULL;
        END $$
        """,
        "DROP TRIGGER IF EXISTS matching_match_center ON matching_match",
        "CREATE TRIGGER matching_match_center AFTER UPDATE OF buyer_id ON matching_match FOR EACH ROW "
        "WHEN (OLD.buyer_id IS DISTINCT FROM NEW.buyer_id) EXECUTE FUNCTION matching_match_copy_center()",
        f"""
        CREATE OR REPLACE FUNCTION centers_buyer_copy_center() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {buyer_moves};
            RETURN NULL;
        END $$
        """,
        "DROP TRIGGER IF EXISTS centers_buyer_center ON centers_buyer",
        "CREATE TRIGGER centers_buyer_center AFTER UPDATE OF center_id ON centers_buyer FOR EACH ROW "
        "WHEN (OLD.center_id IS DISTINCT FROM NEW.center_id) EXECUTE FUNCTION centers_buyer_copy_center()",
    ]
    return statements


def _postgresql_uninstall() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_center ON {table}" for table in TABLES),
        "DROP TRIGGER IF EXISTS matching_match_own_center ON matching_match",
        "DROP FUNCTION IF EXISTS matching_match_own_center()",
        "DROP TRIGGER IF EXISTS matching_match_center ON matching_match",
        "DROP TRIGGER IF EXISTS centers_buyer_center ON centers_buyer",
        "DROP FUNCTION IF EXISTS matching_copy_center()",
        "DROP FUNCTION IF EXISTS matching_match_copy_center()",
        "DROP FUNCTION IF EXISTS centers_buyer_copy_center()",
    ]


# --- SQLite -------------------------------------------------------------------------------------------
def _sqlite_install(*, matches: bool) -> list[str]:
    statements = []
    if matches:
        own = f"UPDATE matching_match SET center_id = {CENTER_OF_BUYER} WHERE id = NEW.id"
        statements += [
            "DROP TRIGGER IF EXISTS matching_match_own_center_insert",
            "CREATE TRIGGER matching_match_own_center_insert AFTER INSERT ON matching_match "
            f"FOR EACH ROW BEGIN {own}; END",
            "DROP TRIGGER IF EXISTS matching_match_own_center_update",
            "CREATE TRIGGER matching_match_own_center_update AFTER UPDATE OF buyer_id, center_id "
            f"ON matching_match FOR EACH ROW BEGIN {own}; END",
        ]
    for table in TABLES:
        center = CENTER_OF_MATCH.format(match="NEW.match_id")
        copy = f"UPDATE {table} SET center_id = {center} WHERE id = NEW.id"
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_center_insert",
            f"CREATE TRIGGER {table}_center_insert AFTER INSERT ON {table} FOR EACH ROW BEGIN {copy}; END",
            f"DROP TRIGGER IF EXISTS {table}_center_update",
            f"CREATE TRIGGER {table}_center_update AFTER UPDATE OF match_id, center_id ON {table} "
            f"FOR EACH ROW BEGIN {copy}; END",
        ]
    match_moves = " ".join(
        f"UPDATE {table} SET center_id = {CENTER_OF_MATCH.format(match='NEW.id')} WHERE match_id = NEW.id;"
        for table in TABLES
    )
    buyer_moves = " ".join(
        (["UPDATE matching_match SET center_id = NEW.center_id WHERE buyer_id = NEW.id;"] if matches else [])
        + [
            f"UPDATE {table} SET center_id = NEW.center_id "
            "WHERE match_id IN (SELECT id FROM matching_match WHERE buyer_id = NEW.id);"
            for table in TABLES
        ]
    )
    statements += [
        "DROP TRIGGER IF EXISTS matching_match_center",
        "CREATE TRIGGER matching_match_center AFTER UPDATE OF buyer_id ON matching_match FOR EACH ROW "
        f"WHEN OLD.buyer_id IS NOT NEW.buyer_id BEGIN {match_moves} END",
        "DROP TRIGGER IF EXISTS centers_buyer_center",
        "CREATE TRIGGER centers_buyer_center AFTER UPDATE OF center_id ON centers_buyer FOR EACH ROW "
        f"WHEN OLD.center_id IS NOT NEW.center_id BEGIN {buyer_moves} END",
    ]
    return statements


def _sqlite_uninstall() -> list[str]:
    return [
        *(
            f"DROP TRIGGER IF EXISTS {table}_center_{event}"
            for table in TABLES
            for event in ("insert", "update")
        ),
        "DROP TRIGGER IF EXISTS matching_match_own_center_insert",
        "DROP TRIGGER IF EXISTS matching_match_own_center_update",
        "DROP TRIGGER IF EXISTS matching_match_center",
        "DROP TRIGGER IF EXISTS centers_buyer_center",
    ]


def _matches_have_the_column(connection) -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "matching_match")
    return any(column.name == "center_id" for column in columns)


def install(connection) -> None:
    matches = _matches_have_the_column(connection)
    if connection.vendor == "postgresql":
        execute_all(connection, _postgresql_install(matches=matches))
    else:
        execute_all(connection, _sqlite_install(matches=matches))


def uninstall(connection) -> None:
    execute_all(
        connection, _postgresql_uninstall() if connection.vendor == "postgresql" else _sqlite_uninstall()
    )


def refresh_all(connection) -> int:
    """Write the copy on every match (where it has the column), consultation and outcome whose copy
    is not right, and say how many rows that was: rows already right are not rewritten, so running
    it again bloats nothing."""
    matches = _matches_have_the_column(connection)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    updates = [(table, CENTER_OF_MATCH.format(match=f"{table}.match_id")) for table in TABLES]
    if matches:
        updates.insert(
            0, ("matching_match", "(SELECT center_id FROM centers_buyer WHERE id = matching_match.buyer_id)")
        )
    written = 0
    with connection.cursor() as cursor:
        for table, center in updates:
            cursor.execute(f"UPDATE {table} SET center_id = {center} WHERE center_id {distinct} {center}")
            written += cursor.rowcount
    return written
