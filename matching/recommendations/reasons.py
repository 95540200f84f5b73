"""Why a pair is recommended, in the language active when they are built (the user's, in a request).

Each reason carries the points of its part of the score (computed for the results in Python by
scoring.py, with the formula the database ranked by) and says, in words, what earned them: which
codes and products matched, which market, what the buyer rated or signed, from the few rows fetched
for the results only.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jntp.codes import country_name
from jntp.validators import format_hs_code
from matching.models import BuyerHeadingHistory, Product
from matching.recommendations import scoring
from matching.recommendations import weights as w


@dataclass(frozen=True)
class Reason:
    part: str  # the part of the score (weights.py): hs, more, market, fit, pipeline, activity, ...
    points: int  # rounded for display; Recommendation.parts keeps the exact value
    text: str

    def __post_init__(self):
        object.__setattr__(self, "points", round(self.points))


@dataclass
class BuyerRecord:
    """A buyer's BuyerHeadingHistory rows in the headings of one company's products."""

    rows: list[BuyerHeadingHistory] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    def headings(self, name: str) -> set[str]:
        return {row.hs4 for row in self.rows if getattr(row, name)}

    def parts(self) -> dict[str, float]:
        return scoring.history_parts(
            **{name: self.total(name) for name in ("rated", "rating_sum", "deals", "mous", "lost")}
        )


class History:
    """The BuyerHeadingHistory rows of some buyers: one query for all the results."""

    def __init__(self, rows):
        self.rows: dict[int, list[BuyerHeadingHistory]] = defaultdict(list)
        for row in rows:
            self.rows[row.buyer_id].append(row)

    @classmethod
    def of_buyers(cls, buyer_ids: list[int], *, headings: list[str] | None) -> "History":
        rows = BuyerHeadingHistory.objects.filter(buyer_id__in=buyer_ids).order_by("hs4")
        return cls(rows.filter(hs4__in=headings) if headings is not None else rows)

    def get(self, buyer_id: int, headings: list[str]) -> BuyerRecord:
        return BuyerRecord([row for row in self.rows.get(buyer_id, []) if row.hs4 in headings])


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
    more = recommendation.parts["more"]
    if further and more:
        labels = ", ".join(
            f"{heading} ({_product_label(p)})" for heading, (p, _code) in sorted(further.items())
        )
        text = ngettext(
            "Also shares HS heading %(headings)s", "Also shares HS headings %(headings)s", len(further)
        ) % {"headings": labels}
        reasons.append(Reason("more", more, text))
    return reasons


def reasons(
    recommendation,
    *,
    products: list[Product],
    interests: list[str],
    history: BuyerRecord,
    open_matches: int,
    last_activity: datetime | None,
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
            # The enums' labels: get_FOO_display() hashes every label of the field's choices.
            "business_type": buyer.BusinessType(buyer.business_type).label,
            "industry": company.Industry(company.industry).label,
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
            text = _("The buyer is at “%(status)s” in the pipeline") % {
                "status": buyer.Status(buyer.status).label
            }
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
    rated = history.total("rated")
    if rated:
        average = history.total("rating_sum") / rated
        text = ngettext(
            "This buyer rated %(count)d sample of %(products)s %(rating)s/5",
            "This buyer rated %(count)d samples of %(products)s %(rating)s/5 on average",
            rated,
        ) % {
            "count": rated,
            "products": _headings_label(history.headings("rated"), products),
            "rating": f"{average:.1f}".rstrip("0").rstrip("."),
        }
        result.append(Reason("feedback", parts["feedback"], text))
    deals, mous = history.total("deals"), history.total("mous")
    if deals or mous:
        label = _headings_label(history.headings("deals" if deals else "mous"), products)
        if deals:
            text = ngettext(
                "Signed %(count)d contract with a company selling %(products)s",
                "Signed %(count)d contracts with companies selling %(products)s",
                deals,
            ) % {"count": deals, "products": label}
        else:
            text = ngettext(
                "Signed %(count)d MOU with a company selling %(products)s",
                "Signed %(count)d MOUs with companies selling %(products)s",
                mous,
            ) % {"count": mous, "products": label}
        result.append(Reason("deals", parts["deals"], text))
    lost = history.total("lost")
    if lost:
        text = ngettext(
            "%(count)d earlier match with a company selling %(products)s was lost",
            "%(count)d earlier matches with companies selling %(products)s were lost",
            lost,
        ) % {"count": lost, "products": _headings_label(history.headings("lost"), products)}
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
