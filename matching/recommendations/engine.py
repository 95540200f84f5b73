"""Recommendations both ways: for a company, the buyers it is not matched with; for a buyer, the
companies. Ranked by the score of weights.py, computed in the database, each with its reasons.

How it stays fast at national scale (50,000 buyers, thousands sharing a company's HS chapters):
the candidates come in slices, an HS tier (a common 6-digit code, else a common heading, else a
common chapter) in a target market or not, each reached from an index of HS rows, so the database
never walks every buyer, and within a slice the HS and market points are constants. The best slice
is ranked in full; a further one only when its best possible score can still reach the results,
and then only its candidates whose own columns could get them there (`rank`). Counts from other
tables (open matches, last consultation, track record) come from helper tables the database keeps
(upkeep.py). Nothing loads the candidates into Python; the number of queries is bounded whatever
the data: 7 to 12.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from centers.models import Buyer, BuyerInterest
from matching.models import (
    Company,
    CompanyTargetCountry,
    MatchProposal,
    Product,
)
from matching.recommendations import reasons as why
from matching.recommendations import scoring as s
from matching.recommendations import weights as w
from matching.recommendations.scoring import HISTORY_MOST, Sql

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass
class Recommendation:
    """One recommended pair. `parts` holds the points of each part of the score (weights.py)."""

    company: Company
    buyer: Buyer
    score: int
    parts: dict[str, float]
    reasons: list[why.Reason] = field(default_factory=list)
    proposal: MatchProposal | None = None  # a center manager's pending proposal of this pair


def may_see_recommendations(user) -> bool:
    """Staff see every recommendation; a center manager those that involve the center's buyers.

    Company users see none: a recommendation shows buyers the company is not matched with, with
    their pipeline and their history with other companies, which a company user may see of a buyer
    only through a match."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    role = getattr(user, "role", None)
    return role == "staff" or (role == "center" and user.center_id is not None)


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _more_possible(headings: list[str]) -> int:
    return min(max(len(headings) - 1, 0), w.HS_MORE_HEADINGS_MAX) * w.HS_MORE_HEADINGS


# --- Ranking ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """The side being ranked, as the ranking SQL sees it (the candidate table is aliased `c`)."""

    hs_table: str  # its HS rows: centers_buyerinterest or matching_product
    key: str  # their candidate column: buyer_id or company_id
    table: str  # the table the candidates' columns come from
    table_key: str  # its column of the candidate's id
    columns: str  # the columns of `c` the score reads, the candidate's id as `id`
    exclude: Callable[[Sql], str]  # on `key`: the candidates already matched or dismissed
    scope: Callable[[Sql], str]  # on `c`: who may be one (an active center, the manager's), "" if all
    gate: Callable[[Sql], str]  # CTE body: the candidates with a track record in the subject's headings
    own: Callable[[Sql], str]  # the parts from the candidate's own columns (fit, pipeline)
    own_best: float  # the most `own` can be
    constant: float  # the parts that depend on the subject alone
    moving: Callable[[Sql], str]  # activity and load: at most ACTIVE
    in_market: Callable[[Sql], str] | None  # the candidate is in a target market (None: no targets)
    history: Callable[[Sql], str]  # the history points of a candidate with a track record


@dataclass(frozen=True)
class Tier:
    name: str
    where: str  # on the HS rows: "hs_code" (a common code), "hs4" (heading) or "hs2" (chapter)
    better: str | None  # the condition of the tier before, whose candidates were ranked there
    hs: int
    more: bool  # further shared headings can add points


TIERS = [
    Tier("exact", "hs_code", None, w.HS_EXACT, True),
    Tier("heading", "hs4", "hs_code", w.HS_HEADING, True),
    Tier("chapter", "hs2", "hs4", w.HS_CHAPTER, False),
]


class _Ranking:
    """The SQL of one ranking: the tier sets, the track-record gate, and one query per slice."""

    def __init__(self, side: Side, subject: dict, q: Sql, *, limit: int):
        self.side, self.subject, self.q, self.limit = side, subject, q, limit

    def slices(self) -> list[tuple[float, Tier, bool | None]]:
        """(cap, tier, in a target market) from the highest cap down."""
        side, slices = self.side, []
        for tier in TIERS:
            more_most = _more_possible(self.subject["hs4"]) if tier.more else 0
            top = tier.hs + more_most + side.own_best + side.constant + w.ACTIVE + HISTORY_MOST
            if side.in_market is None:
                slices.append((top, tier, None))
            else:
                slices += [(top + w.MARKET_TARGET, tier, True), (top, tier, False)]
        return sorted(slices, key=lambda item: -item[0])

    def sets(self, tiers) -> list[str]:
        """CTEs: the gate, and each tier's candidates (not matched, not dismissed)."""
        side, q, key, hs_table = self.side, self.q, self.side.key, self.side.hs_table
        ctes = [f"gate AS MATERIALIZED ({side.gate(q)})"]
        for tier in tiers:
            codes = q.values(self.subject[tier.where])
            rows = f"SELECT DISTINCT {key} FROM {hs_table} WHERE {tier.where} IN {codes}"
            if tier.better:  # its candidates were ranked in the tier before
                rows += f" AND {key} NOT IN (SELECT {key} FROM {hs_table} WHERE {tier.better} IN "
                rows += f"{q.values(self.subject[tier.better])})"
            ctes.append(f"{tier.name} AS MATERIALIZED ({rows} AND {side.exclude(q)})")
            # The tier's candidates with what the score reads, computed once for all its slices:
            # their columns; whether they have a track record (`tracked`), how many of the
            # subject's headings they share (`shared`), their fit and pipeline points (`own`),
            # whether they are in a target market. Only if a slice of the tier is ranked: a CTE is
            # computed when first read.
            ctes.append(f"{tier.name}_c AS MATERIALIZED ({self.tier_candidates(tier)})")
        return ctes

    def tier_candidates(self, tier: Tier) -> str:
        side, q, key = self.side, self.q, self.side.key
        own_id = f"c.{side.table_key}"
        shared = "0"
        if tier.more and len(self.subject["hs4"]) >= 2:
            members = [
                f"SELECT {key} FROM {side.hs_table} WHERE hs4 = {q.param(h)}" for h in self.subject["hs4"]
            ]
            shared = " + ".join(f"CASE WHEN {own_id} IN ({m}) THEN 1 ELSE 0 END" for m in members)
        own = side.own(q)
        in_market = f"CASE WHEN {side.in_market(q)} THEN 1 ELSE 0 END" if side.in_market else "0"
        where = side.scope(q) or "1 = 1"
        tracked = f"CASE WHEN {own_id} IN (SELECT id FROM gate) THEN 1 ELSE 0 END"
        return (
            f"SELECT {side.columns}, {tracked} AS tracked, {shared} AS shared, {own} AS own, "
            f"{in_market} AS in_market "
            f"FROM {tier.name} t JOIN {side.table} c ON {own_id} = t.{key} WHERE {where}"
        )

    def slice(self, best: float, tier: Tier, market: bool | None, floor: str | None) -> str:
        """The slice's best candidates: SELECT id, score, best first. `floor` is SQL for the
        `limit`-th score so far (NULL while there are fewer), or None before the first slice."""
        side, q, subject = self.side, self.q, self.subject
        market_points = w.MARKET_TARGET if market else 0
        more = "0"
        if tier.more and len(subject["hs4"]) >= 2:
            more = (
                f"{q.least}({q.greatest}(c.shared - 1, 0), {w.HS_MORE_HEADINGS_MAX}) * {w.HS_MORE_HEADINGS}"
            )
        # Each fragment adds its parameters as it is built: in the order the text shows them.
        moving = side.moving(q)
        history = f"CASE WHEN c.tracked = 1 THEN COALESCE({side.history(q)}, 0) ELSE 0 END"
        parts = f"{tier.hs} + {more} + {market_points} + c.own + {side.constant} + {moving} + {history}"
        score = f"CAST({parts} AS {q.real})"
        conditions = []
        if market is not None:
            conditions.append(f"c.in_market = {1 if market else 0}")
        if floor:
            # A slice whose cap is under the floor is skipped whole: a condition on no row, which
            # PostgreSQL tests once before it reads anything (so a tier nobody needs is never
            # joined). One that only a track record can lift there keeps the candidates with one;
            # and of the others, only those whose bound from their own columns reaches the floor
            # are scored.
            fixed = tier.hs + (_more_possible(subject["hs4"]) if tier.more else 0) + side.constant + w.ACTIVE
            bound = f"{fixed + market_points} + c.own + c.tracked * {HISTORY_MOST}"
            conditions += [
                f"({floor} IS NULL OR {floor} <= {best})",
                f"({floor} IS NULL OR {floor} <= {best - HISTORY_MOST} OR c.tracked = 1)",
                f"({floor} IS NULL OR {bound} >= {floor})",
            ]
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        return (
            f"SELECT c.id, {score} AS score FROM {tier.name}_c c{where} "
            f"ORDER BY score DESC, c.id LIMIT {self.limit}"
        )


def _merge(rows, found, limit: int) -> list[tuple[int, float]]:
    merged = [*rows, *((row[0], float(row[1])) for row in found)]
    return sorted(merged, key=lambda row: (-row[1], row[0]))[:limit]


def rank(side: Side, subject: dict, *, limit: int) -> list[tuple[int, float]]:
    """The first `limit` candidates by score, (id, score) best first, without scoring those that
    cannot get there.

    The candidates fall in slices: an HS tier (a common code, heading or chapter), in a target
    market or not; each caps the score its candidates can reach. The slices are ranked from the
    highest cap down, each merged with those before it. Once there are `limit` results, a slice is
    ranked only if its cap reaches the `limit`-th score so far (the floor); then only its
    candidates whose bound from their own columns reaches the floor are scored, and, when only a
    track record could lift them that far, only those with one. Exact, not a heuristic; ties go to
    the lower id.

    PostgreSQL runs it as one statement, the floor carried from slice to slice in CTEs it computes
    once. SQLite (the laptop) computes a CTE again wherever it is named, so there the slices run one
    by one and Python carries the floor."""
    if connection.vendor == "postgresql":
        return _rank_in_one_statement(side, subject, limit=limit)
    rows: list[tuple[int, float]] = []
    for best, tier, market in _Ranking(side, subject, Sql(connection.vendor), limit=limit).slices():
        floor = rows[-1][1] if len(rows) == limit else None
        if floor is not None and best < floor:
            break  # the later slices reach even less
        q = Sql(connection.vendor)
        ranking = _Ranking(side, subject, q, limit=limit)
        sets = ranking.sets([tier])
        # The floor is a number of ours, written into the text: it appears there several times.
        body = ranking.slice(best, tier, market, repr(float(floor)) if floor is not None else None)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(sets)} {body}", q.params)
            rows = _merge(rows, cursor.fetchall(), limit)
    return rows


def _rank_in_one_statement(side: Side, subject: dict, *, limit: int) -> list[tuple[int, float]]:
    q = Sql(connection.vendor)
    ranking = _Ranking(side, subject, q, limit=limit)
    ctes = ranking.sets(TIERS)
    for n, (best, tier, market) in enumerate(ranking.slices()):
        floor = f"(SELECT f FROM floor{n})" if n else None
        ctes.append(f"slice{n} AS MATERIALIZED ({ranking.slice(best, tier, market, floor)})")
        merged = f"SELECT id, score FROM slice{n}" + (
            f" UNION ALL SELECT id, score FROM best{n - 1}" if n else ""
        )
        ctes.append(
            f"best{n} AS MATERIALIZED "
            f"(SELECT id, score FROM ({merged}) merged ORDER BY score DESC, id LIMIT {limit})"
        )
        ctes.append(
            f"floor{n + 1} AS MATERIALIZED "
            f"(SELECT CASE WHEN COUNT(*) >= {limit} THEN MIN(score) END AS f FROM best{n})"
        )
    last = len(ranking.slices()) - 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(ctes)} SELECT id, score FROM best{last} ORDER BY score DESC, id", q.params
        )
        return _merge([], cursor.fetchall(), limit)


# --- Buyers for a company --------------------------------------------------------------------------------
def recommended_buyers(*, company: Company, user, limit: int = DEFAULT_LIMIT, at: datetime | None = None):
    """Buyers for `company`, best first: those sharing at least an HS chapter with its products, not
    matched with it, not dismissed for it, of an active center (for a center manager: the center's).

    Queries: the company's products and target countries, 1 to 6 for the ranking (one per slice it
    needs), then the results with their interests, history and pending proposals: 7 to 12."""
    if not may_see_recommendations(user):
        return []
    at = at or timezone.now()
    limit = _limit(limit)
    products = list(Product.objects.filter(company=company).order_by("hs_code", "pk"))
    if not products:
        return []
    targets = sorted(
        set(CompanyTargetCountry.objects.filter(company=company).values_list("country", flat=True))
    )
    subject = {
        "hs_code": sorted({p.hs_code for p in products}),
        "hs4": sorted({p.hs4 for p in products}),
        "hs2": sorted({p.hs2 for p in products}),
    }
    fit = w.FIT.get(company.industry, {})
    adapt = connection.ops.adapt_datetimefield_value

    def exclude(q: Sql) -> str:
        return (
            f"buyer_id NOT IN (SELECT buyer_id FROM matching_match WHERE company_id = {q.param(company.pk)})"
            " AND buyer_id NOT IN (SELECT buyer_id FROM matching_recommendationdismissal"
            f" WHERE company_id = {q.param(company.pk)})"
        )

    def scope(q: Sql) -> str:
        # Buyers of an active center; for a center manager, of the manager's center.
        if user.role == "center":
            return f"c.center_active AND c.center_id = {q.param(user.center_id)}"
        return "c.center_active"

    def own(q: Sql) -> str:
        # Each fragment adds its parameters: build them in the order the text shows them.
        fit_points = s.table_sql(q, "c.business_type", fit)
        return f"{fit_points} + {s.table_sql(q, 'c.status', w.PIPELINE)}"

    def moving(q: Sql) -> str:
        activity = s.activity_sql(
            q,
            last_consulted_at="c.last_consulted_at",
            status_changed_at="c.status_changed_at",
            at=at,
            adapt=adapt,
        )
        return f"{activity} + {s.load_sql(q, 'c.open_matches')}"

    side = Side(
        hs_table="centers_buyerinterest",
        key="buyer_id",
        # The buyers' columns the score reads, from the narrow row the database keeps for each.
        table="matching_buyersignal",
        table_key="buyer_id",
        columns=(
            "c.buyer_id AS id, c.country, c.business_type, c.status, c.status_changed_at, "
            "c.open_matches, c.last_consulted_at"
        ),
        exclude=exclude,
        scope=scope,
        gate=lambda q: (
            "SELECT DISTINCT buyer_id AS id FROM matching_buyerheadinghistory "
            f"WHERE hs4 IN {q.values(subject['hs4'])}"
        ),
        own=own,
        own_best=max(fit.values(), default=0) + max(w.PIPELINE.values()),
        constant=0,
        moving=moving,
        in_market=(lambda q: f"c.country IN {q.values(targets)}") if targets else None,
        history=lambda q: s.history_points_sql(
            q,
            "FROM matching_buyerheadinghistory h "
            f"WHERE h.buyer_id = c.id AND h.hs4 IN {q.values(subject['hs4'])}",
        ),
    )
    ranked = rank(side, subject, limit=limit)
    if not ranked:
        return []

    ids = [buyer_id for buyer_id, _score in ranked]
    buyers = Buyer.objects.select_related("center", "engine_signal").in_bulk(ids)
    interests: dict[int, list[str]] = {}
    for buyer_id, code in BuyerInterest.objects.filter(buyer_id__in=ids, hs2__in=subject["hs2"]).values_list(
        "buyer_id", "hs_code"
    ):
        interests.setdefault(buyer_id, []).append(code)
    history = why.History.of_buyers(ids, headings=subject["hs4"])
    proposals = _pending_proposals(Q(company=company, buyer_id__in=ids))

    results = []
    for buyer_id, score in ranked:
        buyer = buyers[buyer_id]
        record, signal = history.get(buyer_id, subject["hs4"]), _signal(buyer)
        hs, more = s.hs_value(subject["hs_code"], interests.get(buyer_id, []))
        recommendation = Recommendation(
            company=company,
            buyer=buyer,
            score=round(score),
            parts={
                "hs": hs,
                "more": more,
                "market": w.MARKET_TARGET if buyer.country in targets else 0,
                "fit": fit.get(buyer.business_type, 0),
                "pipeline": w.PIPELINE.get(buyer.status, 0),
                "activity": s.activity_value(
                    last_consulted_at=signal.last_consulted_at,
                    status_changed_at=buyer.status_changed_at,
                    at=at,
                ),
                "load": s.load_value(signal.open_matches),
                **record.parts(),
            },
            proposal=proposals.get((company.pk, buyer_id)),
        )
        recommendation.reasons = why.reasons(
            recommendation,
            products=products,
            interests=sorted(interests.get(buyer_id, [])),
            history=record,
            open_matches=signal.open_matches,
            last_activity=_last_activity(buyer, signal),
        )
        results.append(recommendation)
    return results


# --- Companies for a buyer -------------------------------------------------------------------------------
def recommended_companies(*, buyer: Buyer, user, limit: int = DEFAULT_LIMIT, at: datetime | None = None):
    """Companies for `buyer`, best first: those sharing at least an HS chapter with its interests,
    not matched with it, not dismissed for it. A center manager gets them for the center's buyers.

    Queries: the buyer with its signal and its interests, 1 to 6 for the ranking (one per slice it
    needs), then the results with their products and target markets, the buyer's history and
    pending proposals: 8 to 13."""
    if not may_see_recommendations(user):
        return []
    if user.role == "center" and buyer.center_id != user.center_id:
        return []
    at = at or timezone.now()
    limit = _limit(limit)
    this = Buyer.objects.select_related("center", "engine_signal").get(pk=buyer.pk)
    if not this.center.is_active:
        return []
    interests = sorted(set(BuyerInterest.objects.filter(buyer=this).values_list("hs_code", flat=True)))
    if not interests:
        return []
    subject = {
        "hs_code": interests,
        "hs4": sorted({code[:4] for code in interests}),
        "hs2": sorted({code[:2] for code in interests}),
    }
    signal = _signal(this)
    # What depends on the buyer alone is a number, the same for every candidate.
    fit = {industry: table.get(this.business_type, 0) for industry, table in w.FIT.items()}
    constant = {
        "pipeline": w.PIPELINE.get(this.status, 0),
        "activity": s.activity_value(
            last_consulted_at=signal.last_consulted_at, status_changed_at=this.status_changed_at, at=at
        ),
        "load": s.load_value(signal.open_matches),
    }

    def exclude(q: Sql) -> str:
        return (
            f"company_id NOT IN (SELECT company_id FROM matching_match WHERE buyer_id = {q.param(this.pk)})"
            " AND company_id NOT IN (SELECT company_id FROM matching_recommendationdismissal"
            f" WHERE buyer_id = {q.param(this.pk)})"
        )

    side = Side(
        hs_table="matching_product",
        key="company_id",
        table="matching_company",
        table_key="id",
        columns="c.id, c.industry",
        exclude=exclude,
        scope=lambda q: "",
        # The companies selling in a heading where this buyer has a track record.
        gate=lambda q: (
            "SELECT DISTINCT company_id AS id FROM matching_product WHERE hs4 IN "
            f"(SELECT hs4 FROM matching_buyerheadinghistory WHERE buyer_id = {q.param(this.pk)})"
        ),
        own=lambda q: s.table_sql(q, "c.industry", fit),
        own_best=max(fit.values(), default=0),
        # Pipeline, activity and load are the buyer's: the same for every company.
        constant=constant["pipeline"] + constant["load"],
        moving=lambda q: str(constant["activity"]),
        in_market=lambda q: (
            "c.id IN (SELECT company_id FROM matching_companytargetcountry "
            f"WHERE country = {q.param(this.country)})"
        ),
        # The buyer's rows in the candidate's headings.
        history=lambda q: s.history_points_sql(
            q,
            f"FROM matching_buyerheadinghistory h WHERE h.buyer_id = {q.param(this.pk)} "
            "AND h.hs4 IN (SELECT p.hs4 FROM matching_product p WHERE p.company_id = c.id)",
        ),
    )
    ranked = rank(side, subject, limit=limit)
    if not ranked:
        return []

    ids = [company_id for company_id, _score in ranked]
    companies = Company.objects.in_bulk(ids)
    products: dict[int, list[Product]] = {}
    for product in Product.objects.filter(company_id__in=ids).order_by("hs_code", "pk"):
        products.setdefault(product.company_id, []).append(product)
    targeting = set(
        CompanyTargetCountry.objects.filter(company_id__in=ids, country=this.country).values_list(
            "company_id", flat=True
        )
    )
    history = why.History.of_buyers([this.pk], headings=None)
    proposals = _pending_proposals(Q(buyer=this, company_id__in=ids))

    results = []
    for company_id, score in ranked:
        company = companies[company_id]
        company_products = products.get(company_id, [])
        record = history.get(this.pk, sorted({p.hs4 for p in company_products}))
        hs, more = s.hs_value(interests, [p.hs_code for p in company_products])
        recommendation = Recommendation(
            company=company,
            buyer=this,
            score=round(score),
            parts={
                "hs": hs,
                "more": more,
                "market": w.MARKET_TARGET if company_id in targeting else 0,
                "fit": fit.get(company.industry, 0),
                **constant,
                **record.parts(),
            },
            proposal=proposals.get((company_id, this.pk)),
        )
        recommendation.reasons = why.reasons(
            recommendation,
            products=[p for p in company_products if p.hs2 in subject["hs2"]] or company_products,
            interests=interests,
            history=record,
            open_matches=signal.open_matches,
            last_activity=_last_activity(this, signal),
        )
        results.append(recommendation)
    return results


# --- Helpers -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _NoSignal:
    open_matches: int = 0
    last_consulted_at: datetime | None = None


def _signal(buyer: Buyer):
    try:
        return buyer.engine_signal
    except Buyer.engine_signal.RelatedObjectDoesNotExist:
        return _NoSignal()  # never matched: nothing to count


def _last_activity(buyer: Buyer, signal) -> datetime:
    consulted = signal.last_consulted_at
    return max(consulted, buyer.status_changed_at) if consulted else buyer.status_changed_at


def _pending_proposals(condition: Q) -> dict[tuple[int, int], MatchProposal]:
    pending = MatchProposal.objects.pending().filter(condition).select_related("proposed_by", "buyer__center")
    return {(p.company_id, p.buyer_id): p for p in pending}
