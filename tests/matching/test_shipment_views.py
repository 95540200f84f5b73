"""The sample-shipment list and page: access by role, fixed query counts, filters and exports.

The request form, the workflow buttons and uploads belong to the workflow UI; these pages only read."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from matching.couriers import tracking_url
from tests import factories as f
from tests.viewtools import (
    assert_login_redirect,
    client_for,
    column,
    read_csv,
    read_xlsx,
    rows_unchanged,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world(center, other_center, company, other_company, center_user):
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center, name="Osaka Foods"))
    shipment = f.ShipmentFactory(
        company=company,
        center=center,
        match=match,
        status="shipped",
        courier="dhl",
        tracking_number="1234567890",
        shipped_at=timezone.now() - timedelta(days=2),
        cost_support_krw=Decimal(150000),
    )
    f.ShipmentItemFactory(shipment=shipment, quantity=10, declared_value_usd=Decimal("40"))
    f.ShipmentItemFactory(shipment=shipment, quantity=5, declared_value_usd=Decimal("60"))
    f.ShipmentDocumentFactory(shipment=shipment, original_name="invoice-2021.pdf")
    f.ShipmentStatusChangeFactory(shipment=shipment, to_status="requested")
    f.ShipmentStatusChangeFactory(
        shipment=shipment, from_status="approved", to_status="shipped", changed_by=center_user, note="By DHL"
    )
    other = f.ShipmentFactory(company=other_company, center=other_center)
    f.ShipmentItemFactory(shipment=other)
    return SimpleNamespace(shipment=shipment, other=other, match=match)


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


ACCESS = [
    ("matching:shipment_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("matching:shipment_detail", "shipment", {"staff": 200, "company": 200, "center": 200}),
    ("matching:shipment_delete", "shipment", {"staff": 200, "company": 403, "center": 403}),
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
def test_another_tenants_shipment_is_a_404_and_cannot_be_deleted(client, request, world, role):
    client = client_for(client, request, role)
    assert client.get(_url(world, "matching:shipment_detail", "other")).status_code == 404
    with rows_unchanged("matching.SampleShipment", "matching.ShipmentItem"):
        assert client.post(_url(world, "matching:shipment_delete", "other")).status_code == 404
        assert client.post(_url(world, "matching:shipment_delete", "shipment")).status_code == 403


def test_lists_show_each_user_only_their_shipments(client, company_user, center_user, world):
    for user in (company_user, center_user):
        client.force_login(user)
        page = client.get(reverse("matching:shipment_list")).context["page_obj"]
        assert [s.pk for s in page] == [world.shipment.pk]


# --- The page of one shipment -----------------------------------------------------------------------
def test_the_shipment_page_shows_items_documents_steps_tracking_and_support(client, company_user, world):
    client.force_login(company_user)
    response = client.get(reverse("matching:shipment_detail", args=[world.shipment.pk]))
    page = response.content.decode()
    assert response.context["object"].declared_total == Decimal("100")
    assert [i.quantity for i in response.context["items"]] == [10, 5]
    assert "invoice-2021.pdf" in page
    assert [s.to_status for s in response.context["steps"]][0] == "shipped"
    assert str(world.shipment.requested_by or "") in page
    assert escape(tracking_url("dhl", "1234567890")) in page
    assert "150,000 KRW" in page
    assert any(e.title == "Status: Approved → Shipped" for e in response.context["timeline"])


def test_the_shipment_page_runs_as_many_queries_for_many_related_rows_as_for_few(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:shipment_detail", args=[world.shipment.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        f.ShipmentItemFactory(shipment=world.shipment)
        f.ShipmentDocumentFactory(shipment=world.shipment)
        f.FollowUpFactory(shipment=world.shipment)
    f.ShipmentStatusChangeFactory(shipment=world.shipment, from_status="shipped", to_status="delivered")
    assert count() == few


# --- Filters and exports ------------------------------------------------------------------------------
def test_shipments_filter_by_status_courier_dates_and_declared_value(client, staff_user, world, center):
    cheap = f.ShipmentFactory(company=world.shipment.company, center=center)
    f.ShipmentItemFactory(shipment=cheap, declared_value_usd=Decimal("5"))
    client.force_login(staff_user)

    def pks(**params):
        return {s.pk for s in client.get(reverse("matching:shipment_list"), params).context["page_obj"]}

    assert pks(status="shipped") == {world.shipment.pk}
    assert pks(courier="dhl") == {world.shipment.pk}
    assert pks(value_min=50) == {world.shipment.pk, world.other.pk}
    assert pks(value_max=10) == {cheap.pk}
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert pks(shipped_from=day, shipped_to=day) == {world.shipment.pk}
    assert pks(requested_from=timezone.localdate().isoformat(), center=center.pk) == {
        world.shipment.pk,
        cheap.pk,
    }


def test_the_shipment_export_has_the_filtered_rows_with_formulas_escaped(client, staff_user, world):
    company = f.CompanyFactory(name_ko="-1+2 상사", name_en="-1+2 Trading")
    f.ShipmentFactory(company=company, center=world.shipment.center)
    client.force_login(staff_user)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(client.get(reverse("matching:shipment_list"), {"q": "상사", "format": fmt}))
        assert column(rows, "Company") == ["'-1+2 Trading"]


def test_a_company_user_exports_only_its_shipments(client, company_user, world):
    client.force_login(company_user)
    rows = read_xlsx(client.get(reverse("matching:shipment_list"), {"format": "xlsx"}))
    assert column(rows, "Buyer") == ["Osaka Foods"]
    assert column(rows, "Declared value (USD)") == [100]
    assert column(rows, "Tracking number") == ["1234567890"]


def test_staff_delete_a_shipment_after_confirming(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:shipment_delete", args=[world.other.pk])
    assert "cannot be undone" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not type(world.other).objects.filter(pk=world.other.pk).exists()
