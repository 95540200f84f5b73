"""Recommendations both ways: for a company, the buyers it is not matched with; for a buyer, the
companies. Ranked by the score of weights.py, computed in the database, each with its reasons.

A fixed number of queries, whatever the number of buyers and companies (see `recommended_buyers`).
Nothing loads the candidates into Python: the database ranks them and returns the first `limit`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Value
from django.utils import timezone

from centers.models import Buyer, BuyerInterest
from matching.models import (
    Company,
    CompanyTargetCountry,
    Match,
    MatchProposal,
    Product,
    RecommendationDismissal,
)
from matching.recommendations import reasons as why
from matching.recommendations import scoring as s
from matching.recommendations import weights as w

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# How many candidates the first pass scores in full to find a floor for the second (engine.rank).
PROBE_FACTOR = 3
PROBE_MIN = 30


@dataclass
class Recommendation:
    """One recommended pair. `parts` holds the points of each part of the score (weights.py)."""

    company: Company
    buyer: Buyer
    score: int
    parts: dict[str, int]
    reasons: list[why.Reason] = field(default_factory=list)
    proposal: MatchProposal | None = None  # a center manager's pending proposal of this pair


def may_see_recommendations(user) -> bool:
    """Staff see every recommendation; a center manager those that involve the center's buyers.

    Company users see none: a recommendation shows buyers the company is not matched with (and their
    pipeline and history with other companies), which a company user may see only through a match."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    role = getattr(user, "role", None)
    return role == "staff" or (role == "center" and user.center_id is not None)


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def rank(candidates: QuerySet, *, limit: int) -> list:
    """The first `limit` candidates by score, scoring in full only those that can still get there.

    Exact, not a heuristic. The cheap parts of the score (see scoring.py) are computed for every
    candidate; the parts that look into other tables can add at most MOST_A_LOOK_ADDS. A first pass
    scores in full the best candidates by cheap parts; the `limit`-th best full score among them is
    a floor for the final `limit`-th score, so a candidate whose cheap parts are more than
    MOST_A_LOOK_ADDS below that floor cannot make it, and the second pass leaves it out before
    computing its other parts."""
    probe_size = max(limit * PROBE_FACTOR, PROBE_MIN)
    probe = list(candidates.order_by("-cheap", "pk").values_list("score", flat=True)[:probe_size])
    if len(probe) >= limit:
        floor = sorted(probe, reverse=True)[limit - 1]
        candidates = candidates.filter(cheap__gte=floor - w.MOST_A_LOOK_ADDS)
    return list(candidates.order_by("-score", "pk")[:limit])


def _parts(row) -> dict[str, int]:
    return {part: round(getattr(row, part)) for part in s.PARTS}


def recommended_buyers(*, company: Company, user, limit: int = DEFAULT_LIMIT, at: datetime | None = None):
    """Buyers for `company`, best first: those it shares at least an HS chapter with, not matched
    with it, not dismissed for it, of an active center (a center manager: of the manager's center).

    Queries: the company's products, its target countries, the two passes of `rank`, and for the
    results their interests, ratings, history and pending proposals: 8, whatever the data."""
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
    codes = sorted({p.hs_code for p in products})
    headings = sorted({code[:4] for code in codes})
    chapters = sorted({code[:2] for code in codes})

    candidates = (
        Buyer.objects.filter(interests__hs2__in=chapters, center__is_active=True)
        .exclude(pk__in=Match.objects.filter(company=company).values("buyer_id"))
        .exclude(pk__in=RecommendationDismissal.objects.filter(company=company).values("buyer_id"))
    )
    if user.role == "center":
        candidates = candidates.filter(center_id=user.center_id)
    buyer = OuterRef("pk")

    def headings_at(depth):
        return headings

    candidates = (
        candidates.annotate(
            hs=s.hs_points(join="interests", codes=codes, headings=headings),
            market=s.market_points(Q(country__in=targets) if targets else None),
            fit=s.table_points("business_type", w.FIT.get(company.industry, {})),
            pipeline=s.table_points("status", w.PIPELINE),
            activity=s.activity_points(buyer=buyer, status_changed_at="status_changed_at", at=at),
            feedback=s.feedback_points(buyer=buyer, headings_at=headings_at),
            deals=s.deals_points(buyer=buyer, headings_at=headings_at),
            lost=s.lost_points(buyer=buyer, headings_at=headings_at),
            load=s.load_points(buyer=buyer),
        )
        .annotate(cheap=s.total(s.CHEAP_PARTS), score=s.total(s.PARTS))
        .select_related("center")
    )
    # For the wording of the reasons; outside the ORDER BY, PostgreSQL computes them for the results only.
    candidates = candidates.annotate(
        open_matches=s.open_match_count(buyer=buyer),
        last_activity=s.last_activity(buyer=buyer, status_changed_at="status_changed_at"),
    )
    rows = rank(candidates, limit=limit)
    if not rows:
        return []

    ids = [row.pk for row in rows]
    interests: dict[int, list[str]] = {}
    for buyer_id, code in BuyerInterest.objects.filter(buyer_id__in=ids, hs2__in=chapters).values_list(
        "buyer_id", "hs_code"
    ):
        interests.setdefault(buyer_id, []).append(code)
    history = why.History.for_buyers(ids, headings=headings)
    proposals = _pending_proposals(Q(company=company, buyer_id__in=ids))

    results = []
    for row in rows:
        recommendation = Recommendation(
            company=company,
            buyer=row,
            score=round(row.score),
            parts=_parts(row),
            proposal=proposals.get((company.pk, row.pk)),
        )
        recommendation.reasons = why.reasons(
            recommendation,
            products=products,
            interests=sorted(interests.get(row.pk, [])),
            targets=targets,
            history=history.of(row.pk, products),
            open_matches=row.open_matches,
            last_activity=row.last_activity,
            at=at,
        )
        results.append(recommendation)
    return results


def recommended_companies(*, buyer: Buyer, user, limit: int = DEFAULT_LIMIT, at: datetime | None = None):
    """Companies for `buyer`, best first: those it shares at least an HS chapter with, not matched
    with it, not dismissed for it. A center manager gets them for the center's own buyers only.

    Queries: the buyer, its interests, the two passes of `rank`, and for the results their
    products, the buyer's ratings and history, and pending proposals: 8, whatever the data."""
    if not may_see_recommendations(user):
        return []
    if user.role == "center" and buyer.center_id != user.center_id:
        return []
    at = at or timezone.now()
    limit = _limit(limit)
    this = (
        Buyer.objects.filter(pk=buyer.pk)
        .select_related("center")
        .annotate(
            open_matches=s.open_match_count(buyer=buyer.pk),
            last_activity=s.last_activity(buyer=buyer.pk, status_changed_at="status_changed_at"),
        )
        .get()
    )
    if not this.center.is_active:
        return []
    interests = sorted(set(BuyerInterest.objects.filter(buyer=this).values_list("hs_code", flat=True)))
    if not interests:
        return []
    headings = sorted({code[:4] for code in interests})
    chapters = sorted({code[:2] for code in interests})

    def headings_at(depth):
        # The candidate company's headings, from `depth` subqueries below the candidate query.
        return Product.objects.filter(company=s.outer("pk", depth)).values("hs4")

    fit = w.FIT
    candidates = (
        Company.objects.filter(products__hs2__in=chapters)
        .exclude(pk__in=Match.objects.filter(buyer=this).values("company_id"))
        .exclude(pk__in=RecommendationDismissal.objects.filter(buyer=this).values("company_id"))
        .annotate(
            hs=s.hs_points(join="products", codes=interests, headings=headings),
            market=s.market_points(
                Q(pk__in=CompanyTargetCountry.objects.filter(country=this.country).values("company_id"))
            ),
            fit=s.table_points(
                "industry", {industry: table.get(this.business_type, 0) for industry, table in fit.items()}
            ),
            pipeline=s.PerCandidate(Value(w.PIPELINE.get(this.status, 0))),
            activity=s.activity_points(buyer=this.pk, status_changed_at=this.status_changed_at, at=at),
            feedback=s.feedback_points(buyer=this.pk, headings_at=headings_at),
            deals=s.deals_points(buyer=this.pk, headings_at=headings_at),
            lost=s.lost_points(buyer=this.pk, headings_at=headings_at),
            load=s.load_points(buyer=this.pk),
        )
        .annotate(cheap=s.total(s.CHEAP_PARTS), score=s.total(s.PARTS))
    )
    rows = rank(candidates, limit=limit)
    if not rows:
        return []

    ids = [row.pk for row in rows]
    products: dict[int, list[Product]] = {}
    for product in Product.objects.filter(company_id__in=ids).order_by("hs_code", "pk"):
        products.setdefault(product.company_id, []).append(product)
    all_headings = sorted({p.hs4 for ps in products.values() for p in ps})
    history = why.History.for_buyers([this.pk], headings=all_headings)
    proposals = _pending_proposals(Q(buyer=this, company_id__in=ids))

    results = []
    for row in rows:
        recommendation = Recommendation(
            company=row,
            buyer=this,
            score=round(row.score),
            parts=_parts(row),
            proposal=proposals.get((row.pk, this.pk)),
        )
        company_products = products.get(row.pk, [])
        recommendation.reasons = why.reasons(
            recommendation,
            products=[p for p in company_products if p.hs2 in chapters] or company_products,
            interests=interests,
            targets=[this.country] if row.market else [],
            history=history.of(this.pk, company_products),
            open_matches=this.open_matches,
            last_activity=this.last_activity,
            at=at,
        )
        results.append(recommendation)
    return results


def _pending_proposals(condition: Q) -> dict[tuple[int, int], MatchProposal]:
    pending = MatchProposal.objects.pending().filter(condition).select_related("proposed_by", "buyer__center")
    return {(p.company_id, p.buyer_id): p for p in pending}
