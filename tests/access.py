"""The access matrix: for every URL of the app, what each role gets.

`ACCESS` maps a URL name to a Rule. tests/test_access.py walks every URL pattern of the project and
fails when one has no rule, then checks each rule for staff, a company user, a center manager and an
anonymous visitor; for a URL about one record, it checks that a user of another company or another
center gets 404 (never 403, never 200) on GET and POST, and that no row count changes."""

from dataclasses import dataclass, field

ROLES = ("staff", "company", "center")


@dataclass(frozen=True)
class Rule:
    # The roles that may open the page; the others get 403. A record URL names its model key in
    # the world (see tests/test_access.py) and is checked against foreign records too.
    allowed: tuple[str, ...] = ROLES
    record: str | None = None
    # Roles for whom the record exists but the function is not theirs (403 on their own record).
    own_forbidden: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("GET",)
    query: dict = field(default_factory=dict)
    # POST-only actions are checked for refusal only (their success is tested where they live).
    post_only: bool = False


# URL patterns outside the access matrix, and why.
EXEMPT = {
    "login": "the sign-in page, open to everyone",
    "logout": "POST-only, ends whatever session there is",
    "set_language": "switches the language of visitors too",
    "password_reset": "open to visitors who forgot their password",
    "password_reset_done": "open to visitors",
    "password_reset_confirm": "open to visitors holding a reset link",
    "password_reset_complete": "open to visitors",
}

ACCESS: dict[str, Rule] = {
    "home": Rule(),
    "profile": Rule(),
    "password_change": Rule(),
    "password_change_done": Rule(),
    "matching:dashboard": Rule(allowed=("staff",)),
    "matching:import": Rule(allowed=("staff",)),
    "matching:import_template": Rule(allowed=("staff",), query={"kind": "companies"}),
    "matching:consultation_list": Rule(),
    "matching:consultation_create": Rule(allowed=("staff", "center")),
    "matching:consultation_time_preview": Rule(),
    "matching:consultation_detail": Rule(record="consultation"),
    "matching:consultation_update": Rule(
        record="consultation", own_forbidden=("company",), methods=("GET", "POST")
    ),
    "matching:consultation_delete": Rule(
        record="consultation", own_forbidden=("company", "center"), methods=("GET", "POST")
    ),
}
