"""Timing in-process: the recommendation engine, and every registered page for each role.

Server time is the wall time of one call (a recommendation) or one request through Django's test
client (the whole middleware stack, the view, the template), in this process, against the
configured database. Each measurement is repeated; the report gives the median and the p95
(nearest rank) and the queries the call ran (the most over the repeats).
"""

import math
import random
import statistics
import time
from dataclasses import asdict, dataclass, field

from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from centers.models import Buyer, Center
from jntp.benchmarks.pages import PAGES, Page
from jntp.users.models import User
from matching.models import (
    Company,
    Consultation,
    ExportEvent,
    FollowUp,
    Match,
    Outcome,
    Product,
    SampleShipment,
)
from matching.recommendations import recommended_buyers, recommended_companies

TARGETS = {
    "recommendation_median_ms": 50,
    "recommendation_p95_ms": 150,
    "page_median_ms": 50,
    "page_queries": 12,
}
SEED = 6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


@dataclass
class Timing:
    name: str
    role: str = ""
    url: str = ""
    status: int | None = None
    budget: bool = True
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.times_ms, 0.95) if self.times_ms else None

    @property
    def max_queries(self) -> int | None:
        return max(self.queries) if self.queries else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("times_ms")
        data["queries"] = sorted(set(self.queries))
        data.update(
            samples=len(self.times_ms),
            median_ms=_round(self.median_ms),
            p95_ms=_round(self.p95_ms),
            max_ms=_round(max(self.times_ms)) if self.times_ms else None,
        )
        return data


def _round(value):
    return None if value is None else round(value, 2)


# --- Records a role's user can see ----------------------------------------------------------------------
RECORDS = {
    "company": Company,
    "buyer": Buyer,
    "center": Center,
    "match": Match,
    "consultation": Consultation,
    "shipment": SampleShipment,
    "outcome": Outcome,
    "product": Product,
    "follow_up": FollowUp,
    "event": ExportEvent,
}
POOL = 2_000  # records of each kind to draw from, per role


class Sample:
    """The records of one request: for each kind, one of those the user sees, drawn at random
    (seeded) from the first POOL, so that a detail page is timed on several records."""

    def __init__(self, pools: dict, rng: random.Random):
        self._pools, self._rng, self._picked = pools, rng, {}

    def __getattr__(self, kind: str):
        if kind.startswith("_") or kind not in RECORDS:
            raise AttributeError(kind)
        if kind not in self._picked:
            keys = self._pools.get(kind)
            if keys is None:
                user = self._pools["__user__"]
                keys = self._pools[kind] = list(
                    RECORDS[kind].objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:POOL]
                )
            if not keys:
                raise LookupError(f"no {kind} visible to {self._pools['__user__']}")
            self._picked[kind] = RECORDS[kind].objects.get(pk=self._rng.choice(keys))
        return self._picked[kind]


def bench_users() -> dict[str, User]:
    """One user per role: staff; the company user and the center manager with the most to show."""
    users = {"staff": User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("pk").first()}
    users["company"] = (
        User.objects.filter(role=User.Role.COMPANY, is_active=True)
        .annotate(n=Count("company__matches"))
        .order_by("-n", "pk")
        .first()
    )
    users["center"] = (
        User.objects.filter(role=User.Role.CENTER, is_active=True)
        .annotate(n=Count("center__buyers"))
        .order_by("-n", "pk")
        .first()
    )
    return users


def measure_pages(
    users: dict[str, User], *, requests: int = 20, pages: list[Page] | None = None
) -> list[Timing]:
    timings = []
    for page in pages if pages is not None else PAGES:
        for role in page.roles:
            user = users.get(role)
            timing = Timing(page.name, role=role, budget=page.budget)
            timings.append(timing)
            if user is None:
                timing.note = f"no {role} user"
                continue
            client = Client()
            client.force_login(user)
            rng = random.Random(f"{SEED}:{page.name}:{role}")
            pools = {"__user__": user}
            try:
                for i in range(requests + 1):  # the first request warms up and is not counted
                    url = page.url(Sample(pools, rng)) if callable(page.url) else page.url
                    reset_queries()  # the log holds 9,000 queries; a full log would count 0
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        elapsed = (time.perf_counter() - started) * 1000
                    timing.url, timing.status = timing.url or url, response.status_code
                    if i:
                        timing.times_ms.append(elapsed)
                        timing.queries.append(len(queries))
            except LookupError as error:
                timing.note = str(error)
    return timings


def measure_recommendations(*, samples: int = 50, user: User | None = None) -> list[Timing]:
    """Recommendations for `samples` companies and `samples` buyers drawn at random (seeded)."""
    user = user or bench_users()["staff"]
    rng = random.Random(SEED)
    timings = []
    for name, model, call in (
        ("buyers for a company", Company, lambda obj: recommended_buyers(company=obj, user=user)),
        ("companies for a buyer", Buyer, lambda obj: recommended_companies(buyer=obj, user=user)),
    ):
        keys = list(model.objects.order_by("pk").values_list("pk", flat=True))
        chosen = rng.sample(keys, min(samples, len(keys)))
        timing = Timing(name, role=user.role if user else "")
        timings.append(timing)
        if chosen:
            call(model.objects.get(pk=chosen[0]))  # warm up
        for key in chosen:
            subject = model.objects.get(pk=key)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                call(subject)
                elapsed = (time.perf_counter() - started) * 1000
            timing.times_ms.append(elapsed)
            timing.queries.append(len(queries))
    return timings


# --- The report -----------------------------------------------------------------------------------------
def meets(timing: Timing, *, kind: str) -> bool | None:
    if not timing.times_ms or not timing.budget:
        return None
    if kind == "recommendation":
        return (
            timing.median_ms <= TARGETS["recommendation_median_ms"]
            and timing.p95_ms <= TARGETS["recommendation_p95_ms"]
        )
    return timing.median_ms <= TARGETS["page_median_ms"] and timing.max_queries <= TARGETS["page_queries"]


def _verdict(value: bool | None) -> str:
    return {True: "ok", False: "OVER", None: "-"}[value]


def table(recommendations: list[Timing], pages: list[Timing]) -> str:
    lines = [
        f"Recommendations (targets: median ≤ {TARGETS['recommendation_median_ms']} ms, "
        f"p95 ≤ {TARGETS['recommendation_p95_ms']} ms)",
        f"  {'':<28}{'samples':>8}{'median':>10}{'p95':>10}{'max':>10}{'queries':>10}  target",
    ]
    for t in recommendations:
        queries = f"{min(t.queries)}-{max(t.queries)}" if t.queries else "-"
        lines.append(
            f"  {t.name:<28}{len(t.times_ms):>8}{_ms(t.median_ms):>10}{_ms(t.p95_ms):>10}"
            f"{_ms(max(t.times_ms) if t.times_ms else None):>10}{queries:>10}  "
            f"{_verdict(meets(t, kind='recommendation'))}"
        )
    lines += [
        "",
        f"Pages (targets: median ≤ {TARGETS['page_median_ms']} ms and ≤ {TARGETS['page_queries']} queries)",
        f"  {'page':<28}{'role':<9}{'status':>7}{'median':>10}{'p95':>10}{'queries':>9}  target",
    ]
    for t in pages:
        lines.append(
            f"  {t.name:<28}{t.role:<9}{t.status or '-':>7}{_ms(t.median_ms):>10}{_ms(t.p95_ms):>10}"
            f"{t.max_queries if t.max_queries is not None else '-':>9}  "
            f"{_verdict(meets(t, kind='page'))}{'  ' + t.note if t.note else ''}"
        )
    return "\n".join(lines)


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f} ms"
