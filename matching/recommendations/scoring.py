"""The score as database expressions: every part of weights.py becomes an annotation.

Two kinds of parts. The cheap ones (hs, market, fit, pipeline) come from the candidate row and the
HS join the candidate query already makes. The others (activity, feedback, deals, lost, load) each
look into another table through a correlated subquery; together they can add at most
weights.MOST_A_LOOK_ADDS, which lets the engine look only at the candidates that can still reach
the top (engine.rank).

Each subquery returns its points directly, so the score names each subquery once: a database
evaluates a subquery as many times as it is written.

`buyer` is the buyer's key as the subquery sees it: OuterRef("pk") when the candidates are buyers,
the buyer's id when they are companies. `headings_at(depth)` is the company's HS headings as a
subquery `depth` levels down sees them: a list when the company is fixed, a correlated subquery on
the candidate company otherwise.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThanOrEqual

from matching.models import Consultation, Match, Outcome, Product, SampleShipment, ShipmentItem
from matching.recommendations import weights as w

CHEAP_PARTS = ("hs", "market", "fit", "pipeline")
LOOK_PARTS = ("activity", "feedback", "deals", "lost", "load")
PARTS = CHEAP_PARTS + LOOK_PARTS

HeadingsAt = Callable[[int], object]


class PerCandidate(ExpressionWrapper):
    """A part computed from the candidate row alone (a CASE on its columns, a correlated subquery).

    The candidate query groups the HS join by candidate. Django would put such an expression into
    the GROUP BY, which makes the database compute it for every joined row before grouping, and for
    every candidate before the LIMIT. It depends only on the candidate's columns, which the GROUP BY
    on the candidate's key already fixes, so it stays out of the GROUP BY: PostgreSQL then computes
    it once per candidate, and only after the sort when the ORDER BY does not need it."""

    def __init__(self, expression, output_field=None):
        super().__init__(expression, output_field=output_field or FloatField())

    def get_group_by_cols(self):
        return []


def outer(name: str, depth: int):
    """OuterRef(name) as seen from `depth` subqueries down (1 = the query right outside)."""
    ref = name
    for _ in range(depth):
        ref = OuterRef(ref)
    return ref


def table_points(field: str, table: dict[str, int]) -> PerCandidate:
    whens = [When(**{field: key}, then=Value(points)) for key, points in table.items() if points]
    return PerCandidate(Case(*whens, default=Value(0), output_field=IntegerField()))


def hs_points(*, join: str, codes: list[str], headings: list[str]):
    """The best code pair over the HS join (`interests` or `products`, restricted by the candidate
    query to the shared chapters), plus the further HS headings the two sides share. Counting
    headings, not codes, gives a pair the same points whichever side is the candidate."""
    best = Max(
        Case(
            When(**{f"{join}__hs_code__in": codes}, then=Value(w.HS_EXACT)),
            When(**{f"{join}__hs4__in": headings}, then=Value(w.HS_HEADING)),
            default=Value(w.HS_CHAPTER),
            output_field=IntegerField(),
        )
    )
    shared = Count(f"{join}__hs4", distinct=True, filter=Q(**{f"{join}__hs4__in": headings}))
    more = Least(Greatest(shared - Value(1), Value(0)), Value(w.HS_MORE_HEADINGS_MAX))
    return best + more * Value(w.HS_MORE_HEADINGS)


def market_points(condition: Q | None) -> PerCandidate:
    if condition is None:
        return PerCandidate(Value(0))
    return PerCandidate(
        Case(When(condition, then=Value(w.MARKET_TARGET)), default=Value(0), output_field=IntegerField())
    )


def _by_date(moment, at: datetime) -> Case:
    recent, stale = at - timedelta(days=w.ACTIVE_DAYS), at - timedelta(days=w.STALE_DAYS)
    return Case(
        When(GreaterThanOrEqual(moment, Value(recent)), then=Value(w.ACTIVE)),
        When(GreaterThanOrEqual(moment, Value(stale)), then=Value(0)),
        default=Value(w.STALE),  # older, or never
        output_field=IntegerField(),
    )


def _status_date(status_changed_at):
    """The buyer's status date: a field of the candidate row, or a value when the buyer is fixed."""
    return F(status_changed_at) if isinstance(status_changed_at, str) else Value(status_changed_at)


def latest_consultation(*, buyer):
    return (
        Consultation.objects.filter(match__buyer=buyer)
        .exclude(status=Consultation.Status.CANCELLED)
        .order_by()
        .values("match__buyer")
        .annotate(latest=Max("starts_at"))
    )


def activity_points(*, buyer, status_changed_at, at: datetime) -> PerCandidate:
    """ACTIVE if the status moved or a consultation took place lately, STALE if neither for long:
    the better of what the consultations and the status date say."""
    by_consultations = latest_consultation(buyer=buyer).annotate(points=_by_date(F("latest"), at))
    return PerCandidate(
        Greatest(
            Coalesce(Subquery(by_consultations.values("points")), Value(w.STALE)),
            _by_date(_status_date(status_changed_at), at),
        )
    )


def last_activity(*, buyer, status_changed_at) -> PerCandidate:
    """When the buyer last moved or met someone (for the reason's wording)."""
    status_date = _status_date(status_changed_at)
    latest = Subquery(latest_consultation(buyer=buyer).values("latest"))
    return PerCandidate(Greatest(Coalesce(latest, status_date), status_date), output_field=DateTimeField())


def open_matches(*, buyer):
    return Match.objects.filter(buyer=buyer, stage__in=Match.Stage.open_values()).order_by().values("buyer")


def load_points(*, buyer) -> PerCandidate:
    beyond = Least(Greatest(Count("pk") - Value(w.OPEN_MATCHES_FREE), Value(0)), Value(w.OPEN_MATCHES_MAX))
    points = open_matches(buyer=buyer).annotate(points=beyond * Value(w.OPEN_MATCH)).values("points")
    return PerCandidate(Coalesce(Subquery(points), Value(0)))


def open_match_count(*, buyer) -> PerCandidate:
    count = open_matches(buyer=buyer).annotate(n=Count("pk")).values("n")
    return PerCandidate(Coalesce(Subquery(count), Value(0)), output_field=IntegerField())


def feedback_points(*, buyer, headings_at: HeadingsAt) -> PerCandidate:
    """From the buyer's ratings of samples of products in the company's headings."""
    rated = SampleShipment.objects.filter(match__buyer=buyer, feedback_rating__isnull=False).filter(
        Exists(ShipmentItem.objects.filter(shipment=OuterRef("pk"), product__hs4__in=headings_at(3)))
    )
    stars = Avg(Cast("feedback_rating", FloatField())) - Value(float(w.FEEDBACK_NEUTRAL))
    average = (
        rated.order_by()
        .values("match__buyer")
        .annotate(points=stars * Value(float(w.FEEDBACK_PER_STAR)))
        .values("points")
    )
    return PerCandidate(Coalesce(Subquery(average), Value(0.0)))


def _peers(headings_at: HeadingsAt):
    """Companies selling in the company's headings, as seen two subqueries down."""
    return Product.objects.filter(hs4__in=headings_at(3)).values("company_id")


def deals_points(*, buyer, headings_at: HeadingsAt) -> PerCandidate:
    kind = Case(
        When(kind__in=w.DEAL_KINDS, then=Value(w.DEAL)),
        When(kind=Outcome.Kind.MOU, then=Value(w.MOU)),
        default=Value(0),
        output_field=IntegerField(),
    )
    deals = (
        Outcome.objects.filter(match__buyer=buyer, match__company__in=_peers(headings_at))
        .order_by()
        .values("match__buyer")
        .annotate(points=Max(kind))
        .values("points")
    )
    return PerCandidate(Coalesce(Subquery(deals), Value(0)))


def lost_points(*, buyer, headings_at: HeadingsAt) -> PerCandidate:
    lost = (
        Match.objects.filter(buyer=buyer, stage=Match.Stage.LOST, company__in=_peers(headings_at))
        .order_by()
        .values("buyer")
        .annotate(points=Least(Count("pk"), Value(w.LOST_MAX)) * Value(w.LOST))
        .values("points")
    )
    return PerCandidate(Coalesce(Subquery(lost), Value(0)))


def total(parts: tuple[str, ...]):
    expression = F(parts[0])
    for part in parts[1:]:
        expression = expression + F(part)
    return Cast(expression, FloatField())
