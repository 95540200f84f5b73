"""The outcome pages: access by role, fixed query counts, exports, and recording outcomes in USD."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Outcome
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
    f.ExchangeRateFactory(currency="JPY", month=date(2021, 12, 1), units_per_usd=Decimal("113.9"))
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center, name="Osaka Foods"))
    outcome = f.OutcomeFactory(
        match=match,
        kind="export_agreement",
        signed_on=date(2021, 12, 1),
        amount=Decimal("54672000"),
        currency="JPY",
        usd_rate=Decimal("113.9"),
        amount_usd=Decimal("480000"),
        title="Laver for Osaka",
    )
    other_match = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=other_center))
    other = f.OutcomeFactory(match=other_match, kind="mou", signed_on=date(2021, 6, 1))
    return SimpleNamespace(match=match, outcome=outcome, other=other, other_match=other_match)


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


ACCESS = [
    ("matching:outcome_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("matching:outcome_detail", "outcome", {"staff": 200, "company": 200, "center": 200}),
    ("matching:outcome_create", None, {"staff": 200, "company": 403, "center": 403}),
    ("matching:outcome_update", "outcome", {"staff": 200, "company": 403, "center": 403}),
    ("matching:outcome_delete", "outcome", {"staff": 200, "company": 403, "center": 403}),
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
def test_another_tenants_outcome_is_a_404_and_its_forms_are_closed(client, request, world, role):
    client = client_for(client, request, role)
    other = world.other
    assert client.get(_url(world, "matching:outcome_detail", "other")).status_code == 404
    with rows_unchanged("matching.Outcome"), unchanged(other, "kind", "version"):
        data = {"match": other.match_id, "kind": "contract", "signed_on": "2021-06-01", "version": 1}
        assert client.post(_url(world, "matching:outcome_update", "other"), data).status_code == 404
        assert client.post(_url(world, "matching:outcome_delete", "other")).status_code == 404
        assert client.post(reverse("matching:outcome_create"), data).status_code == 403


def test_lists_show_each_user_only_their_outcomes(client, company_user, center_user, world):
    for user in (company_user, center_user):
        client.force_login(user)
        page = client.get(reverse("matching:outcome_list")).context["page_obj"]
        assert [o.pk for o in page] == [world.outcome.pk]


# --- Fixed query counts -----------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [10, 100])
def test_the_outcome_list_runs_eight_queries_whatever_its_length(
    client, staff_user, center, django_assert_num_queries, rows
):
    event = f.ExportEventFactory()
    for _ in range(rows):
        f.OutcomeFactory(match=f.MatchFactory(buyer=f.BuyerFactory(center=center)), event=event)
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4-6 the filter's selects (centers, companies, events), 7 the page of
    # outcomes with company, buyer, center and event
    # and 8, the unread count of the notification bell
    with django_assert_num_queries(8):
        response = client.get(reverse("matching:outcome_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


def test_the_outcome_page_runs_as_many_queries_for_many_follow_ups_as_for_few(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:outcome_detail", args=[world.outcome.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        f.FollowUpFactory(outcome=world.outcome)
    assert count() == few


# --- Filters and exports ------------------------------------------------------------------------------
def test_outcomes_filter_by_kind_dates_and_usd_range(client, staff_user, world):
    client.force_login(staff_user)

    def pks(**params):
        return {o.pk for o in client.get(reverse("matching:outcome_list"), params).context["page_obj"]}

    assert pks(kind="mou") == {world.other.pk}
    assert pks(signed_from="2021-11-01", signed_to="2021-12-31") == {world.outcome.pk}
    assert pks(usd_min=400000, usd_max=500000) == {world.outcome.pk}
    assert pks(company=world.match.company_id) == {world.outcome.pk}
    assert pks(center=world.match.buyer.center_id) == {world.outcome.pk}
    assert pks(center=world.other_match.buyer.center_id) == {world.other.pk}


def test_the_outcome_export_has_the_filtered_rows_with_formulas_escaped(client, staff_user, world):
    f.OutcomeFactory(match=world.match, title="=1+1 agreement", signed_on=date(2021, 3, 1))
    client.force_login(staff_user)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(client.get(reverse("matching:outcome_list"), {"q": "agreement", "format": fmt}))
        assert column(rows, "Title") == ["'=1+1 agreement"]


def test_a_center_manager_exports_only_their_centers_outcomes(client, center_user, world):
    client.force_login(center_user)
    rows = read_xlsx(client.get(reverse("matching:outcome_list"), {"format": "xlsx"}))
    assert column(rows, "Title") == ["Laver for Osaka"]
    assert column(rows, "Amount (USD)") == [480000]


# --- Recording and editing -----------------------------------------------------------------------------
def _outcome_data(match, **overrides):
    data = {
        "match": match.pk,
        "kind": "contract",
        "signed_on": "2021-12-10",
        "amount": "11390000",
        "currency": "JPY",
        "title": "First order",
    }
    data.update(overrides)
    return data


def test_an_outcome_in_yen_is_recorded_in_usd_at_the_stored_rate(client, staff_user, world):
    client.force_login(staff_user)
    response = client.post(reverse("matching:outcome_create"), _outcome_data(world.match))
    outcome = Outcome.objects.get(title="First order")
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    assert outcome.amount_usd == Decimal("100000.00") and outcome.usd_rate == Decimal("113.9")
    assert outcome.created_by == staff_user


def test_a_missing_rate_is_a_clear_error_next_to_the_currency_and_nothing_is_saved(client, staff_user, world):
    client.force_login(staff_user)
    with rows_unchanged("matching.Outcome"):
        response = client.post(reverse("matching:outcome_create"), _outcome_data(world.match, currency="EUR"))
    errors = response.context["form"].errors
    assert "No USD rate is stored for EUR in 2021-12" in str(errors["currency"])
    assert "is-invalid" in response.context["form"]["currency"].as_widget()


def test_an_edit_converts_the_amount_again(client, staff_user, world):
    client.force_login(staff_user)
    outcome = world.outcome
    data = _outcome_data(world.match, kind="export_agreement", amount="22780000", version=outcome.version)
    assert client.post(reverse("matching:outcome_update", args=[outcome.pk]), data).status_code == 302
    outcome.refresh_from_db()
    assert outcome.amount_usd == Decimal("200000.00")


def test_an_edit_to_a_month_without_a_rate_is_refused_and_changes_nothing(client, staff_user, world):
    client.force_login(staff_user)
    outcome = world.outcome
    data = _outcome_data(world.match, signed_on="2021-02-03", version=outcome.version)
    with unchanged(outcome, "signed_on", "amount_usd", "version"):
        response = client.post(reverse("matching:outcome_update", args=[outcome.pk]), data)
    assert "2021-02" in str(response.context["form"].errors["currency"])


def test_a_stale_outcome_edit_is_refused(client, staff_user, world):
    client.force_login(staff_user)
    outcome = world.outcome
    Outcome.objects.filter(pk=outcome.pk).update(version=outcome.version + 1)
    data = _outcome_data(world.match, version=outcome.version)
    with unchanged(outcome, "kind", "amount"):
        response = client.post(reverse("matching:outcome_update", args=[outcome.pk]), data)
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())


def test_a_consultation_of_another_match_is_refused_next_to_the_field(client, staff_user, world):
    client.force_login(staff_user)
    stranger = f.ConsultationFactory(match=world.other_match)
    with rows_unchanged("matching.Outcome"):
        response = client.post(
            reverse("matching:outcome_create"), _outcome_data(world.match, consultation=stranger.pk)
        )
    assert "another match" in str(response.context["form"].errors["consultation"])


def test_an_mou_needs_no_amount_but_an_agreement_does(client, staff_user, world):
    client.force_login(staff_user)
    data = _outcome_data(world.match, kind="mou", amount="", title="MOU")
    assert client.post(reverse("matching:outcome_create"), data).status_code == 302
    with rows_unchanged("matching.Outcome"):
        data = _outcome_data(world.match, kind="export_agreement", amount="", title="No amount")
        response = client.post(reverse("matching:outcome_create"), data)
    assert "need an amount" in str(response.context["form"].non_field_errors())


def test_staff_delete_an_outcome(client, staff_user, world):
    client.force_login(staff_user)
    assert client.post(reverse("matching:outcome_delete", args=[world.outcome.pk])).status_code == 302
    assert not Outcome.objects.filter(pk=world.outcome.pk).exists()
