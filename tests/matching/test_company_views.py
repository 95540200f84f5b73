"""The company pages: access by role, fixed query counts, exports, and the form with its products."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Company, Product
from tests import factories as f
from tests.factories import valid_brn
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
    """The user's company matched with a buyer of the user's center; the strangers likewise."""
    f.ProductFactory(company=company, name_ko="조미김", hs_code="200899")
    f.TargetCountryFactory(company=company, country="JP")
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
    f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=other_center))
    return SimpleNamespace(company=company, other_company=other_company, match=match)


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


ACCESS = [
    ("matching:company_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("matching:company_detail", "company", {"staff": 200, "company": 200, "center": 200}),
    ("matching:company_create", None, {"staff": 200, "company": 403, "center": 403}),
    ("matching:company_update", "company", {"staff": 200, "company": 200, "center": 403}),
    ("matching:company_delete", "company", {"staff": 200, "company": 403, "center": 403}),
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
def test_another_tenants_company_is_a_404(client, request, world, role):
    client = client_for(client, request, role)
    assert client.get(_url(world, "matching:company_detail", "other_company")).status_code == 404


def test_a_company_user_cannot_edit_another_company_by_get_or_post(client, company_user, world):
    client.force_login(company_user)
    other = world.other_company
    url = reverse("matching:company_update", args=[other.pk])
    assert client.get(url).status_code == 404
    with rows_unchanged("matching.Company", "matching.Product"), unchanged(other, "name_ko", "version"):
        response = client.post(url, _company_data(name_ko="탈취", version=other.version))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["company", "center"])
def test_only_staff_create_and_delete_companies(client, request, world, role):
    client = client_for(client, request, role)
    with rows_unchanged("matching.Company"):
        assert client.post(reverse("matching:company_create"), _company_data()).status_code == 403
        assert client.post(_url(world, "matching:company_delete", "company")).status_code == 403
        assert client.post(_url(world, "matching:company_delete", "other_company")).status_code == 404


def test_lists_show_each_user_only_their_companies(client, company_user, center_user, world):
    for user in (company_user, center_user):
        client.force_login(user)
        page = client.get(reverse("matching:company_list")).context["page_obj"]
        assert [c.pk for c in page] == [world.company.pk]


# --- Fixed query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [10, 100])
def test_the_company_list_runs_seven_queries_whatever_its_length(
    client, staff_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        company = f.CompanyFactory()
        f.ProductFactory(company=company)
        f.ProductFactory(company=company, hs_code="121221")
        f.TargetCountryFactory(company=company)
        f.MatchFactory(company=company)
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4 the page of companies with their match, consultation and outcome
    # counts (sub-selects), 5 their products, 6 their target countries
    # and 7, the unread count of the notification bell
    with django_assert_num_queries(7):
        response = client.get(reverse("matching:company_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


def test_the_company_page_runs_as_many_queries_for_many_related_rows_as_for_few(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:company_detail", args=[world.company.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        match = f.MatchFactory(company=world.company)
        f.ConsultationFactory(match=match)
        f.OutcomeFactory(match=match)
        f.ProductFactory(company=world.company)
        f.TargetCountryFactory(company=world.company, country=f"{chr(65 + _)}E")
        f.ShipmentItemFactory(shipment=f.ShipmentFactory(company=world.company, match=match))
        f.FollowUpFactory(match=match)
    assert count() == few <= 12  # the page budget of `make bench`


def test_the_company_page_shows_its_markets_and_its_active_accounts(client, request, world, company_user):
    f.TargetCountryFactory(company=world.company, country="AE")
    f.UserFactory(role="company", company=world.company, username="kim", first_name="Minji", last_name="Kim")
    f.UserFactory(role="company", company=world.company, username="gone", first_name="", is_active=False)
    f.UserFactory(role="company", company=world.other_company, username="stranger", first_name="")
    for role in ("staff", "company", "center"):
        response = client_for(client, request, role).get(_url(world, "matching:company_detail", "company"))
        context = response.context
        assert context["target_countries"] == ["AE", "JP"]
        assert "United Arab Emirates" in response.content.decode()
        # A center manager sees the company's records, not who signs in for it
        accounts = [] if role == "center" else sorted([str(company_user), "Minji Kim"])
        assert context["account_names"] == accounts, role


def test_a_company_without_markets_or_accounts_says_so(client, staff_user):
    company = f.CompanyFactory()
    client.force_login(staff_user)
    response = client.get(reverse("matching:company_detail", args=[company.pk]))
    assert (response.context["target_countries"], response.context["account_names"]) == ([], [])
    assert "No target country yet." in response.content.decode()


def test_a_busy_companys_page_shows_its_latest_rows_and_what_it_has_in_all(client, request, world, center):
    from matching.views.companies import RECENT

    for _ in range(RECENT + 2):
        match = f.MatchFactory(company=world.company, buyer=f.BuyerFactory(center=center))
        f.ConsultationFactory(match=match)
        f.OutcomeFactory(match=match)
    f.ConsultationFactory(match=world.match, status="cancelled")
    for role in ("staff", "company", "center"):
        response = client_for(client, request, role).get(_url(world, "matching:company_detail", "company"))
        company, context = response.context["object"], response.context
        assert len(context["matches"]) == len(context["consultations"]) == len(context["outcomes"]) == RECENT
        # The cancelled consultation is among the rows behind the link, not among the counted ones
        assert (company.match_total, company.consultation_total, company.outcome_total) == (
            RECENT + 3,
            RECENT + 3,
            RECENT + 2,
        )
        assert f"{RECENT} / {RECENT + 3}" in response.content.decode()


# --- Filters and exports -------------------------------------------------------------------------------
def test_companies_filter_by_hs_prefix_target_country_matches_and_search(client, staff_user, world):
    lone = f.CompanyFactory(name_ko="외톨이", business_registration_number=valid_brn(7777))
    f.ProductFactory(company=lone, name_ko="전력변환장치", hs_code="850440")
    f.TargetCountryFactory(company=lone, country="AE")
    client.force_login(staff_user)

    def names(**params):
        return [c.name_ko for c in client.get(reverse("matching:company_list"), params).context["page_obj"]]

    assert names(hs="8504") == ["외톨이"]
    assert names(target_country="AE") == ["외톨이"]
    assert "외톨이" in names(has_matches="false") and "외톨이" not in names(has_matches="true")
    assert names(q="전력변환") == ["외톨이"]
    brn = lone.formatted_registration_number
    assert names(q=brn) == ["외톨이"]


def test_the_company_export_has_the_filtered_rows_with_formulas_escaped(client, staff_user, world):
    f.CompanyFactory(name_ko="+완도수산", city_county="wando", industry="seafood")
    f.CompanyFactory(name_ko="목포해양", city_county="mokpo")
    client.force_login(staff_user)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(client.get(reverse("matching:company_list"), {"q": "완도", "format": fmt}))
        assert column(rows, "Name (Korean)") == ["'+완도수산"]


def test_a_center_manager_exports_only_the_companies_of_their_center(client, center_user, world):
    client.force_login(center_user)
    rows = read_xlsx(client.get(reverse("matching:company_list"), {"format": "xlsx"}))
    assert column(rows, "Name (Korean)") == [world.company.name_ko]
    assert column(rows, "Products (HS code)") == ["조미김 (2008.99)"]


# --- The form ------------------------------------------------------------------------------------------
def _products(rows, initial=0):
    data = {
        "products-TOTAL_FORMS": str(len(rows)),
        "products-INITIAL_FORMS": str(initial),
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"products-{i}-{key}"] = value
    return data


def _company_data(products=(), initial=0, **overrides):
    data = {
        "name_ko": "해남고구마",
        "name_en": "Haenam Sweet Potato",
        "business_registration_number": "124-81-00998",
        "city_county": "haenam",
        "industry": "agri_food",
        "export_experience": "none",
        "target_countries": ["JP", "US"],
        **_products(list(products), initial),
    }
    data.update(overrides)
    return data


def test_staff_register_a_company_with_products_and_markets(client, staff_user):
    client.force_login(staff_user)
    products = [
        {
            "name_ko": "군고구마",
            "name_en": "Roasted sweet potato",
            "hs_code": "0714.20",
            "unit_price_usd": "3.50",
        },
        {"name_ko": "", "name_en": "", "hs_code": "", "unit_price_usd": ""},  # an empty extra row
    ]
    response = client.post(reverse("matching:company_create"), _company_data(products))
    company = Company.objects.get(name_ko="해남고구마")
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    assert company.business_registration_number == "1248100998"
    assert list(company.products.values_list("hs_code", "unit_price_usd")) == [("071420", Decimal("3.50"))]
    assert sorted(company.target_countries.values_list("country", flat=True)) == ["JP", "US"]


def test_the_registration_number_is_shown_formatted_and_checked(client, staff_user, world):
    client.force_login(staff_user)
    response = client.get(reverse("matching:company_update", args=[world.company.pk]))
    assert f'value="{world.company.formatted_registration_number}"' in response.content.decode()

    with rows_unchanged("matching.Company"):
        response = client.post(
            reverse("matching:company_create"), _company_data(business_registration_number="124-81-00999")
        )
    assert "check digit" in str(response.context["form"].errors["business_registration_number"])


def test_a_bad_product_row_is_refused_next_to_its_field_and_nothing_is_saved(client, staff_user):
    client.force_login(staff_user)
    products = [
        {"name_ko": "김", "hs_code": "2008.99"},
        {"name_ko": "이상한 것", "hs_code": "7712.34"},
    ]
    with rows_unchanged("matching.Company", "matching.Product", "matching.CompanyTargetCountry"):
        response = client.post(reverse("matching:company_create"), _company_data(products))
    formset = response.context["formset"]
    assert not formset.forms[0].errors
    assert "chapter 77" in str(formset.forms[1].errors["hs_code"])
    assert "chapter 77" in response.content.decode()


def _edit_data(company, **overrides):
    products = [
        {"id": p.pk, "name_ko": p.name_ko, "name_en": p.name_en, "hs_code": p.hs_code, "unit_price_usd": ""}
        for p in company.products.order_by("name_ko", "pk")
    ]
    data = _company_data(
        products,
        initial=len(products),
        name_ko=company.name_ko,
        business_registration_number=company.business_registration_number,
        city_county=company.city_county,
        industry=company.industry,
        target_countries=[t.country for t in company.target_countries.all()],
        version=company.version,
    )
    data.update(overrides)
    return data


def test_an_edit_changes_adds_and_removes_products_together(client, staff_user, world):
    company = world.company
    f.ProductFactory(company=company, name_ko="파래", hs_code="121221")
    client.force_login(staff_user)
    data = _edit_data(company)
    # row 0: 조미김 renamed; row 1: 파래 removed; row 2: a new product
    data.update(
        {
            "products-0-name_ko": "조미김 (도시락)",
            "products-1-DELETE": "on",
            "products-TOTAL_FORMS": "3",
            "products-2-name_ko": "김부각",
            "products-2-hs_code": "2008.99",
        }
    )
    response = client.post(reverse("matching:company_update", args=[company.pk]), data)
    assert response.status_code == 302
    assert sorted(company.products.values_list("name_ko", flat=True)) == ["김부각", "조미김 (도시락)"]


def test_a_company_user_edits_its_profile_but_not_its_registration_number(client, company_user, world):
    company = world.company
    client.force_login(company_user)
    response = client.get(reverse("matching:company_update", args=[company.pk]))
    assert "business_registration_number" not in response.context["form"].fields

    data = _edit_data(company, name_en="Wando Laver Co.", business_registration_number=valid_brn(4242))
    assert client.post(reverse("matching:company_update", args=[company.pk]), data).status_code == 302
    stored = Company.objects.get(pk=company.pk)
    assert stored.name_en == "Wando Laver Co."
    assert stored.business_registration_number == company.business_registration_number


def test_a_stale_company_edit_is_refused_and_changes_nothing(client, staff_user, world):
    company = world.company
    client.force_login(staff_user)
    data = _edit_data(company, name_ko="새 이름")
    data["products-0-name_ko"] = "바뀐 제품"
    Company.objects.filter(pk=company.pk).update(version=company.version + 1)  # someone saved meanwhile
    with unchanged(company, "name_ko", "version"), rows_unchanged("matching.Product"):
        response = client.post(reverse("matching:company_update", args=[company.pk]), data)
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())
    assert list(company.products.values_list("name_ko", flat=True)) == ["조미김"]


def test_removing_a_product_that_went_out_as_a_sample_saves_nothing(client, staff_user, world):
    company = world.company
    product = company.products.get()
    f.ShipmentItemFactory(shipment=f.ShipmentFactory(company=company), product=product)
    client.force_login(staff_user)
    data = _edit_data(company, name_ko="새 이름", target_countries=["CN"])
    data["products-0-DELETE"] = "on"
    with (
        unchanged(company, "name_ko", "version"),
        rows_unchanged("matching.Product", "matching.CompanyTargetCountry"),
    ):
        response = client.post(reverse("matching:company_update", args=[company.pk]), data)
    assert response.status_code == 200
    assert "went out as samples" in str(response.context["formset"].non_form_errors())
    assert Product.objects.filter(pk=product.pk).exists()
    assert list(company.target_countries.values_list("country", flat=True)) == ["JP"]


def test_a_company_with_matches_is_not_deleted_and_one_without_is(client, staff_user, world):
    client.force_login(staff_user)
    with rows_unchanged("matching.Company"):
        response = client.post(reverse("matching:company_delete", args=[world.company.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    lone = f.CompanyFactory()
    f.ProductFactory(company=lone)
    assert client.post(reverse("matching:company_delete", args=[lone.pk])).status_code == 302
    assert not Company.objects.filter(pk=lone.pk).exists()
