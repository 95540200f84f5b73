"""The match pages: access by role, fixed query counts, exports, creating and editing a match."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Match
from tests import factories as f
from tests.viewtools import (
    assert_login_redirect,
    client_for,
    column,
    read_csv,
    read_xlsx,
    rows_unchanged,
    unchanged,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world(center, other_center, company, other_company):
    buyer = f.BuyerFactory(center=center, name="Osaka Foods", contact_name="Tanaka", email="t@osaka.example")
    match = f.MatchFactory(company=company, buyer=buyer, stage="active", notes="Price list sent")
    other_match = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=other_center))
    return SimpleNamespace(match=match, other_match=other_match, buyer=buyer)


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


ACCESS = [
    ("matching:match_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("matching:match_detail", "match", {"staff": 200, "company": 200, "center": 200}),
    ("matching:match_create", None, {"staff": 200, "company": 403, "center": 403}),
    ("matching:match_update", "match", {"staff": 200, "company": 403, "center": 403}),
    ("matching:match_delete", "match", {"staff": 200, "company": 403, "center": 403}),
]


@pytest.mark.parametrize(("name", "key", "expected"), ACCESS)
@pytest.mark.parametrize("role", ["staff", "company", "center", None])
def test_each_role_gets_what_it_may_see(client, request, world, name, key, expected, role):
    response = client_for(client, request, role).get(_url(world, name, key))
    if role is None:
        assert_login_redirect(response)
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ["company", "center"])
def test_another_tenants_match_is_a_404_and_its_forms_are_closed(client, request, world, role):
    client = client_for(client, request, role)
    other = world.other_match
    assert client.get(_url(world, "matching:match_detail", "other_match")).status_code == 404
    with rows_unchanged("matching.Match"), unchanged(other, "stage", "notes", "version"):
        response = client.post(
            _url(world, "matching:match_update", "other_match"),
            {"stage": "won", "notes": "x", "version": other.version},
        )
        assert response.status_code == 404
        assert client.post(_url(world, "matching:match_delete", "other_match")).status_code == 404
        response = client.post(
            reverse("matching:match_create"), {"company": other.company_id, "buyer": world.buyer.pk}
        )
        assert response.status_code == 403


def test_lists_show_each_user_only_their_matches(client, company_user, center_user, world):
    for user in (company_user, center_user):
        client.force_login(user)
        assert [m.pk for m in client.get(reverse("matching:match_list")).context["page_obj"]] == [
            world.match.pk
        ]


# --- Fixed query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [10, 100])
def test_the_match_list_runs_eight_queries_whatever_its_length(
    client, staff_user, center, django_assert_num_queries, rows
):
    company = f.CompanyFactory()
    for _ in range(rows):
        match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
        f.ConsultationFactory(match=match)
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4-6 the filter's selects (centers, companies, buyers with their
    # center), 7 the page of matches with company, buyer and center and their counts (sub-selects)
    # and 8, the unread count of the notification bell
    with django_assert_num_queries(8):
        response = client.get(reverse("matching:match_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


def test_the_match_page_runs_as_many_queries_for_many_related_rows_as_for_few(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:match_detail", args=[world.match.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        consultation = f.ConsultationFactory(match=world.match)
        f.OutcomeFactory(match=world.match, consultation=consultation)
        f.ShipmentItemFactory(shipment=f.ShipmentFactory(company=world.match.company, match=world.match))
        f.FollowUpFactory(match=world.match)
    assert count() == few


# --- Filters and exports -------------------------------------------------------------------------------
def test_matches_filter_by_stage_center_and_contact_sharing(client, staff_user, world, center):
    f.MatchFactory(buyer=f.BuyerFactory(center=center), stage="won", contact_shared=True)
    client.force_login(staff_user)

    def stages(**params):
        return sorted(m.stage for m in client.get(reverse("matching:match_list"), params).context["page_obj"])

    assert stages(center=center.pk) == ["active", "won"]
    assert stages(stage="won") == ["won"]
    assert stages(contact_shared="true") == ["won"]


def test_the_match_export_has_the_filtered_rows_with_formulas_escaped(client, staff_user, world, center):
    f.MatchFactory(buyer=f.BuyerFactory(center=center, name="@SUM(A1:A9)"))
    client.force_login(staff_user)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(client.get(reverse("matching:match_list"), {"q": "SUM", "format": fmt}))
        assert column(rows, "Buyer") == ["'@SUM(A1:A9)"]


def test_a_company_user_exports_its_matches_without_jntps_notes(client, company_user, world):
    client.force_login(company_user)
    rows = read_csv(client.get(reverse("matching:match_list"), {"format": "csv"}))
    assert column(rows, "Buyer") == ["Osaka Foods"]
    assert "Notes" not in rows[0]


# --- The buyer's contact on the match page -------------------------------------------------------------
def test_the_company_sees_the_buyers_contact_once_the_match_shares_it(
    client, company_user, staff_user, world
):
    client.force_login(company_user)
    url = reverse("matching:match_detail", args=[world.match.pk])
    page = client.get(url).content.decode()
    assert "t@osaka.example" not in page and "Price list sent" not in page

    client.force_login(staff_user)
    data = {"stage": "active", "contact_shared": "on", "notes": "", "version": world.match.version}
    assert client.post(reverse("matching:match_update", args=[world.match.pk]), data).status_code == 302

    client.force_login(company_user)
    page = client.get(url).content.decode()
    assert "t@osaka.example" in page and "Tanaka" in page


# --- Creating and editing ------------------------------------------------------------------------------
def test_staff_match_a_company_with_a_buyer(client, staff_user, company, center):
    buyer = f.BuyerFactory(center=center)
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:match_create"),
        {"company": company.pk, "buyer": buyer.pk, "source": "fair", "notes": "Met at the festival"},
    )
    match = Match.objects.get(company=company, buyer=buyer)
    assert response.status_code == 302 and response["Location"] == match.get_absolute_url()
    assert match.source == "fair" and match.created_by == staff_user
    assert match.history.first().history_user == staff_user


def test_matching_the_same_pair_twice_is_refused_with_the_services_message(client, staff_user, world):
    client.force_login(staff_user)
    match = world.match
    with rows_unchanged("matching.Match"):
        response = client.post(
            reverse("matching:match_create"),
            {"company": match.company_id, "buyer": match.buyer_id, "source": "staff"},
        )
    assert response.status_code == 200
    assert "This company is already matched with this buyer." in response.content.decode()


def test_the_stage_moves_forward_and_the_move_is_on_the_timeline(client, staff_user, world):
    client.force_login(staff_user)
    match = world.match
    data = {"stage": "negotiation", "notes": "Talking prices", "version": match.version}
    assert client.post(reverse("matching:match_update", args=[match.pk]), data).status_code == 302
    match.refresh_from_db()
    assert match.stage == "negotiation" and match.notes == "Talking prices"
    timeline = client.get(reverse("matching:match_detail", args=[match.pk])).context["timeline"]
    assert any(e.title == "Stage: Active → Negotiation" for e in timeline)


def test_a_stage_cannot_move_backwards_and_the_error_is_next_to_it(client, staff_user, world):
    client.force_login(staff_user)
    match = world.match
    with unchanged(match, "stage", "version"):
        response = client.post(
            reverse("matching:match_update", args=[match.pk]),
            {"stage": "proposed", "version": match.version},
        )
    assert "stage" in response.context["form"].errors


def test_a_stale_match_edit_is_refused(client, staff_user, world):
    client.force_login(staff_user)
    match = world.match
    Match.objects.filter(pk=match.pk).update(version=match.version + 1)
    with unchanged(match, "stage", "notes"):
        response = client.post(
            reverse("matching:match_update", args=[match.pk]),
            {"stage": "won", "notes": "Done", "version": match.version},
        )
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())


def test_a_match_with_consultations_is_not_deleted(client, staff_user, world):
    f.ConsultationFactory(match=world.match)
    client.force_login(staff_user)
    with rows_unchanged("matching.Match"):
        response = client.post(reverse("matching:match_delete", args=[world.match.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
