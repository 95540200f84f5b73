"""Migrations that rebuild the derived tables run on databases that already hold data and triggers."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matching.models.recommendations import BuyerSignal
from tests import factories as f

BEFORE_SIGNAL_CONSULTATIONS = [("matching", "0008_name_indexes")]
BEFORE_CENTER_COPY = [("matching", "0010_shipment_inbound")]


@pytest.mark.django_db(transaction=True)
def test_a_database_with_the_old_triggers_and_data_migrates_through_0009():
    from matching.recommendations import upkeep

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SIGNAL_CONSULTATIONS)
    # As the first 0006 left every database: triggers on other tables that write to BuyerSignal
    # (SQLite re-checks them when it rebuilds that table to add a column).
    upkeep.install(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM matching_buyersignal")
        assert cursor.fetchone()[0] == 0

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The triggers are back and keep the new column.
    consultation = f.ConsultationFactory()
    assert BuyerSignal.objects.get(buyer=consultation.match.buyer).consultations == 1
    consultation.status = "cancelled"
    consultation.save()
    assert BuyerSignal.objects.get(buyer=consultation.match.buyer).consultations == 0


@pytest.mark.django_db(transaction=True)
def test_matches_consultations_and_outcomes_already_there_get_their_center_and_it_follows_them():
    from matching.models import Consultation, Match, Outcome

    consultation = f.ConsultationFactory()
    outcome = f.OutcomeFactory(match=consultation.match)
    center = consultation.match.buyer.center

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_CENTER_COPY)  # drops the column (on SQLite, by rebuilding the tables)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Consultation.objects.get(pk=consultation.pk).center_id == center.pk
    assert Outcome.objects.get(pk=outcome.pk).center_id == center.pk
    assert Match.objects.get(pk=consultation.match_id).center_id == center.pk
    # Both trigger sets are in place again: the copy follows a move, the engine's counts a write.
    buyer = consultation.match.buyer
    buyer.center = f.CenterFactory()
    buyer.save()
    assert Consultation.objects.get(pk=consultation.pk).center_id == buyer.center_id
    assert Outcome.objects.get(pk=outcome.pk).center_id == buyer.center_id
    assert Match.objects.get(pk=consultation.match_id).center_id == buyer.center_id
    f.ConsultationFactory(match=consultation.match)
    assert BuyerSignal.objects.get(buyer=buyer).consultations == 2
