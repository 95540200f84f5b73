"""The access matrix: for every URL of the app, what each role gets.

`ACCESS` maps a URL name to a Rule. tests/test_access.py walks every URL pattern of the project and
fails when one has no rule, then checks each rule for staff, a company user, a center manager and an
anonymous visitor; for a URL about one record, it checks that a user of another company or another
center gets 404 (never 403, never 200) on GET and POST, and that no row count changes."""

from dataclasses import dataclass, field

ROLES = ("staff", "company", "center")
STAFF = ("staff",)
NOT_COMPANY = ("company",)
STAFF_ONLY = ("company", "center")  # as own_forbidden: the record is theirs, the function is not


@dataclass(frozen=True)
class Rule:
    # The roles that may open the page; the others get 403.
    allowed: tuple[str, ...] = ROLES
    # A record URL names its world key (tests/test_access.py) and is checked against foreign records.
    record: str | None = None
    # Roles for whom the record is visible but the function is not theirs: 403 on their own record.
    own_forbidden: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("GET",)
    # Fixed URL kwargs, and kwargs taken from other world records (kwarg → world key).
    kwargs: dict = field(default_factory=dict)
    related: dict = field(default_factory=dict)
    # Shared reference data (events, the directory of centers for companies) has no foreign rows.
    shared_for: tuple[str, ...] = ()
    # The URL kwarg that carries the record's key.
    record_kwarg: str = "pk"
    # Roles for whom such records never exist (their own is a 404 too, not a 403).
    hidden_from: tuple[str, ...] = ()


def post(**kwargs) -> Rule:
    return Rule(methods=("POST",), **kwargs)


def edit(**kwargs) -> Rule:
    return Rule(methods=("GET", "POST"), **kwargs)


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
    # Account and home
    "home": Rule(),
    "profile": Rule(),
    "password_change": Rule(),
    "password_change_done": Rule(),
    # Staff tools
    "matching:dashboard": Rule(allowed=STAFF),
    "matching:import": Rule(allowed=STAFF),
    "matching:import_template": Rule(allowed=STAFF, kwargs={"kind": "companies"}),
    "reminders:dashboard": Rule(allowed=STAFF),
    "reminders:retry": post(record="delivery", own_forbidden=STAFF_ONLY),
    # Centers and buyers
    "centers:center_list": Rule(),
    "centers:center_create": Rule(allowed=STAFF),
    "centers:center_detail": Rule(record="center", shared_for=("company",)),
    "centers:center_update": edit(record="center", own_forbidden=STAFF_ONLY, shared_for=("company",)),
    "centers:center_delete": edit(record="center", own_forbidden=STAFF_ONLY, shared_for=("company",)),
    "centers:buyer_list": Rule(),
    "centers:buyer_create": Rule(allowed=("staff", "center")),
    "centers:buyer_detail": Rule(record="buyer"),
    "centers:buyer_update": edit(record="buyer", own_forbidden=NOT_COMPANY),
    "centers:buyer_delete": edit(record="buyer", own_forbidden=STAFF_ONLY),
    "centers:buyer_status": post(record="buyer", own_forbidden=NOT_COMPANY),
    # Companies
    "matching:company_list": Rule(),
    "matching:company_create": Rule(allowed=STAFF),
    "matching:company_detail": Rule(record="company"),
    "matching:company_update": edit(record="company", own_forbidden=("center",)),
    "matching:company_delete": edit(record="company", own_forbidden=STAFF_ONLY),
    # Matches
    "matching:match_list": Rule(),
    "matching:match_create": Rule(allowed=STAFF),
    "matching:match_detail": Rule(record="match"),
    "matching:match_update": edit(record="match", own_forbidden=STAFF_ONLY),
    "matching:match_delete": edit(record="match", own_forbidden=STAFF_ONLY),
    # Consultations
    "matching:consultation_list": Rule(),
    "matching:consultation_create": Rule(allowed=("staff", "center")),
    "matching:consultation_time_preview": Rule(),
    "matching:consultation_detail": Rule(record="consultation"),
    "matching:consultation_update": edit(record="consultation", own_forbidden=NOT_COMPANY),
    "matching:consultation_delete": edit(record="consultation", own_forbidden=STAFF_ONLY),
    # Sample shipments
    "matching:shipment_list": Rule(),
    "matching:shipment_request": Rule(allowed=("staff", "company")),
    "matching:shipment_detail": Rule(record="shipment"),
    "matching:shipment_delete": edit(record="shipment", own_forbidden=STAFF_ONLY),
    "matching:shipment_step": post(record="shipment", kwargs={"action": "approve"}, own_forbidden=STAFF_ONLY),
    "matching:shipment_documents_add": post(record="shipment", own_forbidden=("center",)),
    "matching:shipment_document": Rule(record="shipment", related={"document_pk": "document"}),
    # Outcomes and events
    "matching:outcome_list": Rule(),
    "matching:outcome_create": Rule(allowed=STAFF),
    "matching:outcome_detail": Rule(record="outcome"),
    "matching:outcome_update": edit(record="outcome", own_forbidden=STAFF_ONLY),
    "matching:outcome_delete": edit(record="outcome", own_forbidden=STAFF_ONLY),
    "matching:event_list": Rule(),
    "matching:event_create": Rule(allowed=STAFF),
    "matching:event_detail": Rule(record="event", shared_for=("company", "center")),
    "matching:event_update": edit(record="event", own_forbidden=STAFF_ONLY, shared_for=("company", "center")),
    "matching:event_delete": edit(record="event", own_forbidden=STAFF_ONLY, shared_for=("company", "center")),
    # Recommendations
    "matching:company_recommendations": Rule(record="company", own_forbidden=NOT_COMPANY),
    "matching:buyer_recommendations": Rule(record="buyer", own_forbidden=NOT_COMPANY),
    "matching:recommendation_accept": post(
        record="company", record_kwarg="company_pk", related={"buyer_pk": "buyer"}, own_forbidden=STAFF_ONLY
    ),
    "matching:recommendation_dismiss": post(
        record="company", record_kwarg="company_pk", related={"buyer_pk": "buyer"}, own_forbidden=STAFF_ONLY
    ),
    "matching:match_propose": post(
        record="buyer", record_kwarg="buyer_pk", related={"company_pk": "company"}, allowed=("center",)
    ),
    "matching:recommendation_restore": post(
        record="dismissal", own_forbidden=("center",), hidden_from=("company",)
    ),
    # Follow-ups and notifications
    "followups:list": Rule(),
    "followups:create": Rule(allowed=STAFF),
    "followups:detail": Rule(record="follow_up"),
    "followups:complete": post(record="follow_up"),
    "followups:snooze": post(record="follow_up"),
    "followups:hand_on": post(record="follow_up"),
    "notifications:list": Rule(),
    "notifications:read": post(record="notification"),
    "notifications:read_all": post(),
}
