"""Reads of the matching domain that more than one place needs."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from centers.models import Center
from matching import figures_stamp
from matching.models import Consultation, Match, Outcome, SampleShipment

FIGURES = (
    "companies_linked",
    "centers_active",
    "buyers",
    "consultations",
    "consulted_usd",
    "expected_contract_usd",
    "samples_shipped",
    "agreements_usd",
    "contracts_usd",
    "purchase_orders_usd",
    "mous",
)
AMOUNT_FIGURES = {
    "consulted_usd",
    "expected_contract_usd",
    "agreements_usd",
    "contracts_usd",
    "purchase_orders_usd",
}


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """JNTP's year runs in Korea time, whatever the zone of the user asking."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _held(year: int):
    start, end = year_bounds(year)
    return Consultation.objects.exclude(status=Consultation.Status.CANCELLED).filter(
        starts_at__gte=start, starts_at__lt=end
    )


def _signed(year: int):
    return Outcome.objects.filter(signed_on__year=year)


def _shipped(year: int):
    start, end = year_bounds(year)
    return SampleShipment.objects.filter(shipped_at__gte=start, shipped_at__lt=end)


def active_matches(year: int, matches=None):
    """Matches with activity in the year: a consultation held, a sample requested or shipped for the
    buyer, or an outcome signed. Among `matches` when given (a user's, visible_to), else all.

    The ids come from a UNION of three range scans over the year's rows, which the database hashes
    once; an EXISTS per match would probe all matches of every year."""
    start, end = year_bounds(year)
    shipments = SampleShipment.objects.exclude(
        status__in=[SampleShipment.Status.CANCELLED, SampleShipment.Status.REJECTED]
    ).filter(Q(created_at__gte=start, created_at__lt=end) | Q(shipped_at__gte=start, shipped_at__lt=end))
    ids = (
        _held(year)
        .order_by()
        .values("match_id")
        .union(shipments.order_by().values("match_id"), _signed(year).order_by().values("match_id"))
    )
    return (Match.objects.all() if matches is None else matches).filter(pk__in=ids)


def annual_figures(year: int) -> dict:
    """The figures JNTP reports for a year, in total and per center (DESIGN.md). A fixed number of
    queries, grouped by center, whatever the size of the year."""
    per_center: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))

    matches = active_matches(year)
    for row in matches.values("center").annotate(
        companies=Count("company", distinct=True), buyers=Count("buyer", distinct=True)
    ):
        figures = per_center[row["center"]]
        figures["companies_linked"], figures["buyers"], figures["centers_active"] = (
            row["companies"],
            row["buyers"],
            1,
        )

    for row in (
        _held(year)
        .values("center")
        .annotate(n=Count("pk"), consulted=Sum("consulted_amount_usd"), expected=Sum("expected_contract_usd"))
    ):
        figures = per_center[row["center"]]
        figures["consultations"] = row["n"]
        figures["consulted_usd"] = row["consulted"] or Decimal(0)
        figures["expected_contract_usd"] = row["expected"] or Decimal(0)

    for row in _shipped(year).values("center").annotate(n=Count("pk")):
        per_center[row["center"]]["samples_shipped"] = row["n"]

    kind_figure = {
        Outcome.Kind.EXPORT_AGREEMENT: "agreements_usd",
        Outcome.Kind.CONTRACT: "contracts_usd",
        Outcome.Kind.PURCHASE_ORDER: "purchase_orders_usd",
    }
    for row in (
        _signed(year).values("center", "kind").annotate(n=Count("pk"), usd=Sum("amount_usd"))
    ):
        figures = per_center[row["center"]]
        if row["kind"] == Outcome.Kind.MOU:
            figures["mous"] += row["n"]
        else:
            figures[kind_figure[row["kind"]]] += row["usd"] or Decimal(0)

    linked = matches.aggregate(
        companies=Count("company", distinct=True), buyers=Count("buyer", distinct=True), matches=Count("pk")
    )
    totals = {
        "companies_linked": linked["companies"],
        "centers_active": sum(f["centers_active"] for f in per_center.values()),
        "buyers": linked["buyers"],
        "active_matches": linked["matches"],
    }
    for name in FIGURES:
        totals.setdefault(
            name, sum((f[name] for f in per_center.values()), Decimal(0) if name in AMOUNT_FIGURES else 0)
        )

    centers = Center.objects.in_bulk(per_center.keys())
    by_center = [
        {"center": centers[pk].code, "center_id": pk, "name": centers[pk].name, **figures}
        for pk, figures in sorted(per_center.items(), key=lambda item: centers[item[0]].code)
    ]
    return {"year": year, **totals, "by_center": by_center}


def years_with_data() -> list[int]:
    """Years that have consultations or outcomes, newest first, and always the current year."""
    zone = ZoneInfo(settings.TIME_ZONE)
    years = {d.year for d in Consultation.objects.datetimes("starts_at", "year", tzinfo=zone)}
    years |= {d.year for d in Outcome.objects.dates("signed_on", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def default_year() -> int:
    """The latest year with activity: the demo opens on 2021, a working office on this year."""
    zone = ZoneInfo(settings.TIME_ZONE)
    latest = Consultation.objects.aggregate(latest=Max("starts_at"))["latest"]
    return latest.astimezone(zone).year if latest else timezone.localdate().year


def monthly_series(year: int) -> dict[str, list]:
    """Consultations held and USD of agreements and contracts signed, month by month (Korea time)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    consultations = [0] * 12
    for row in (
        _held(year)
        .annotate(month=TruncMonth("starts_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
    ):
        consultations[row["month"].month - 1] = row["n"]
    signed = [0.0] * 12
    deals = _signed(year).filter(
        kind__in=[Outcome.Kind.EXPORT_AGREEMENT, Outcome.Kind.CONTRACT, Outcome.Kind.PURCHASE_ORDER]
    )
    for row in deals.annotate(month=TruncMonth("signed_on")).values("month").annotate(usd=Sum("amount_usd")):
        signed[row["month"].month - 1] = float(row["usd"] or 0)
    return {"consultations": consultations, "signed_usd": signed}


def funnel(year: int, figures: dict | None = None) -> list[dict]:
    """Matches with activity → consultations held → samples requested → outcomes signed. The first two
    steps come from the year's figures when the caller has them."""
    figures = figures or annual_figures(year)
    start, end = year_bounds(year)
    samples = SampleShipment.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=SampleShipment.Status.CANCELLED
    )
    steps = [
        ("matches", figures["active_matches"]),
        ("consultations", figures["consultations"]),
        ("samples", samples.count()),
        ("outcomes", _signed(year).count()),
    ]
    top = max((n for _name, n in steps), default=0) or 1
    return [{"step": name, "count": n, "percent": round(100 * n / top)} for name, n in steps]


FIGURES_CACHE_SECONDS = 10 * 60  # bounds the stamp's commit race (figures_stamp.py); writes move the stamp


def year_overview(year: int | None = None) -> dict:
    """What the dashboard shows of a year: the years to pick from, the year (the latest with activity
    unless one of those is asked for), its figures, funnel and monthly series.

    Cached under the figures stamp, which every write to a counted table moves: a dashboard opened
    after a consultation is logged recomputes and shows it. At national scale the computation takes
    hundreds of milliseconds; a cached read one query."""
    stamp = figures_stamp.current(connection)
    # The figures name centers in the language of the one who asked first.
    key = f"matching:year-overview:{connection.settings_dict['NAME']}:{stamp}:{get_language()}:{year}"
    overview = cache.get(key) if stamp is not None else None
    if overview is None:
        years = years_with_data()
        if year not in years:
            year = default_year()
        figures = annual_figures(year)
        overview = {
            "year": year,
            "years": years,
            "figures": figures,
            "funnel": funnel(year, figures),
            "monthly": monthly_series(year),
        }
        if stamp is not None:
            cache.set(key, overview, FIGURES_CACHE_SECONDS)
    return overview
