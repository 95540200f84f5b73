"""Why a pair is recommended, in the language active when they are built (the user's, in a request).

Each reason carries the points of its part of the score, which come from the database; the words
come from the few rows fetched here for the results only (which codes matched, which samples were
rated), selected with the same conditions as the score's subqueries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jntp.codes import country_name
from jntp.validators import format_hs_code
from matching.models import Match, Product, ShipmentItem
from matching.recommendations import weights as w


@dataclass(frozen=True)
class Reason:
    part: str  # the part of the score (weights.py): hs, market, fit, pipeline, activity, ...
    points: int
    text: str


@dataclass
class BuyerHistory:
    """What one buyer did with companies selling in some HS headings."""

    ratings: dict[int, int] = field(default_factory=dict)  # shipment → rating
    rated_headings: set[str] = field(default_factory=set)
    deals: set[int] = field(default_factory=set)  # outcome ids
    mous: set[int] = field(default_factory=set)
    deal_headings: set[str] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)  # match ids
    lost_headings: set[str] = field(default_factory=set)


class History:
    """The buyers' ratings, deals and lost matches in some headings: two queries for all of them."""

    def __init__(self):
        self.rows_rated: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        self.rows_matches: dict[int, list[tuple[int, str, int | None, str | None, str]]] = defaultdict(list)

    @classmethod
    def for_buyers(cls, buyer_ids: list[int], *, headings: list[str]) -> "History":
        history = cls()
        if not headings:
            return history
        rated = ShipmentItem.objects.filter(
            shipment__match__buyer_id__in=buyer_ids,
            shipment__feedback_rating__isnull=False,
            product__hs4__in=headings,
        ).values_list("shipment__match__buyer_id", "shipment_id", "shipment__feedback_rating", "product__hs4")
        for buyer_id, shipment_id, rating, heading in rated.distinct():
            history.rows_rated[buyer_id].append((shipment_id, rating, heading))
        # The buyers' matches with companies of these headings that were lost or led to an outcome.
        matches = (
            Match.objects.filter(buyer_id__in=buyer_ids, company__products__hs4__in=headings)
            .filter(Q(stage=Match.Stage.LOST) | Q(outcomes__isnull=False))
            .values_list(
                "buyer_id", "pk", "stage", "outcomes__pk", "outcomes__kind", "company__products__hs4"
            )
            .order_by()
            .distinct()
        )
        for buyer_id, match_id, stage, outcome_id, kind, heading in matches:
            history.rows_matches[buyer_id].append((match_id, stage, outcome_id, kind, heading))
        return history

    def of(self, buyer_id: int, products: list[Product]) -> BuyerHistory:
        """The buyer's history with companies selling in the headings of `products`."""
        headings = {p.hs4 for p in products}
        result = BuyerHistory()
        for shipment_id, rating, heading in self.rows_rated.get(buyer_id, []):
            if heading in headings:
                result.ratings[shipment_id] = rating
                result.rated_headings.add(heading)
        for match_id, stage, outcome_id, kind, heading in self.rows_matches.get(buyer_id, []):
            if heading not in headings:
                continue
            if outcome_id is not None and kind in w.DEAL_KINDS:
                result.deals.add(outcome_id)
                result.deal_headings.add(heading)
            elif outcome_id is not None and kind == "mou":
                result.mous.add(outcome_id)
                result.deal_headings.add(heading)
            if stage == Match.Stage.LOST:
                result.lost.add(match_id)
                result.lost_headings.add(heading)
        return result


def _product_label(product: Product) -> str:
    return product.name or format_hs_code(product.hs_code)


def _headings_label(headings: set[str], products: list[Product]) -> str:
    """'HS 2008 (seasoned laver), 1212 (dried laver)', naming a product of the company in each."""
    labels = []
    for heading in sorted(headings):
        product = next((p for p in products if p.hs4 == heading), None)
        labels.append(f"{heading} ({_product_label(product)})" if product else heading)
    return "HS " + ", ".join(labels)


def _level(a: str, b: str) -> int:
    if a == b:
        return 3
    if a[:4] == b[:4]:
        return 2
    return 1 if a[:2] == b[:2] else 0


def hs_reasons(recommendation, *, products: list[Product], interests: list[str]) -> list[Reason]:
    """The best pair of a company product and a buyer interest, then the further shared headings."""
    pairs = [(_level(p.hs_code, code), p, code) for p in products for code in interests]
    pairs = [pair for pair in pairs if pair[0]]
    if not pairs:
        return []
    best_level = max(level for level, _p, _c in pairs)
    level, product, interest = min(
        (pair for pair in pairs if pair[0] == best_level),
        key=lambda pair: (pair[2], pair[1].hs_code, pair[1].pk),
    )
    values = {
        "code": format_hs_code(product.hs_code),
        "product": _product_label(product),
        "interest": format_hs_code(interest),
        "heading": product.hs_code[:4],
        "chapter": product.hs_code[:2],
    }
    if level == 3:
        text, points = _("HS %(code)s exact (%(product)s)") % values, w.HS_EXACT
    elif level == 2:
        text = (
            _("Same HS heading %(heading)s: %(product)s is %(code)s, the buyer looks for %(interest)s")
            % values
        )
        points = w.HS_HEADING
    else:
        text = (
            _("Same HS chapter %(chapter)s: %(product)s is %(code)s, the buyer looks for %(interest)s")
            % values
        )
        points = w.HS_CHAPTER
    reasons = [Reason("hs", points, text)]

    # The further headings both sides share (as in scoring.hs_points), each with its closest pair.
    further: dict[str, tuple[Product, str]] = {}
    for level, p, code in sorted(pairs, key=lambda pair: (-pair[0], pair[2], pair[1].hs_code)):
        if level >= 2 and p.hs4 != product.hs4:
            further.setdefault(p.hs4, (p, code))
    more = recommendation.parts["hs"] - points
    if further and more:
        labels = ", ".join(
            f"{heading} ({_product_label(p)})" for heading, (p, _code) in sorted(further.items())
        )
        text = ngettext(
            "Also shares HS heading %(headings)s", "Also shares HS headings %(headings)s", len(further)
        ) % {"headings": labels}
        reasons.append(Reason("hs", more, text))
    return reasons


def reasons(
    recommendation,
    *,
    products: list[Product],
    interests: list[str],
    targets: list[str],
    history: BuyerHistory,
    open_matches: int,
    last_activity: datetime | None,
    at: datetime,
) -> list[Reason]:
    parts = recommendation.parts
    buyer, company = recommendation.buyer, recommendation.company
    result = hs_reasons(recommendation, products=products, interests=interests)

    if parts["market"]:
        result.append(
            Reason(
                "market",
                parts["market"],
                _("%(country)s is a target market") % {"country": country_name(buyer.country)},
            )
        )
    if parts["fit"]:
        values = {
            "business_type": buyer.get_business_type_display(),
            "industry": company.get_industry_display(),
        }
        text = (
            _("%(business_type)s: a good fit for %(industry)s")
            if parts["fit"] >= w.GOOD
            else _("%(business_type)s: a fair fit for %(industry)s")
        ) % values
        result.append(Reason("fit", parts["fit"], text))
    if parts["pipeline"]:
        if buyer.status == buyer.Status.DORMANT:
            text = _("The buyer is dormant")
        elif buyer.status == buyer.Status.DROPPED:
            text = _("The buyer has dropped out of the pipeline")
        else:
            text = _("The buyer is at “%(status)s” in the pipeline") % {"status": buyer.get_status_display()}
        result.append(Reason("pipeline", parts["pipeline"], text))
    if parts["activity"] and last_activity is not None:
        when = date_format(timezone.localtime(last_activity), "Y-m-d")
        if parts["activity"] > 0:
            text = _("Active in the last %(days)d days (last on %(date)s)") % {
                "days": w.ACTIVE_DAYS,
                "date": when,
            }
        else:
            text = _("No activity for more than %(days)d days (last on %(date)s)") % {
                "days": w.STALE_DAYS,
                "date": when,
            }
        result.append(Reason("activity", parts["activity"], text))
    if history.ratings:
        count = len(history.ratings)
        average = sum(history.ratings.values()) / count
        text = ngettext(
            "This buyer rated %(count)d sample of %(products)s %(rating)s/5",
            "This buyer rated %(count)d samples of %(products)s %(rating)s/5 on average",
            count,
        ) % {
            "count": count,
            "products": _headings_label(history.rated_headings, products),
            "rating": f"{average:.1f}".rstrip("0").rstrip("."),
        }
        result.append(Reason("feedback", parts["feedback"], text))
    if history.deals or history.mous:
        label = _headings_label(history.deal_headings, products)
        if history.deals:
            count = len(history.deals)
            text = ngettext(
                "Signed %(count)d contract with a company selling %(products)s",
                "Signed %(count)d contracts with companies selling %(products)s",
                count,
            ) % {"count": count, "products": label}
        else:
            count = len(history.mous)
            text = ngettext(
                "Signed %(count)d MOU with a company selling %(products)s",
                "Signed %(count)d MOUs with companies selling %(products)s",
                count,
            ) % {"count": count, "products": label}
        result.append(Reason("deals", parts["deals"], text))
    if history.lost:
        count = len(history.lost)
        text = ngettext(
            "%(count)d earlier match with a company selling %(products)s was lost",
            "%(count)d earlier matches with companies selling %(products)s were lost",
            count,
        ) % {"count": count, "products": _headings_label(history.lost_headings, products)}
        result.append(Reason("lost", parts["lost"], text))
    if parts["load"]:
        text = ngettext(
            "Already carries %(count)d open match",
            "Already carries %(count)d open matches",
            open_matches,
        ) % {"count": open_matches}
        result.append(Reason("load", parts["load"], text))
    proposal = recommendation.proposal
    if proposal is not None:
        values = {
            "name": str(proposal.proposed_by or _("a center manager")),
            "center": proposal.buyer.center.name,
        }
        text = _("Proposed to staff by %(name)s (%(center)s)") % values
        if proposal.note:
            text = _("%(proposal)s: “%(note)s”") % {"proposal": text, "note": proposal.note}
        result.append(Reason("proposal", 0, text))
    return result
