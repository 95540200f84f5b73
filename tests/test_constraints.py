"""The database itself refuses a bad row: every named constraint is exercised here with a row that
breaks it, saved without full_clean() as a bug or a raw script would."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def _user(**kwargs):
    return f.UserFactory.build(**kwargs).save()


def _shipment_shipped_without_tracking():
    f.ShipmentFactory(status="shipped", shipped_at=timezone.now(), courier="ems", tracking_number="")


def _history(buyer):
    from matching.models import BuyerHeadingHistory

    BuyerHeadingHistory.objects.create(buyer=buyer, hs4="2008")


def _outcome(**kwargs):
    f.OutcomeFactory(**kwargs)


VIOLATIONS = {
    "users_user_role_matches_tenant": [
        lambda: _user(username="a", role="staff", company=f.CompanyFactory()),
        lambda: _user(username="b", role="company"),
        lambda: _user(username="c", role="center", company=f.CompanyFactory()),
        lambda: _user(username="d", role=""),
    ],
    "users_user_admin_access_only_for_staff": [
        lambda: _user(username="e", role="company", company=f.CompanyFactory(), is_staff=True),
    ],
    "users_user_unique_email": [
        lambda: (
            _user(username="f", email="Same@Example.com"),
            _user(username="g", email="same@example.com"),
        ),
    ],
    "centers_center_business_hours_ordered": [
        lambda: f.CenterFactory(business_hours_start=time(18), business_hours_end=time(9)),
    ],
    "centers_buyer_unique_name_country_center": [
        lambda: (
            b := f.BuyerFactory(name="Kansai Foods"),
            f.BuyerFactory(name="KANSAI FOODS", center=b.center),
        ),
    ],
    "centers_buyer_import_volume_not_negative": [lambda: f.BuyerFactory(annual_import_usd=-1)],
    "centers_buyer_status_valid": [lambda: f.BuyerFactory(status="lost")],
    "centers_buyerinterest_unique_buyer_hs_code": [
        lambda: (i := f.BuyerInterestFactory(), f.BuyerInterestFactory(buyer=i.buyer, hs_code=i.hs_code)),
    ],
    "centers_buyerinterest_hs_code_six_digits": [lambda: f.BuyerInterestFactory(hs_code="2008")],
    "centers_buyerstatuschange_moves": [
        lambda: f.BuyerStatusChangeFactory(from_status="contacted", to_status="contacted"),
    ],
    "matching_company_brn_ten_digits": [lambda: f.CompanyFactory(business_registration_number="12345")],
    "matching_company_revenue_not_negative": [lambda: f.CompanyFactory(annual_revenue_krw=-5)],
    "matching_companytargetcountry_unique": [
        lambda: (t := f.TargetCountryFactory(), f.TargetCountryFactory(company=t.company, country=t.country)),
    ],
    "matching_product_hs_code_six_digits": [lambda: f.ProductFactory(hs_code="20089A")],
    "matching_product_price_not_negative": [lambda: f.ProductFactory(unit_price_usd=Decimal("-0.01"))],
    "matching_exportevent_ends_after_start": [
        lambda: f.ExportEventFactory(starts_on=date(2021, 12, 2), ends_on=date(2021, 11, 30)),
    ],
    "matching_match_unique_company_buyer": [
        lambda: (m := f.MatchFactory(), f.MatchFactory(company=m.company, buyer=m.buyer)),
    ],
    "matching_match_stage_valid": [lambda: f.MatchFactory(stage="maybe")],
    "matching_consultation_consulted_not_negative": [lambda: f.ConsultationFactory(consulted_amount_usd=-1)],
    "matching_consultation_expected_not_negative": [lambda: f.ConsultationFactory(expected_contract_usd=-1)],
    "matching_consultation_duration_positive": [lambda: f.ConsultationFactory(duration_minutes=0)],
    "matching_consultation_held_has_result": [lambda: f.ConsultationFactory(status="held")],
    "matching_exchangerate_unique_currency_month": [
        lambda: (
            f.ExchangeRateFactory(),
            f.ExchangeRateFactory._meta.model.objects.create(
                currency="JPY", month=date(2021, 12, 1), units_per_usd=110
            ),
        ),
    ],
    "matching_exchangerate_rate_positive": [lambda: f.ExchangeRateFactory(units_per_usd=0)],
    "matching_exchangerate_month_first_day": [lambda: f.ExchangeRateFactory(month=date(2021, 12, 15))],
    "matching_outcome_amount_not_negative": [
        lambda: _outcome(kind="contract", amount=-1, amount_usd=0, usd_rate=1),
    ],
    "matching_outcome_amount_usd_not_negative": [
        lambda: _outcome(kind="contract", amount=1, amount_usd=-1, usd_rate=1),
    ],
    "matching_outcome_amount_required": [lambda: _outcome(kind="contract")],
    "matching_outcome_amount_converted": [
        lambda: _outcome(kind="contract", amount=100),
        lambda: _outcome(kind="contract", amount=100, amount_usd=100, usd_rate=0),
    ],
    "matching_sampleshipment_unique_request": [
        lambda: (
            s := f.ShipmentFactory(),
            f.ShipmentFactory(company=s.company, idempotency_key=s.idempotency_key),
        ),
    ],
    "matching_sampleshipment_status_valid": [lambda: f.ShipmentFactory(status="lost")],
    "matching_sampleshipment_support_not_negative": [lambda: f.ShipmentFactory(cost_support_krw=-1000)],
    "matching_sampleshipment_shipped_has_tracking": [_shipment_shipped_without_tracking],
    "matching_sampleshipment_rejection_has_reason": [lambda: f.ShipmentFactory(status="rejected")],
    "matching_sampleshipment_rating_one_to_five": [lambda: f.ShipmentFactory(feedback_rating=6)],
    "matching_sampleshipment_feedback_has_rating": [
        lambda: f.ShipmentFactory(
            status="feedback_received",
            courier="ems",
            tracking_number="EE123456785KR",
            shipped_at=timezone.now(),
        ),
    ],
    "matching_shipmentitem_quantity_positive": [lambda: f.ShipmentItemFactory(quantity=0)],
    "matching_shipmentitem_value_not_negative": [lambda: f.ShipmentItemFactory(declared_value_usd=-1)],
    "matching_shipmentdocument_allowed_type": [lambda: f.ShipmentDocumentFactory(content_type="text/html")],
    "matching_shipmentstatuschange_each_step_once": [
        lambda: (c := f.ShipmentStatusChangeFactory(), f.ShipmentStatusChangeFactory(shipment=c.shipment)),
    ],
    "matching_followup_unique_rule_key": [
        lambda: (f.FollowUpFactory(dedupe_key="rule:1"), f.FollowUpFactory(dedupe_key="rule:1")),
    ],
    "matching_followup_snoozed_has_date": [lambda: f.FollowUpFactory(state="snoozed")],
    "matching_followup_done_has_date": [lambda: f.FollowUpFactory(state="done")],
    "matching_reminderdelivery_once_per_stage": [
        lambda: (d := f.ReminderDeliveryFactory(), f.ReminderDeliveryFactory(follow_up=d.follow_up)),
    ],
    "matching_reminderdelivery_one_digest_a_week": [
        lambda: (
            u := f.UserFactory(),
            f.ReminderDeliveryFactory(
                follow_up=None, recipient=u, stage="digest", digest_week=date(2026, 11, 23)
            ),
            f.ReminderDeliveryFactory(
                follow_up=None, recipient=u, stage="digest", digest_week=date(2026, 11, 23)
            ),
        ),
    ],
    "matching_reminderdelivery_target": [
        lambda: f.ReminderDeliveryFactory(stage="digest"),
        lambda: f.ReminderDeliveryFactory(follow_up=None, recipient=f.UserFactory()),
    ],
    "matching_reminderdelivery_sent_has_date": [lambda: f.ReminderDeliveryFactory(status="sent")],
    "matching_recommendationdismissal_unique_pair": [
        lambda: (d := f.DismissalFactory(), f.DismissalFactory(company=d.company, buyer=d.buyer)),
    ],
    "matching_recommendationdismissal_other_has_note": [lambda: f.DismissalFactory(reason="other")],
    "matching_matchproposal_one_pending_per_pair": [
        lambda: (p := f.MatchProposalFactory(), f.MatchProposalFactory(company=p.company, buyer=p.buyer)),
    ],
    "matching_matchproposal_status_valid": [
        lambda: f.MatchProposalFactory(status="maybe", decided_at=timezone.now()),
    ],
    "matching_matchproposal_decision_has_date": [lambda: f.MatchProposalFactory(status="declined")],
    "matching_buyerheadinghistory_unique": [
        lambda: (b := f.BuyerFactory(), [_history(b) for _ in range(2)]),
    ],
    "matching_matchproposal_accepted_has_match": [
        lambda: f.MatchProposalFactory(status="accepted", decided_at=timezone.now()),
    ],
}


def _all_constraint_names() -> set[str]:
    names = set()
    for label in ("users", "centers", "matching"):
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, (models.CheckConstraint, models.UniqueConstraint)):
                    names.add(constraint.name)
    return names


def test_every_named_constraint_has_a_violation_test():
    assert _all_constraint_names() - set(VIOLATIONS) == set()


@pytest.mark.parametrize(
    ("name", "violate"),
    [(name, violate) for name, cases in VIOLATIONS.items() for violate in cases],
    ids=[f"{name}-{i}" for name, cases in VIOLATIONS.items() for i in range(len(cases))],
)
def test_the_database_refuses_the_bad_row(name, violate):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        violate()
    # SQLite names CHECK constraints in its message; PostgreSQL names both kinds.
    message = str(error.value)
    assert name in message or "UNIQUE constraint failed" in message


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_every_constraint_carries_a_message_for_the_user(name):
    constraint = next(
        c
        for label in ("users", "centers", "matching")
        for model in apps.get_app_config(label).get_models()
        for c in model._meta.constraints
        if c.name == name
    )
    assert constraint.violation_error_message and "%(name)s" not in str(constraint.violation_error_message)
