"""The pages `make bench` times: every list, detail and dashboard page, for each role that may open it.

Add a Page when you add a page. `url` is a path, or a function of a Sample: the records the role's
user can see (sample.company, sample.buyer, sample.match, …, chosen among those visible to the user,
a different one for each request), so that a detail page is timed on records of that user's own
tenant. Pages held to the targets (median ≤ 50 ms, ≤ 12 queries) have `budget=True`.

    Page("company detail", lambda s: reverse("matching:company_detail", args=[s.company.pk])),
    Page("buyer list", "/buyers/", roles=("staff", "center")),
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

ROLES = ("staff", "company", "center")


@dataclass(frozen=True)
class Page:
    name: str
    url: str | Callable  # a path, or a function of a Sample returning one
    roles: tuple[str, ...] = ROLES
    budget: bool = True  # held to the page targets; False for pages timed for information only


def _detail(name: str, kind: str):
    return lambda s: reverse(name, args=[getattr(s, kind).pk])


STAFF = ("staff",)
NOT_COMPANY = ("staff", "center")

PAGES: list[Page] = [
    # Home pages and the dashboard
    Page("home", lambda s: reverse("home"), ("company", "center")),
    Page("dashboard", lambda s: reverse("matching:dashboard"), STAFF),
    # Lists
    Page("companies", lambda s: reverse("matching:company_list")),
    Page("centers", lambda s: reverse("centers:center_list")),
    Page("buyers", lambda s: reverse("centers:buyer_list")),
    Page("matches", lambda s: reverse("matching:match_list")),
    Page("consultations", lambda s: reverse("matching:consultation_list")),
    Page("shipments", lambda s: reverse("matching:shipment_list")),
    Page("outcomes", lambda s: reverse("matching:outcome_list")),
    Page("events", lambda s: reverse("matching:event_list")),
    Page("follow-ups", lambda s: reverse("followups:list")),
    Page("reminders", lambda s: reverse("reminders:dashboard"), STAFF),
    # Details
    Page("company", _detail("matching:company_detail", "company")),
    Page("center", _detail("centers:center_detail", "center"), NOT_COMPANY),
    Page("buyer", _detail("centers:buyer_detail", "buyer")),
    Page("match", _detail("matching:match_detail", "match")),
    Page("consultation", _detail("matching:consultation_detail", "consultation")),
    Page("shipment", _detail("matching:shipment_detail", "shipment")),
    Page("outcome", _detail("matching:outcome_detail", "outcome")),
    Page("event", _detail("matching:event_detail", "event")),
    Page("follow-up", _detail("followups:detail", "follow_up")),
    # Django's admin is the staff back office, not one of the application's pages: timed for
    # information, not held to the targets.
    Page(
        "admin: companies", lambda s: reverse("admin:matching_company_changelist"), ("staff",), budget=False
    ),
    Page("admin: buyers", lambda s: reverse("admin:centers_buyer_changelist"), ("staff",), budget=False),
    Page(
        "admin: a company",
        lambda s: reverse("admin:matching_company_change", args=[s.company.pk]),
        ("staff",),
        budget=False,
    ),
]
