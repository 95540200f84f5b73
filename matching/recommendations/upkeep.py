"""Database triggers that keep BuyerSignal and BuyerHeadingHistory current.

Why triggers: the engine ranks thousands of candidates per request and cannot afford to count
every buyer's matches, consultations, ratings and deals each time, nor to read the buyers' wide
rows. These two tables hold what it reads; the triggers rewrite the rows of every buyer a write
touches, in the same transaction, so they are never stale, whatever wrote (a service, the admin, an
import, a conditional UPDATE, a bulk_create). The application never writes them.

PostgreSQL: one statement-level trigger per table and event, with transition tables, so a
bulk_create of 5,000 rows refreshes its buyers in one set-based pass. Before recomputing, the
buyers' rows are locked (in id order), which serialises two transactions touching the same buyer:
the second one recomputes after the first commits and sees its rows. SQLite (a laptop, one writer):
row-level triggers running the same statements.

`refresh_all()` rebuilds both tables from scratch (the migration calls it for existing data).
"""

from jntp.db import execute_all
from matching.models import Match, Outcome
from matching.recommendations import weights as w

OPEN_STAGES = ", ".join(f"'{stage}'" for stage in Match.Stage.open_values())
DEAL_KINDS = ", ".join(f"'{kind}'" for kind in w.DEAL_KINDS)
MOU = f"'{Outcome.Kind.MOU}'"
LOST = f"'{Match.Stage.LOST}'"
CANCELLED = "'cancelled'"

# table → (the columns whose change matters, how to find the buyers of a set of its rows `r`,
# whether their track record can change too or only their signal row)
WATCHED = {
    "centers_buyer": (
        ("country", "business_type", "status", "status_changed_at", "center_id"),
        "SELECT r.id AS buyer_id FROM {rows} r",
        False,
    ),
    "centers_center": (
        ("is_active",),
        "SELECT b.id AS buyer_id FROM {rows} r JOIN centers_buyer b ON b.center_id = r.id",
        False,
    ),
    "matching_match": (("stage", "buyer_id", "company_id"), "SELECT r.buyer_id FROM {rows} r", True),
    "matching_consultation": (
        ("starts_at", "status", "match_id"),
        "SELECT m.buyer_id FROM {rows} r JOIN matching_match m ON m.id = r.match_id",
        True,
    ),
    "matching_sampleshipment": (
        ("feedback_rating", "match_id"),
        "SELECT m.buyer_id FROM {rows} r JOIN matching_match m ON m.id = r.match_id",
        True,
    ),
    "matching_shipmentitem": (
        ("product_id", "shipment_id"),
        "SELECT m.buyer_id FROM {rows} r JOIN matching_sampleshipment s ON s.id = r.shipment_id "
        "JOIN matching_match m ON m.id = s.match_id",
        True,
    ),
    "matching_outcome": (
        ("kind", "match_id"),
        "SELECT m.buyer_id FROM {rows} r JOIN matching_match m ON m.id = r.match_id",
        True,
    ),
    "matching_product": (
        ("hs_code", "company_id"),
        "SELECT m.buyer_id FROM {rows} r JOIN matching_match m ON m.company_id = r.company_id",
        True,
    ),
}


def signal_statements(buyers: str) -> list[str]:
    """Rewrite the signal rows of the buyers that `buyers` (an SQL condition on a buyer id column,
    written with {col}) selects."""
    where = buyers.format(col="b.id")
    return [
        f"""
        INSERT INTO matching_buyersignal (buyer_id, open_matches, consultations, last_consulted_at, center_id,
            center_active, country, business_type, status, status_changed_at)
        SELECT b.id,
            (SELECT count(*) FROM matching_match m WHERE m.buyer_id = b.id AND m.stage IN ({OPEN_STAGES})),
            (SELECT count(*) FROM matching_consultation c JOIN matching_match m ON m.id = c.match_id
              WHERE m.buyer_id = b.id AND c.status <> {CANCELLED}),
            (SELECT max(c.starts_at) FROM matching_consultation c JOIN matching_match m ON m.id = c.match_id
              WHERE m.buyer_id = b.id AND c.status <> {CANCELLED}),
            b.center_id, ce.is_active, b.country, b.business_type, b.status, b.status_changed_at
        FROM centers_buyer b JOIN centers_center ce ON ce.id = b.center_id WHERE {where}
        ON CONFLICT (buyer_id) DO UPDATE SET
            open_matches = excluded.open_matches, consultations = excluded.consultations,
            last_consulted_at = excluded.last_consulted_at,
            center_id = excluded.center_id, center_active = excluded.center_active,
            country = excluded.country, business_type = excluded.business_type,
            status = excluded.status, status_changed_at = excluded.status_changed_at
        """
    ]


def history_statements(buyers: str) -> list[str]:
    """Rewrite the BuyerHeadingHistory rows of the buyers `buyers` selects."""

    def where(col: str) -> str:
        return buyers.format(col=col)

    clear = f"DELETE FROM matching_buyerheadinghistory WHERE {where('buyer_id')}"
    # One row of evidence per (buyer, heading, sample | outcome | lost match), then summed.
    history = f"""
        INSERT INTO matching_buyerheadinghistory (buyer_id, hs4, rated, rating_sum, deals, mous, lost)
        SELECT buyer_id, hs4, sum(rated), sum(rating_sum), sum(deals), sum(mous), sum(lost) FROM (
            SELECT DISTINCT m.buyer_id, p.hs4, s.id AS ref, 1 AS rated, s.feedback_rating AS rating_sum,
                0 AS deals, 0 AS mous, 0 AS lost
            FROM matching_sampleshipment s
            JOIN matching_match m ON m.id = s.match_id
            JOIN matching_shipmentitem i ON i.shipment_id = s.id
            JOIN matching_product p ON p.id = i.product_id
            WHERE s.feedback_rating IS NOT NULL AND {where("m.buyer_id")}
            UNION ALL
            SELECT DISTINCT m.buyer_id, p.hs4, o.id, 0, 0,
                CASE WHEN o.kind IN ({DEAL_KINDS}) THEN 1 ELSE 0 END,
                CASE WHEN o.kind = {MOU} THEN 1 ELSE 0 END, 0
            FROM matching_outcome o
            JOIN matching_match m ON m.id = o.match_id
            JOIN matching_product p ON p.company_id = m.company_id
            WHERE {where("m.buyer_id")}
            UNION ALL
            SELECT DISTINCT m.buyer_id, p.hs4, m.id, 0, 0, 0, 0, 1
            FROM matching_match m JOIN matching_product p ON p.company_id = m.company_id
            WHERE m.stage = {LOST} AND {where("m.buyer_id")}
        ) evidence
        GROUP BY buyer_id, hs4
    """
    return [clear, history]


def refresh_statements(buyers: str, *, history: bool = True) -> list[str]:
    return signal_statements(buyers) + (history_statements(buyers) if history else [])


# --- PostgreSQL ---------------------------------------------------------------------------------------
def _postgresql_install() -> list[str]:
    statements = []
    for name, history in (("matching_signal_refresh", False), ("matching_recommendation_refresh", True)):
        # IN (SELECT unnest(ids)), not = ANY(ids): the planner hashes the set, instead of comparing
        # each row with every element of a 5,000-element array.
        body = ";\n".join(refresh_statements("{col} IN (SELECT unnest(ids))", history=history))
        statements.append(
            f"""
            CREATE OR REPLACE FUNCTION {name}(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
                -- One transaction at a time per buyer; the next statements then see what it committed.
                PERFORM 1 FROM centers_buyer WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
                {body};
            END $$
            """
        )
    for table, (columns, buyers_of, history) in WATCHED.items():
        refresh = "matching_recommendation_refresh" if history else "matching_signal_refresh"
        new, old = buyers_of.format(rows="new_rows"), buyers_of.format(rows="old_rows")
        changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in columns)
        moved = f"SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed}"
        statements.append(
            f"""
            CREATE OR REPLACE FUNCTION {table}_upkeep() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    PERFORM {refresh}(ARRAY(SELECT DISTINCT x.buyer_id FROM ({new}) x));
                ELSIF TG_OP = 'DELETE' THEN
                    PERFORM {refresh}(ARRAY(SELECT DISTINCT x.buyer_id FROM ({old}) x));
                ELSE
                    PERFORM {refresh}(ARRAY(
                        SELECT x.buyer_id FROM ({new} WHERE r.id IN ({moved})) x
                        UNION SELECT x.buyer_id FROM ({old} WHERE r.id IN ({moved})) x
                    ));
                END IF;
                RETURN NULL;
            END $$
            """
        )
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            if table == "centers_buyer" and event == "DELETE":
                continue  # its signal row goes with it (on delete cascade)
            name = f"{table}_upkeep_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_upkeep()",
            ]
    return statements


def _postgresql_uninstall() -> list[str]:
    statements = []
    for table in WATCHED:
        for event in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER IF EXISTS {table}_upkeep_{event} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS {table}_upkeep()")
    statements.append("DROP FUNCTION IF EXISTS matching_recommendation_refresh(bigint[])")
    statements.append("DROP FUNCTION IF EXISTS matching_signal_refresh(bigint[])")
    return statements


# --- SQLite -------------------------------------------------------------------------------------------
def _sqlite_install() -> list[str]:
    statements = []
    for table, (columns, buyers_of, history) in WATCHED.items():
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",))):
            if table == "centers_buyer" and event == "DELETE":
                continue
            # The row as a one-row table the buyer query can join.
            sources = " UNION ".join(
                buyers_of.format(
                    rows=f"(SELECT {row}.id AS id, {', '.join(f'{row}.{c} AS {c}' for c in columns)})"
                )
                for row in rows
            )
            body = ";\n".join(refresh_statements(f"{{col}} IN ({sources})", history=history))
            when = ""
            if event == "UPDATE":
                when = "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
            name = f"{table}_upkeep_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} BEGIN {body}; END",
            ]
    return statements


def _sqlite_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_upkeep_{event}"
        for table in WATCHED
        for event in ("insert", "update", "delete")
    ]


def install(connection) -> None:
    execute_all(connection, _postgresql_install() if connection.vendor == "postgresql" else _sqlite_install())


def uninstall(connection) -> None:
    execute_all(
        connection, _postgresql_uninstall() if connection.vendor == "postgresql" else _sqlite_uninstall()
    )


def refresh_all(connection) -> None:
    """Rebuild both tables for every buyer."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM matching_buyersignal")
        for statement in refresh_statements("{col} IN (SELECT id FROM centers_buyer)"):
            cursor.execute(statement)
