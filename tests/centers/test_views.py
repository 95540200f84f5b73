"""The center and buyer pages: who may open what, fixed query counts, exports and the forms."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers.models import Buyer, BuyerInterest, Center
from centers.services import buyer_change_status
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
    """A buyer of the user's center matched with the user's company, and the same of the strangers."""
    buyer = f.BuyerFactory(center=center, name="Osaka Foods", contact_name="Tanaka", email="t@osaka.example")
    f.BuyerInterestFactory(buyer=buyer, hs_code="200899")
    other_buyer = f.BuyerFactory(center=other_center, name="Dubai Foods", contact_name="Omar")
    match = f.MatchFactory(company=company, buyer=buyer)
    f.MatchFactory(company=other_company, buyer=other_buyer)
    inactive = f.CenterFactory(code="OLD", is_active=False)
    return SimpleNamespace(
        center=center,
        other_center=other_center,
        inactive=inactive,
        buyer=buyer,
        other_buyer=other_buyer,
        match=match,
    )


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


# --- Access: every view, every role --------------------------------------------------------------------
ACCESS = [
    # (url name, object, {role: status}); anonymous visitors are always sent to sign in.
    ("centers:center_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("centers:center_detail", "center", {"staff": 200, "company": 200, "center": 200}),
    ("centers:center_create", None, {"staff": 200, "company": 403, "center": 403}),
    ("centers:center_update", "center", {"staff": 200, "company": 403, "center": 403}),
    ("centers:center_delete", "center", {"staff": 200, "company": 403, "center": 403}),
    ("centers:buyer_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("centers:buyer_detail", "buyer", {"staff": 200, "company": 200, "center": 200}),
    ("centers:buyer_create", None, {"staff": 200, "company": 403, "center": 200}),
    ("centers:buyer_update", "buyer", {"staff": 200, "company": 403, "center": 200}),
    ("centers:buyer_delete", "buyer", {"staff": 200, "company": 403, "center": 403}),
]


@pytest.mark.parametrize(("name", "key", "expected"), ACCESS)
@pytest.mark.parametrize("role", ["staff", "company", "center", None])
def test_each_role_gets_what_it_may_see(client, request, world, name, key, expected, role):
    response = client_for(client, request, role).get(_url(world, name, key))
    if role is None:
        assert_login_redirect(response)
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize(
    ("role", "name", "key"),
    [
        ("center", "centers:center_detail", "other_center"),
        ("company", "centers:center_detail", "inactive"),
        ("company", "centers:buyer_detail", "other_buyer"),
        ("center", "centers:buyer_detail", "other_buyer"),
        ("center", "centers:buyer_update", "other_buyer"),
    ],
)
def test_another_tenants_record_is_a_404(client, request, world, role, name, key):
    client = client_for(client, request, role)
    assert client.get(_url(world, name, key)).status_code == 404


def test_a_center_manager_cannot_edit_another_centers_buyer_by_post(client, center_user, world):
    client.force_login(center_user)
    buyer = world.other_buyer
    with rows_unchanged("centers.Buyer", "centers.BuyerInterest"), unchanged(buyer, "name", "version"):
        response = client.post(
            reverse("centers:buyer_update", args=[buyer.pk]),
            {"name": "Taken over", "country": "AE", "business_type": "importer", "version": buyer.version},
        )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["company", "center"])
def test_only_staff_delete_or_edit_centers_and_delete_buyers(client, request, world, role):
    client = client_for(client, request, role)
    with rows_unchanged("centers.Center", "centers.Buyer"):
        assert client.post(_url(world, "centers:center_delete", "center")).status_code == 403
        assert client.post(_url(world, "centers:center_update", "center"), {"code": "X"}).status_code == 403
        assert client.post(_url(world, "centers:buyer_delete", "buyer")).status_code == 403
        # Another tenant's buyer does not exist for them: 404, never a 403 that confirms it.
        assert client.post(_url(world, "centers:buyer_delete", "other_buyer")).status_code == 404


def test_lists_show_each_user_only_their_rows(client, company_user, center_user, world):
    for user in (company_user, center_user):
        client.force_login(user)
        names = [b.name for b in client.get(reverse("centers:buyer_list")).context["page_obj"]]
        assert names == ["Osaka Foods"]
    client.force_login(center_user)
    codes = [c.code for c in client.get(reverse("centers:center_list")).context["page_obj"]]
    assert codes == ["OSA"]


# --- Fixed query counts --------------------------------------------------------------------------------
def _centers(n):
    for i in range(n):
        center = f.CenterFactory(code=f"Q{i:03d}")
        f.MatchFactory(buyer=f.BuyerFactory(center=center))


@pytest.mark.parametrize("rows", [10, 100])
def test_the_center_list_runs_five_queries_whatever_its_length(
    client, staff_user, django_assert_num_queries, rows
):
    _centers(rows)
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4 the page of centers with their buyer, match, consultation and
    # sample counts (sub-selects)
    # and 5, the unread count of the notification bell
    with django_assert_num_queries(5):
        response = client.get(reverse("centers:center_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


@pytest.mark.parametrize("rows", [10, 100])
def test_the_buyer_list_runs_seven_queries_whatever_its_length(
    client, staff_user, center, django_assert_num_queries, rows
):
    for i in range(rows):
        buyer = f.BuyerFactory(center=center)
        f.BuyerInterestFactory(buyer=buyer, hs_code="200899")
        f.BuyerInterestFactory(buyer=buyer, hs_code=f"{3000 + i % 5}10")
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4 the centers of the filter's select, 5 the page of buyers with their
    # center, contact visibility and match count, 6 their HS interests
    # and 7, the unread count of the notification bell
    with django_assert_num_queries(7):
        response = client.get(reverse("centers:buyer_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_center_and_buyer_pages_run_as_many_queries_for_many_related_rows_as_for_few(
    client, staff_user, center, company, world
):
    client.force_login(staff_user)
    buyer = world.buyer
    urls = [
        reverse("centers:center_detail", args=[center.pk]),
        reverse("centers:buyer_detail", args=[buyer.pk]),
    ]
    few = [_count_queries(client, url) for url in urls]
    for _ in range(6):
        match = f.MatchFactory(buyer=f.BuyerFactory(center=center))
        f.ConsultationFactory(match=match)
        f.OutcomeFactory(match=match)
        f.ShipmentItemFactory(shipment=f.ShipmentFactory(center=center, match=match, company=match.company))
        f.ConsultationFactory(match=world.match)
        f.FollowUpFactory(buyer=buyer)
        f.BuyerStatusChangeFactory(buyer=buyer)
    assert [_count_queries(client, url) for url in urls] == few


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # buyers, open matches, companies, consultations, consulted, samples, received, signed, MOUs
        ("staff", (3, 2, 2, 2, 300, 2, 1, 5_000, 1)),
        ("center", (3, 2, 2, 2, 300, 2, 1, 5_000, 1)),
        ("company", (1, 1, 1, 1, 100, 1, 1, 5_000, 0)),
    ],
)
def test_a_centers_figures_count_what_the_user_may_see(client, request, world, other_company, role, expected):
    center = world.center
    theirs = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center), stage="active")
    f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center), stage="lost")
    f.ConsultationFactory(match=world.match, consulted_amount_usd=100)
    f.ConsultationFactory(match=theirs, consulted_amount_usd=200)
    f.ConsultationFactory(match=theirs, consulted_amount_usd=999, status="cancelled")
    f.ShipmentFactory(
        center=center,
        company=world.match.company,
        match=world.match,
        status="delivered",
        courier="ems",
        tracking_number="EE123456785KR",
        shipped_at="2021-06-01T00:00Z",
        delivered_at="2021-06-05T00:00Z",
    )
    f.ShipmentFactory(center=center, company=other_company, match=theirs)
    f.OutcomeFactory(
        match=world.match, kind="contract", amount=5_000, currency="USD", usd_rate=1, amount_usd=5_000
    )
    f.OutcomeFactory(match=theirs, kind="mou")

    response = client_for(client, request, role).get(reverse("centers:center_detail", args=[center.pk]))
    context = response.context
    figures = context["figures"]
    actual = (
        context["buyer_count"],
        context["open_match_count"],
        context["company_count"],
        figures["consultations"]["count"],
        figures["consultations"]["consulted"],
        figures["samples"]["total"],
        figures["samples"]["received"],
        figures["outcomes"]["usd"],
        figures["outcomes"]["mous"],
    )
    assert actual == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", (3, 2, 2, 1)), ("center", (3, 2, 2, 1)), ("company", (1, 1, 1, 1))],
)
def test_the_list_of_centers_counts_what_the_user_may_see_and_follows_every_write(
    client, request, world, other_company, role, expected
):
    """Buyers, open matches, consultations (not cancelled) and samples. For staff and the center's
    manager the middle two are sums of the rows triggers keep; they follow a conditional UPDATE."""
    from matching.models import Consultation

    center = world.center
    theirs = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center))
    f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center), stage="lost")
    mine = f.ConsultationFactory(match=world.match)
    f.ConsultationFactory(match=theirs)
    f.ConsultationFactory(match=theirs, status="cancelled")
    f.ShipmentFactory(center=center, company=world.match.company, match=world.match)
    client = client_for(client, request, role)

    def counts():
        row = next(
            c for c in client.get(reverse("centers:center_list")).context["page_obj"] if c.pk == center.pk
        )
        return (row.buyer_count, row.open_match_count, row.consultation_count, row.shipment_count)

    assert counts() == expected
    Consultation.objects.filter(pk=mine.pk).update(status="cancelled")
    assert counts()[2] == expected[2] - 1


def test_a_busy_centers_page_shows_the_longest_waiting_buyers_and_the_busiest_companies(
    client, staff_user, center
):
    from centers.views import PIPELINE_CARDS, RECENT

    for i in range(PIPELINE_CARDS + 2):
        f.BuyerFactory(center=center, name=f"Prospect {i}", status="prospect")
    companies = [f.CompanyFactory(name_ko=f"기업 {i:02d}") for i in range(RECENT + 2)]
    for n, company in enumerate(companies):
        for _ in range(1 + n % 3):
            f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center, status="contacted"))
    client.force_login(staff_user)
    context = client.get(reverse("centers:center_detail", args=[center.pk])).context

    prospects = next(c for c in context["pipeline"] if c["status"].value == "prospect")
    assert prospects["total"] == PIPELINE_CARDS + 2 and len(prospects["buyers"]) == PIPELINE_CARDS
    shown = context["companies"]
    assert len(shown) == RECENT and context["company_count"] == RECENT + 2
    assert [c.match_count for c in shown] == sorted((c.match_count for c in shown), reverse=True)
    assert shown[0].match_count == 3


@pytest.mark.parametrize("role", ["staff", "center", "company"])
def test_a_centers_page_names_its_managers_and_only_the_companies_the_user_may_see(
    client, request, world, other_company, center_user, role
):
    f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=world.center))
    f.UserFactory(role="center", center=world.center, username="away", first_name="Away", is_active=False)
    f.UserFactory(role="center", center=world.other_center, username="elsewhere", first_name="Else")
    client = client_for(client, request, role)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("centers:center_detail", args=[world.center.pk]))
    assert len(queries) <= 12  # the page budget of `make bench`

    companies = {company.pk for company in response.context["companies"]}
    if role == "company":  # its own matches only; the center's managers are not its business
        assert companies == {world.match.company_id}
        assert response.context["manager_names"] == []
    else:
        assert companies == {world.match.company_id, other_company.pk}
        assert response.context["manager_names"] == [str(center_user)]
        assert str(center_user) in response.content.decode()


# --- Exports -------------------------------------------------------------------------------------------
def test_the_buyer_export_has_exactly_the_filtered_rows_with_formulas_escaped(client, staff_user, center):
    f.BuyerFactory(center=center, name='=HYPERLINK("http://evil.example")', city="Kobe")
    f.BuyerFactory(center=center, name="Kobe Trading", city="Kobe")
    f.BuyerFactory(center=center, name="Osaka Trading", city="Osaka")
    client.force_login(staff_user)

    rows = read_xlsx(client.get(reverse("centers:buyer_list"), {"q": "Kobe", "format": "xlsx"}))
    assert sorted(column(rows, "Name")) == ['\'=HYPERLINK("http://evil.example")', "Kobe Trading"]

    rows = read_csv(client.get(reverse("centers:buyer_list"), {"q": "Kobe", "format": "csv"}))
    assert sorted(column(rows, "Name")) == ['\'=HYPERLINK("http://evil.example")', "Kobe Trading"]
    assert "Pipeline status" in rows[0]


def test_a_center_manager_exports_only_their_centers_buyers(client, center_user, world):
    client.force_login(center_user)
    rows = read_csv(client.get(reverse("centers:buyer_list"), {"format": "csv"}))
    assert column(rows, "Name") == ["Osaka Foods"]


def test_a_company_user_exports_no_contact_and_no_pipeline_unless_shared(client, company_user, world):
    client.force_login(company_user)
    rows = read_xlsx(client.get(reverse("centers:buyer_list"), {"format": "xlsx"}))
    assert column(rows, "Name") == ["Osaka Foods"]
    assert column(rows, "Contact person") == [""] and column(rows, "E-mail") == [""]
    assert "Pipeline status" not in rows[0] and "Notes" not in rows[0]

    world.match.contact_shared = True
    world.match.save()
    rows = read_xlsx(client.get(reverse("centers:buyer_list"), {"format": "xlsx"}))
    assert column(rows, "Contact person") == ["Tanaka"]


def test_the_center_export_reads_back(client, staff_user, world):
    client.force_login(staff_user)
    rows = read_csv(
        client.get(reverse("centers:center_list"), {"country": "JP", "is_active": "true", "format": "csv"})
    )
    assert column(rows, "Code") == ["OSA"]


# --- What a company user reads of a buyer --------------------------------------------------------------
def test_a_company_user_sees_the_buyers_contact_only_when_a_match_shares_it(client, company_user, world):
    client.force_login(company_user)
    url = reverse("centers:buyer_detail", args=[world.buyer.pk])
    page = client.get(url).content.decode()
    assert "Tanaka" not in page and "t@osaka.example" not in page
    assert "Tanaka" not in client.get(reverse("centers:buyer_list")).content.decode()

    world.match.contact_shared = True
    world.match.save()
    assert "t@osaka.example" in client.get(url).content.decode()
    assert "Tanaka" in client.get(reverse("centers:buyer_list")).content.decode()


def test_a_company_user_neither_sees_nor_filters_by_the_pipeline(client, company_user, world):
    buyer_change_status(buyer_id=world.buyer.pk, to_status="contacted", expected_status="prospect", by=None)
    client.force_login(company_user)
    response = client.get(reverse("centers:buyer_detail", args=[world.buyer.pk]))
    assert response.context["status_changes"] == []
    assert "buyer-status" not in response.content.decode()
    response = client.get(reverse("centers:buyer_list"), {"status": "contacted"})
    assert "status" not in response.context["filter"].form.fields
    assert [b.name for b in response.context["page_obj"]] == ["Osaka Foods"]


def test_staff_see_the_status_history_on_the_buyers_page(client, staff_user, world):
    buyer_change_status(
        buyer_id=world.buyer.pk, to_status="contacted", expected_status="prospect", by=staff_user
    )
    client.force_login(staff_user)
    response = client.get(reverse("centers:buyer_detail", args=[world.buyer.pk]))
    assert [c.to_status for c in response.context["status_changes"]] == ["contacted"]
    assert any("Contacted" in e.title for e in response.context["timeline"])


# --- Filters -------------------------------------------------------------------------------------------
def test_buyers_filter_by_hs_prefix_import_volume_and_days_without_a_status_move(client, staff_user, center):
    from datetime import timedelta

    from django.utils import timezone

    old = f.BuyerFactory(center=center, name="Old", annual_import_usd=500_000)
    old.status_changed_at = timezone.now() - timedelta(days=40)
    old.save()
    f.BuyerInterestFactory(buyer=old, hs_code="200899")
    f.BuyerFactory(center=center, name="New", annual_import_usd=50_000)
    client.force_login(staff_user)

    def names(**params):
        response = client.get(reverse("centers:buyer_list"), params)
        return [b.name for b in response.context["page_obj"]]

    assert names(hs="2008") == ["Old"]
    assert names(hs="2008.99") == ["Old"]
    assert names(import_min=100_000) == ["Old"]
    assert names(import_max=100_000) == ["New"]
    assert names(unchanged_days=30) == ["Old"]


def test_an_htmx_request_gets_only_the_results(client, staff_user, world):
    client.force_login(staff_user)
    response = client.get(reverse("centers:buyer_list"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<nav" not in html.split('<div id="results"')[0]


# --- The buyer form ------------------------------------------------------------------------------------
def _buyer_data(**overrides):
    data = {
        "name": "Kansai Foods",
        "country": "JP",
        "city": "Kobe",
        "business_type": "importer",
        "contact_name": "Sato",
        "email": "sato@kansai.example",
        "hs_codes": "2008.99, 030211",
    }
    data.update(overrides)
    return data


def test_staff_register_a_buyer_with_its_hs_codes(client, staff_user, center):
    client.force_login(staff_user)
    response = client.post(reverse("centers:buyer_create"), _buyer_data(center=center.pk))
    buyer = Buyer.objects.get(name="Kansai Foods")
    assert response.status_code == 302 and response["Location"] == buyer.get_absolute_url()
    assert sorted(buyer.interests.values_list("hs_code", flat=True)) == ["030211", "200899"]
    assert buyer.status == "prospect" and buyer.history.first().history_user == staff_user


def test_a_bad_hs_code_is_named_next_to_the_field_and_nothing_is_saved(client, staff_user, center):
    client.force_login(staff_user)
    with rows_unchanged("centers.Buyer", "centers.BuyerInterest"):
        response = client.post(
            reverse("centers:buyer_create"), _buyer_data(center=center.pk, hs_codes="2008.99, 7701.10")
        )
    assert response.status_code == 200
    assert "7701.10" in str(response.context["form"].errors["hs_codes"])
    field = _field_html(response, "hs_codes")
    assert "is-invalid" in field and "7701.10" in field and "invalid-feedback" in field


def _field_html(response, name: str) -> str:
    """The markup of one field: its label, input and the errors shown under it."""
    html = response.content.decode()
    start = html.index(f'id="field-{name}"')
    return html[start : html.index('<div class="mb-3', start)]


def test_a_center_manager_cannot_place_a_buyer_at_another_center(client, center_user, center, other_center):
    client.force_login(center_user)
    response = client.post(reverse("centers:buyer_create"), _buyer_data(center=other_center.pk))
    assert response.status_code == 302
    assert Buyer.objects.get(name="Kansai Foods").center == center


def test_a_center_manager_cannot_move_their_buyer_to_another_center(client, center_user, world):
    client.force_login(center_user)
    buyer = world.buyer
    data = _buyer_data(name="Osaka Foods", center=world.other_center.pk, version=buyer.version)
    assert client.post(reverse("centers:buyer_update", args=[buyer.pk]), data).status_code == 302
    buyer.refresh_from_db()
    assert buyer.center == world.center and buyer.city == "Kobe"


def test_the_buyer_form_does_not_change_the_pipeline_status(client, staff_user, world):
    client.force_login(staff_user)
    buyer = world.buyer
    data = _buyer_data(name="Osaka Foods", center=buyer.center_id, version=buyer.version, status="contracted")
    assert client.post(reverse("centers:buyer_update", args=[buyer.pk]), data).status_code == 302
    buyer.refresh_from_db()
    assert buyer.status == "prospect"


def test_a_stale_buyer_edit_is_refused_and_changes_nothing(client, center_user, world):
    buyer = world.buyer
    opened_on = buyer.version
    buyer_change_status(buyer_id=buyer.pk, to_status="contacted", expected_status="prospect", by=None)
    client.force_login(center_user)
    with unchanged(buyer, "name", "city", "version"), rows_unchanged("centers.BuyerInterest"):
        response = client.post(
            reverse("centers:buyer_update", args=[buyer.pk]),
            _buyer_data(name="Renamed", hs_codes="0302.11", version=opened_on),
        )
    assert response.status_code == 200
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())
    assert list(buyer.interests.values_list("hs_code", flat=True)) == ["200899"]


def test_a_refused_buyer_edit_saves_nothing_at_all(client, center_user, world, center):
    """The duplicate is found by the service after the version was claimed: all of it rolls back."""
    f.BuyerFactory(center=center, name="Taken Name", country="JP")
    buyer = world.buyer
    client.force_login(center_user)
    with unchanged(buyer, "name", "version"), rows_unchanged("centers.BuyerInterest"):
        response = client.post(
            reverse("centers:buyer_update", args=[buyer.pk]),
            _buyer_data(name="taken name", hs_codes="0302.11", version=buyer.version),
        )
    assert response.status_code == 200
    assert "already has a buyer of that name" in str(response.context["form"].non_field_errors())
    assert list(BuyerInterest.objects.filter(buyer=buyer).values_list("hs_code", flat=True)) == ["200899"]


def test_staff_delete_a_buyer_without_matches_and_are_told_why_not_otherwise(
    client, staff_user, world, center
):
    client.force_login(staff_user)
    lonely = f.BuyerFactory(center=center)
    response = client.post(reverse("centers:buyer_delete", args=[lonely.pk]))
    assert response.status_code == 302 and not Buyer.objects.filter(pk=lonely.pk).exists()

    with rows_unchanged("centers.Buyer"):
        response = client.post(reverse("centers:buyer_delete", args=[world.buyer.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()


# --- The center form -----------------------------------------------------------------------------------
def _center_data(**overrides):
    data = {
        "code": "HAN",
        "name_ko": "하노이 센터",
        "name_en": "Hanoi Center",
        "country": "VN",
        "city": "Hanoi",
        "time_zone": "Asia/Ho_Chi_Minh",
        "currency": "VND",
        "business_hours_start": "08:30",
        "business_hours_end": "17:30",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_register_and_edit_a_center(client, staff_user):
    client.force_login(staff_user)
    assert client.post(reverse("centers:center_create"), _center_data()).status_code == 302
    center = Center.objects.get(code="HAN")
    data = _center_data(city="Ha Noi", version=center.version)
    assert client.post(reverse("centers:center_update", args=[center.pk]), data).status_code == 302
    center.refresh_from_db()
    assert center.city == "Ha Noi" and center.version == 2


def test_center_form_errors_stand_next_to_their_fields(client, staff_user):
    client.force_login(staff_user)
    with rows_unchanged("centers.Center"):
        response = client.post(
            reverse("centers:center_create"),
            _center_data(code="bad code", business_hours_start="19:00", time_zone="Mars/Olympus"),
        )
    form = response.context["form"]
    assert set(form.errors) >= {"code", "time_zone"}
    assert "open before it closes" in str(form.non_field_errors())


def test_a_stale_center_edit_is_refused(client, staff_user, center):
    client.force_login(staff_user)
    opened_on = center.version
    Center.objects.filter(pk=center.pk).update(version=opened_on + 1)
    with unchanged(center, "city", "version"):
        response = client.post(
            reverse("centers:center_update", args=[center.pk]),
            _center_data(code="OSA", city="Kyoto", version=opened_on),
        )
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())


def test_a_center_with_buyers_is_not_deleted(client, staff_user, world):
    client.force_login(staff_user)
    with rows_unchanged("centers.Center"):
        response = client.post(reverse("centers:center_delete", args=[world.center.pk]))
    assert response.status_code == 302 and response["Location"] == world.center.get_absolute_url()
