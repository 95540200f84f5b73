"""The database triggers keep BuyerSignal and BuyerHeadingHistory current, whatever writes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from centers.models import Buyer
from matching.models import BuyerHeadingHistory, BuyerSignal, Consultation, Match, Product, SampleShipment
from matching.recommendations import upkeep
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def signal(buyer) -> tuple[int, object]:
    row = BuyerSignal.objects.filter(buyer=buyer).first()
    return (row.open_matches, row.last_consulted_at) if row else (0, None)


def history(buyer) -> dict[str, tuple[int, int, int, int, int]]:
    return {
        row.hs4: (row.rated, row.rating_sum, row.deals, row.mous, row.lost)
        for row in BuyerHeadingHistory.objects.filter(buyer=buyer)
    }


def test_a_buyer_gets_its_signal_row_and_it_follows_the_buyer_and_its_center():
    buyer = f.BuyerFactory(country="JP", business_type="importer", status="prospect")
    row = BuyerSignal.objects.get(buyer=buyer)
    assert (row.country, row.business_type, row.status, row.center_active) == (
        "JP",
        "importer",
        "prospect",
        True,
    )

    Buyer.objects.filter(pk=buyer.pk).update(status="dormant", country="US")
    buyer.center.is_active = False
    buyer.center.save()

    row.refresh_from_db()
    assert (row.status, row.country, row.center_active) == ("dormant", "US", False)


def test_open_matches_follow_creation_stage_changes_and_deletion():
    buyer = f.BuyerFactory()
    first = f.MatchFactory(buyer=buyer, stage="active")
    f.MatchFactory(buyer=buyer, stage="proposed")
    assert signal(buyer)[0] == 2

    Match.objects.filter(pk=first.pk).update(stage="won")  # a conditional UPDATE, as services do
    assert signal(buyer)[0] == 1

    Match.objects.filter(buyer=buyer).delete()
    assert signal(buyer)[0] == 0


def test_the_last_consultation_ignores_cancelled_ones():
    match = f.MatchFactory()
    earlier = f.ConsultationFactory(match=match, starts_at=NOW - timedelta(days=40))
    later = f.ConsultationFactory(match=match, starts_at=NOW - timedelta(days=2))
    assert signal(match.buyer)[1] == later.starts_at

    Consultation.objects.filter(pk=later.pk).update(status="cancelled")
    assert signal(match.buyer)[1] == earlier.starts_at


def test_a_rating_counts_once_in_each_heading_the_sample_holds():
    company = f.CompanyFactory()
    laver = f.ProductFactory(company=company, hs_code="200899")
    snack = f.ProductFactory(company=company, hs_code="200819", name_en="Laver snack")
    dried = f.ProductFactory(company=company, hs_code="121221", name_en="Dried laver")
    match = f.MatchFactory(company=company, stage="sample")
    shipment = f.ShipmentFactory(company=company, center=match.buyer.center, match=match)
    for product in (laver, snack, dried):
        f.ShipmentItemFactory(shipment=shipment, product=product)
    assert history(match.buyer) == {}  # not rated yet

    SampleShipment.objects.filter(pk=shipment.pk).update(
        status="feedback_received",
        courier="ems",
        tracking_number="EE123456785KR",
        shipped_at=NOW,
        feedback_rating=4,
    )

    assert history(match.buyer) == {"2008": (1, 4, 0, 0, 0), "1212": (1, 4, 0, 0, 0)}


def test_deals_mous_and_lost_matches_count_in_every_heading_of_the_company():
    company = f.CompanyFactory()
    f.ProductFactory(company=company, hs_code="200899")
    f.ProductFactory(company=company, hs_code="030781")
    won = f.MatchFactory(company=company, stage="won")
    f.OutcomeFactory(match=won, kind="mou")
    f.OutcomeFactory(match=won, kind="mou")
    buyer = won.buyer
    assert history(buyer) == {"2008": (0, 0, 0, 2, 0), "0307": (0, 0, 0, 2, 0)}

    other = f.CompanyFactory()
    f.ProductFactory(company=other, hs_code="200819")
    f.MatchFactory(company=other, buyer=buyer, stage="lost")
    assert history(buyer)["2008"] == (0, 0, 0, 2, 1)


def test_a_product_changing_heading_moves_the_history_with_it():
    company = f.CompanyFactory()
    product = f.ProductFactory(company=company, hs_code="200899")
    match = f.MatchFactory(company=company, stage="lost")
    assert set(history(match.buyer)) == {"2008"}

    Product.objects.filter(pk=product.pk).update(hs_code="121221")

    assert set(history(match.buyer)) == {"1212"}


def test_the_triggers_keep_what_a_rebuild_computes(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-pass-2021", stdout=StringIO())

    def snapshot():
        signals = set(
            BuyerSignal.objects.values_list(
                "buyer_id",
                "open_matches",
                "last_consulted_at",
                "center_id",
                "center_active",
                "country",
                "business_type",
                "status",
                "status_changed_at",
            )
        )
        rows = set(
            BuyerHeadingHistory.objects.values_list(
                "buyer_id", "hs4", "rated", "rating_sum", "deals", "mous", "lost"
            )
        )
        return signals, rows

    kept = snapshot()
    upkeep.refresh_all(connection)

    assert kept == snapshot()
    assert kept[0] and kept[1]
