import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centers import services
from centers.models import BuyerInterest
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English messages, whatever the default language's catalogue says."""
    with translation.override("en"):
        yield


def test_a_buyer_is_registered_with_its_hs_codes(staff_user, center):
    buyer = services.buyer_create(
        center=center,
        data={"name": "Kobe Foods", "country": "JP", "business_type": "importer"},
        hs_codes=["200899", "030211"],
        by=staff_user,
    )
    assert sorted(buyer.interests.values_list("hs_code", flat=True)) == ["030211", "200899"]


def test_the_buyer_services_never_write_the_pipeline_status(staff_user, center):
    with pytest.raises(ValueError, match="status"):
        services.buyer_create(
            center=center, data={"name": "X", "status": "contracted"}, hs_codes=[], by=staff_user
        )


def test_an_edit_keeps_the_notes_of_the_hs_codes_that_stay(staff_user):
    buyer = f.BuyerFactory()
    BuyerInterest.objects.create(buyer=buyer, hs_code="200899", note="Seasoned laver, retail packs")
    BuyerInterest.objects.create(buyer=buyer, hs_code="121221")
    services.buyer_update(
        buyer=buyer, data={"city": "Kyoto"}, hs_codes=["200899", "030211"], expected_version=1, by=staff_user
    )
    assert dict(buyer.interests.values_list("hs_code", "note")) == {
        "030211": "",
        "200899": "Seasoned laver, retail packs",
    }


def test_a_stale_buyer_edit_changes_nothing(staff_user):
    buyer = f.BuyerFactory(city="Osaka")
    f.BuyerInterestFactory(buyer=buyer, hs_code="200899")
    services.buyer_update(
        buyer=buyer, data={"city": "Kobe"}, hs_codes=["200899"], expected_version=1, by=staff_user
    )
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.buyer_update(
            buyer=buyer, data={"city": "Nara"}, hs_codes=[], expected_version=1, by=staff_user
        )
    buyer.refresh_from_db()
    assert buyer.city == "Kobe" and buyer.interests.count() == 1
