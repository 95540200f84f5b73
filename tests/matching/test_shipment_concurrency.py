"""A sample request sent several times at once (double click, a resent form) creates one shipment."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from matching import services
from matching.models import SampleShipment, ShipmentItem, ShipmentStatusChange
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_identical_requests_at_once_create_one_shipment(company, company_user, center):
    product = f.ProductFactory(company=company)
    key = uuid.uuid4()
    barrier = threading.Barrier(10)
    created = []

    def submit():
        try:
            barrier.wait(timeout=10)
            shipment = services.shipment_request(
                company=company,
                center=center,
                purpose="Tasting",
                requested_by=company_user,
                idempotency_key=key,
                items=[{"product": product, "quantity": 4, "declared_value_usd": Decimal(20)}],
            )
            created.append(shipment.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(created) == 10 and len(set(created)) == 1
    assert SampleShipment.objects.count() == 1
    assert ShipmentItem.objects.count() == 1
    assert ShipmentStatusChange.objects.count() == 1


def test_two_approvals_at_once_cannot_spend_the_cap_twice(
    company, company_user, center, staff_user, settings
):
    settings.SAMPLE_SUPPORT_YEARLY_CAP_KRW = 100_000
    shipments = [
        services.shipment_request(
            company=company,
            center=center,
            purpose="x",
            requested_by=company_user,
            idempotency_key=uuid.uuid4(),
            items=[{"product": f.ProductFactory(company=company), "quantity": 1, "declared_value_usd": 1}],
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(shipment):
        try:
            barrier.wait(timeout=10)
            services.shipment_approve(shipment=shipment, by=staff_user, cost_support_krw=Decimal(70_000))
            outcomes.append("ok")
        except Exception as error:  # the loser hits the cap
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s,)) for s in shipments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ValidationError", "ok"]
    assert sum(s.cost_support_krw for s in SampleShipment.objects.all()) == 70_000
