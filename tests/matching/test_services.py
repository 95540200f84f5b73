import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from matching import services
from matching.models import SampleShipment, ShipmentStatusChange
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


# --- Outcomes count in USD at the stored rate of their month -----------------------------------------
def test_an_outcome_in_yen_is_converted_at_the_rate_of_its_month(staff_user):
    f.ExchangeRateFactory(currency="JPY", month=date(2021, 12, 1), units_per_usd=Decimal("113.9"))
    outcome = services.outcome_create(
        match=f.MatchFactory(),
        kind="export_agreement",
        signed_on=date(2021, 12, 1),
        amount=Decimal("54672000"),
        currency="JPY",
        created_by=staff_user,
    )
    assert outcome.usd_rate == Decimal("113.9")
    assert outcome.amount_usd == Decimal("480000.00")


def test_an_outcome_without_a_stored_rate_is_refused_with_the_month_named(staff_user):
    match = f.MatchFactory()
    with pytest.raises(ValidationError) as error:
        services.outcome_create(
            match=match,
            kind="contract",
            signed_on=date(2021, 3, 5),
            amount=Decimal(100),
            currency="EUR",
            created_by=staff_user,
        )
    assert "2021-03" in str(error.value.message_dict["currency"])
    assert not match.outcomes.exists()


def test_an_mou_needs_no_amount(staff_user):
    outcome = services.outcome_create(match=f.MatchFactory(), kind="mou", signed_on=date(2021, 6, 3))
    assert outcome.amount is None and outcome.amount_usd is None


def test_an_agreement_needs_an_amount():
    with pytest.raises(ValidationError):
        services.outcome_create(match=f.MatchFactory(), kind="export_agreement", signed_on=date(2021, 6, 3))


# --- Matches ------------------------------------------------------------------------------------------
def test_matching_the_same_pair_twice_is_refused_with_a_message(staff_user):
    match = f.MatchFactory()
    with pytest.raises(ValidationError, match="already matched"):
        services.match_create(company=match.company, buyer=match.buyer, created_by=staff_user)


# --- The sample workflow ------------------------------------------------------------------------------
@pytest.fixture
def requested(company, company_user, center):
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
    product = f.ProductFactory(company=company)
    return services.shipment_request(
        company=company,
        center=center,
        match=match,
        purpose="Tasting",
        requested_by=company_user,
        items=[{"product": product, "quantity": 10, "declared_value_usd": Decimal("40")}],
        idempotency_key=uuid.uuid4(),
    )


def test_a_request_submitted_twice_creates_one_shipment(company, company_user, center):
    product = f.ProductFactory(company=company)
    key = uuid.uuid4()
    kwargs = {
        "company": company,
        "center": center,
        "purpose": "Samples for the showroom",
        "requested_by": company_user,
        "items": [{"product": product, "quantity": 3, "declared_value_usd": Decimal(10)}],
        "idempotency_key": key,
    }
    first = services.shipment_request(**kwargs)
    second = services.shipment_request(**kwargs)
    assert first.pk == second.pk
    assert SampleShipment.objects.count() == 1 and first.items.count() == 1


def test_a_company_cannot_send_another_company_products_or_to_another_company_buyer(
    company, company_user, center
):
    stranger = f.ProductFactory()
    with pytest.raises(ValidationError) as error:
        services.shipment_request(
            company=company,
            center=center,
            purpose="x",
            requested_by=company_user,
            items=[{"product": stranger, "quantity": 1, "declared_value_usd": 1}],
            match=f.MatchFactory(),
            idempotency_key=uuid.uuid4(),
        )
    assert set(error.value.message_dict) == {"items", "match"}
    assert not SampleShipment.objects.exists()


def test_the_whole_workflow_keeps_who_took_each_step(requested, staff_user, company_user, center_user):
    services.shipment_approve(shipment=requested, by=staff_user, cost_support_krw=Decimal(30000))
    services.shipment_ship(
        shipment=requested, by=company_user, courier="ems", tracking_number="ee 123456785 kr"
    )
    services.shipment_deliver(shipment=requested, by=center_user)
    shipment = services.shipment_record_feedback(
        shipment=requested, by=center_user, rating=4, comment="Good", order_interest="yes"
    )

    assert shipment.status == "feedback_received"
    assert shipment.tracking_number == "EE123456785KR"
    steps = list(
        ShipmentStatusChange.objects.filter(shipment=shipment)
        .order_by("changed_at", "pk")
        .values_list("to_status", "changed_by__username")
    )
    assert steps == [
        ("requested", "company"),
        ("approved", "staff"),
        ("shipped", "company"),
        ("delivered", "center"),
        ("feedback_received", "center"),
    ]
    assert shipment.history.count() >= 5  # the audit trail has every step


def test_a_step_taken_twice_is_refused_and_changes_nothing(requested, staff_user):
    services.shipment_approve(shipment=requested, by=staff_user)
    stale_copy = SampleShipment.objects.get(pk=requested.pk)
    stale_copy.status = "requested"  # what a second browser tab still shows
    with pytest.raises(ValidationError) as error:
        services.shipment_approve(shipment=stale_copy, by=staff_user)
    assert error.value.code == "stale"
    assert ShipmentStatusChange.objects.filter(shipment=requested, to_status="approved").count() == 1


def test_a_step_out_of_order_is_refused(requested, center_user):
    with pytest.raises(ValidationError, match="cannot become"):
        services.shipment_deliver(shipment=requested, by=center_user)
    requested.refresh_from_db()
    assert requested.status == "requested"


@pytest.mark.parametrize("who", ["company_user", "center_user", "other_center_user", "other_company_user"])
def test_only_staff_approve(requested, who, request):
    with pytest.raises(PermissionDenied):
        services.shipment_approve(shipment=requested, by=request.getfixturevalue(who))


def test_another_center_cannot_confirm_delivery(requested, staff_user, company_user, other_center_user):
    services.shipment_approve(shipment=requested, by=staff_user)
    services.shipment_ship(
        shipment=requested, by=company_user, courier="ups", tracking_number="1Z999AA10123456784"
    )
    with pytest.raises(PermissionDenied):
        services.shipment_deliver(shipment=requested, by=other_center_user)


def test_a_bad_tracking_number_is_refused_next_to_its_field(requested, staff_user, company_user):
    services.shipment_approve(shipment=requested, by=staff_user)
    with pytest.raises(ValidationError) as error:
        services.shipment_ship(
            shipment=requested, by=company_user, courier="ems", tracking_number="EE123456789KR"
        )
    assert "tracking_number" in error.value.message_dict
    requested.refresh_from_db()
    assert requested.status == "approved" and requested.tracking_number == ""


def test_cost_support_stays_within_the_yearly_cap(
    requested, staff_user, settings, company, company_user, center
):
    settings.SAMPLE_SUPPORT_YEARLY_CAP_KRW = 100_000
    services.shipment_approve(shipment=requested, by=staff_user, cost_support_krw=Decimal(80_000))
    second = services.shipment_request(
        company=company,
        center=center,
        purpose="More",
        requested_by=company_user,
        idempotency_key=uuid.uuid4(),
        items=[{"product": f.ProductFactory(company=company), "quantity": 1, "declared_value_usd": 5}],
    )
    with pytest.raises(ValidationError, match="20,000"):
        services.shipment_approve(shipment=second, by=staff_user, cost_support_krw=Decimal(30_000))
    assert services.support_left_krw(company.pk, requested.approved_at.year) == Decimal(20_000)


def test_rejecting_needs_a_reason(requested, staff_user):
    with pytest.raises(ValidationError):
        services.shipment_reject(shipment=requested, by=staff_user, reason="  ")
    shipment = services.shipment_reject(shipment=requested, by=staff_user, reason="Export licence missing")
    assert shipment.status == "rejected" and shipment.rejection_reason == "Export licence missing"


def test_the_company_cancels_its_own_request(requested, company_user, other_company_user):
    with pytest.raises(PermissionDenied):
        services.shipment_cancel(shipment=requested, by=other_company_user)
    assert services.shipment_cancel(shipment=requested, by=company_user).status == "cancelled"


# --- Buyers' pipeline ---------------------------------------------------------------------------------
def test_a_buyer_moves_along_the_pipeline_and_keeps_its_history(center_user):
    from centers.services import buyer_change_status

    buyer = f.BuyerFactory()
    buyer = buyer_change_status(
        buyer_id=buyer.pk,
        to_status="contacted",
        expected_status="prospect",
        by=center_user,
        note="Met at the fair",
    )
    change = buyer.status_changes.get()
    assert (change.from_status, change.to_status, change.note, change.changed_by) == (
        "prospect",
        "contacted",
        "Met at the fair",
        center_user,
    )
    assert buyer.version == 2


def test_a_status_change_from_a_stale_page_is_refused(center_user):
    from centers.services import buyer_change_status

    buyer = f.BuyerFactory()
    buyer_change_status(buyer_id=buyer.pk, to_status="contacted", expected_status="prospect", by=center_user)
    with pytest.raises(ValidationError) as error:
        buyer_change_status(
            buyer_id=buyer.pk, to_status="dropped", expected_status="prospect", by=center_user
        )
    assert error.value.code == "stale"
    assert buyer.status_changes.count() == 1


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        ("prospect", "contacted", True),
        ("contacted", "negotiating", True),
        ("negotiating", "interested", False),
        ("interested", "dormant", True),
        ("dormant", "contacted", True),
        ("dormant", "negotiating", False),
        ("contracted", "dropped", True),
        ("dropped", "contacted", False),
    ],
)
def test_the_pipeline_rules(start, to, allowed):
    assert f.BuyerFactory.build(status=start).can_move_to(to) is allowed


def test_two_matches_of_one_pair_cannot_exist_even_without_the_service():
    match = f.MatchFactory()
    with pytest.raises(IntegrityError):
        f.MatchFactory(company=match.company, buyer=match.buyer)
