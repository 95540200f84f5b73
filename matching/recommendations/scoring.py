"""The score, twice: as SQL for the ranking (the database scores thousands of candidates), and in
Python for the parts each reason shows (the few results). Both follow weights.py; a test checks
that they agree (tests/matching/test_recommendations.py).

Each SQL fragment appends its parameters to the `Sql` it is given as it is built: build fragments in
the order the statement's text shows them.

Why hand-written SQL for the ranking: the candidates of a tier are reached from an index of HS rows,
and Django took longer to build and compile the equivalent expression tree (~7 ms a query) than
PostgreSQL takes to run it. The fragments below are plain, parameterised SQL that PostgreSQL and
SQLite both run; `Sql` collects the parameters in the order the text uses them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matching.recommendations import weights as w


@dataclass
class Sql:
    """SQL text built piece by piece, with its parameters in order."""

    vendor: str
    text: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, text: str, *params) -> "Sql":
        self.text.append(text)
        self.params.extend(params)
        return self

    def values(self, items) -> str:
        """'(%s, %s, …)' for a non-empty list, its items appended to the parameters."""
        items = list(items)
        assert items, "an empty IN list is not SQL"
        self.params.extend(items)
        return "(" + ", ".join(["%s"] * len(items)) + ")"

    def param(self, value) -> str:
        self.params.append(value)
        return "%s"

    @property
    def greatest(self) -> str:
        return "GREATEST" if self.vendor == "postgresql" else "MAX"

    @property
    def least(self) -> str:
        return "LEAST" if self.vendor == "postgresql" else "MIN"

    @property
    def real(self) -> str:
        return "DOUBLE PRECISION" if self.vendor == "postgresql" else "REAL"

    def sql(self) -> str:
        return "\n".join(self.text)


# --- HS overlap ---------------------------------------------------------------------------------------------
def hs_value(codes_a, codes_b) -> tuple[int, int]:
    """(hs, more) in Python for the two sides' 6-digit codes."""
    a, b = set(codes_a), set(codes_b)
    headings = {c[:4] for c in a} & {c[:4] for c in b}
    if a & b:
        hs = w.HS_EXACT
    elif headings:
        hs = w.HS_HEADING
    else:
        hs = w.HS_CHAPTER
    return hs, min(max(len(headings) - 1, 0), w.HS_MORE_HEADINGS_MAX) * w.HS_MORE_HEADINGS


# --- Tables: fit, pipeline ----------------------------------------------------------------------------------
def table_sql(q: Sql, column: str, table: dict[str, int]) -> str:
    """A table's points for the candidate's value of `column`: one WHEN per amount, not per value."""
    by_points: dict[int, list[str]] = {}
    for key, points in table.items():
        if points:
            by_points.setdefault(points, []).append(str(key))
    if not by_points:
        return "0"
    whens = " ".join(
        f"WHEN {column} IN {q.values(keys)} THEN {points}" for points, keys in sorted(by_points.items())
    )
    return f"(CASE {whens} ELSE 0 END)"


# --- Activity and load --------------------------------------------------------------------------------------
def _cutoffs(at: datetime) -> tuple[datetime, datetime]:
    return at - timedelta(days=w.ACTIVE_DAYS), at - timedelta(days=w.STALE_DAYS)


def activity_sql(q: Sql, *, last_consulted_at: str, status_changed_at: str, at: datetime, adapt) -> str:
    """ACTIVE if the status moved or a consultation took place lately, STALE if neither for long:
    the better of what the last consultation and the status date say."""
    recent, stale = (adapt(moment) for moment in _cutoffs(at))

    def by_date(column: str) -> str:
        return (
            f"CASE WHEN {column} >= {q.param(recent)} THEN {w.ACTIVE} "
            f"WHEN {column} >= {q.param(stale)} THEN 0 ELSE {w.STALE} END"
        )

    return f"{q.greatest}({by_date(last_consulted_at)}, {by_date(status_changed_at)})"


def activity_value(*, last_consulted_at: datetime | None, status_changed_at: datetime, at: datetime) -> int:
    recent, stale = _cutoffs(at)

    def by_date(moment):
        if moment is None or moment < stale:
            return w.STALE
        return w.ACTIVE if moment >= recent else 0

    return max(by_date(last_consulted_at), by_date(status_changed_at))


def load_sql(q: Sql, open_matches: str) -> str:
    beyond = f"{q.greatest}(COALESCE({open_matches}, 0) - {w.OPEN_MATCHES_FREE}, 0)"
    return f"({q.least}({beyond}, {w.OPEN_MATCHES_MAX}) * {w.OPEN_MATCH})"


def load_value(open_matches: int | None) -> int:
    return min(max((open_matches or 0) - w.OPEN_MATCHES_FREE, 0), w.OPEN_MATCHES_MAX) * w.OPEN_MATCH


# --- History ------------------------------------------------------------------------------------------------
def history_points_sql(q: Sql, rows: str) -> str:
    """feedback + deals + lost over BuyerHeadingHistory `rows` (a FROM … WHERE … clause), summed
    over the headings they cover. Aggregates without GROUP BY: always one row."""
    feedback = (
        f"CASE WHEN SUM(rated) > 0 THEN "
        f"(CAST(SUM(rating_sum) AS {q.real}) / SUM(rated) - {w.FEEDBACK_NEUTRAL}) * {w.FEEDBACK_PER_STAR} "
        "ELSE 0 END"
    )
    deals = f"CASE WHEN SUM(deals) > 0 THEN {w.DEAL} WHEN SUM(mous) > 0 THEN {w.MOU} ELSE 0 END"
    lost = f"{q.least}(COALESCE(SUM(lost), 0), {w.LOST_MAX}) * {w.LOST}"
    return f"(SELECT {feedback} + {deals} + {lost} {rows})"


def history_parts(*, rated: int, rating_sum: int, deals: int, mous: int, lost: int) -> dict[str, float]:
    """The same formula as history_points_sql, per part, for the reasons."""
    feedback = (rating_sum / rated - w.FEEDBACK_NEUTRAL) * w.FEEDBACK_PER_STAR if rated else 0.0
    return {
        "feedback": feedback,
        "deals": w.DEAL if deals else (w.MOU if mous else 0),
        "lost": min(lost, w.LOST_MAX) * w.LOST,
    }


HISTORY_MOST = w.FEEDBACK_PER_STAR * (5 - w.FEEDBACK_NEUTRAL) + w.DEAL
