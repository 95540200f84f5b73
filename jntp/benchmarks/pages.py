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


PAGES: list[Page] = [
    Page("home", lambda s: reverse("home")),
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
