"""Services behind the record forms: companies with their products, match edits, outcome edits."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from matching import services
from matching.models import Company, Match, Product
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English messages, whatever the default language's catalogue says."""
    with translation.override("en"):
        yield


def _company(**overrides):
    data = {
        "name_ko": "영암무화과",
        "business_registration_number": "1248100998",
        "city_county": "yeongam",
        "industry": "agri_food",
    }
    return {**data, **overrides}


def test_a_company_is_created_with_its_products_and_markets(staff_user):
    company = services.company_create(
        data=_company(),
        products=[{"name_ko": "무화과잼", "name_en": "", "hs_code": "200799", "unit_price_usd": None}],
        target_countries=["JP", "SG"],
        by=staff_user,
    )
    assert list(company.products.values_list("name_ko", flat=True)) == ["무화과잼"]
    assert sorted(company.target_countries.values_list("country", flat=True)) == ["JP", "SG"]


def test_a_bad_product_leaves_no_company_behind(staff_user):
    with pytest.raises(ValidationError):
        services.company_create(
            data=_company(),
            products=[{"name_ko": "?", "name_en": "", "hs_code": "990000", "unit_price_usd": None}],
            target_countries=[],
            by=staff_user,
        )
    assert not Company.objects.filter(business_registration_number="1248100998").exists()


def test_a_product_of_another_company_cannot_be_edited_through_this_one(staff_user):
    company, stranger = f.CompanyFactory(), f.ProductFactory()
    with pytest.raises(ValidationError, match="another company"):
        services.company_update(
            company=company,
            data={"name_ko": "바뀐 이름"},
            products=[{"pk": stranger.pk, "name_ko": "내 것", "name_en": "", "hs_code": "200899"}],
            target_countries=[],
            expected_version=1,
            by=staff_user,
        )
    assert Product.objects.get(pk=stranger.pk).name_ko == "조미김"
    assert Company.objects.get(pk=company.pk).version == 1


def test_a_product_edit_bumps_the_products_version(staff_user):
    product = f.ProductFactory()
    row = {"pk": product.pk, "name_ko": "김자반", "name_en": "", "hs_code": "200899", "unit_price_usd": None}
    services.company_update(
        company=product.company,
        data={},
        products=[row],
        target_countries=[],
        expected_version=1,
        by=staff_user,
    )
    product.refresh_from_db()
    assert product.name_ko == "김자반" and product.version == 2


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        ("proposed", "active", True),
        ("active", "negotiation", True),
        ("negotiation", "active", False),
        ("active", "lost", True),
        ("won", "negotiation", False),
    ],
)
def test_a_match_stage_moves_forward_or_to_an_end(staff_user, start, to, allowed):
    match = f.MatchFactory(stage=start)
    if allowed:
        services.match_update(match=match, data={"stage": to}, expected_version=1, by=staff_user)
        assert Match.objects.get(pk=match.pk).stage == to
    else:
        with pytest.raises(ValidationError):
            services.match_update(match=match, data={"stage": to}, expected_version=1, by=staff_user)
        assert Match.objects.get(pk=match.pk).stage == start


def test_a_match_edit_may_only_touch_stage_notes_and_contact_sharing(staff_user):
    with pytest.raises(ValueError, match="buyer"):
        services.match_update(match=f.MatchFactory(), data={"buyer": None}, expected_version=1, by=staff_user)


def test_an_outcome_edit_reconverts_and_an_mou_without_amount_has_no_usd(staff_user):
    f.ExchangeRateFactory(currency="JPY", month=date(2021, 12, 1), units_per_usd=Decimal("100"))
    outcome = services.outcome_create(
        match=f.MatchFactory(),
        kind="contract",
        signed_on=date(2021, 12, 3),
        amount=Decimal(1000),
        currency="USD",
    )
    outcome = services.outcome_update(
        outcome=outcome,
        data={"currency": "JPY", "amount": Decimal(500000)},
        expected_version=1,
        by=staff_user,
    )
    assert outcome.amount_usd == Decimal("5000.00") and outcome.usd_rate == Decimal(100)
    outcome = services.outcome_update(
        outcome=outcome, data={"kind": "mou", "amount": None}, expected_version=2, by=staff_user
    )
    assert outcome.amount_usd is None and outcome.usd_rate is None
