"""The buyer's center copied onto matches, consultations and outcomes by the database
(matching/center_copy.py): right on every write, whoever writes, and following the buyer and the
match when they move."""

import pytest

from matching.models import Consultation, Match, Outcome
from tests import factories as f

pytestmark = pytest.mark.django_db


def _centers(*records):
    return [type(r).objects.values_list("center_id", flat=True).get(pk=r.pk) for r in records]


@pytest.fixture
def records():
    consultation = f.ConsultationFactory()
    return consultation, f.OutcomeFactory(match=consultation.match)


def test_a_new_match_consultation_and_outcome_carry_their_buyers_center(records):
    center = records[0].match.buyer.center
    assert _centers(records[0].match, *records) == [center.pk] * 3


def test_bulk_created_rows_carry_it_too(records):
    match = records[0].match
    made = Consultation.objects.bulk_create(
        [f.ConsultationFactory.build(match=match), f.ConsultationFactory.build(match=match)]
    )
    assert _centers(*made) == [match.buyer.center_id] * 2
    buyer = f.BuyerFactory()
    matches = Match.objects.bulk_create([f.MatchFactory.build(buyer=buyer, company=f.CompanyFactory())])
    assert _centers(*matches) == [buyer.center_id]


def test_a_save_with_a_stale_value_or_a_forged_update_cannot_change_it(records):
    consultation, outcome = records
    center = consultation.match.buyer.center_id
    consultation.center_id = None  # as in memory after a create
    consultation.summary = "Edited"
    consultation.save()
    Outcome.objects.filter(pk=outcome.pk).update(center=f.CenterFactory())
    match = consultation.match
    match.center_id = None
    match.save()
    Match.objects.filter(pk=match.pk).update(center=f.CenterFactory())
    assert _centers(consultation, outcome, match) == [center, center, center]


def test_it_follows_a_buyer_that_moves_to_another_center(records):
    buyer = records[0].match.buyer
    untouched = f.ConsultationFactory()
    buyer.center = f.CenterFactory()
    buyer.save()
    assert _centers(records[0].match, *records) == [buyer.center_id] * 3
    assert _centers(untouched.match, untouched) == [untouched.match.buyer.center_id] * 2


def test_it_follows_a_match_moved_to_another_buyer(records):
    match = records[0].match
    match.buyer = f.BuyerFactory(center=f.CenterFactory())
    match.save()
    assert _centers(match, *records) == [match.buyer.center_id] * 3


def test_a_center_manager_sees_a_consultation_the_moment_it_is_logged(center, center_user, other_center):
    consultation = f.ConsultationFactory(match=f.MatchFactory(buyer=f.BuyerFactory(center=center)))
    elsewhere = f.ConsultationFactory(match=f.MatchFactory(buyer=f.BuyerFactory(center=other_center)))
    assert list(Consultation.objects.visible_to(center_user)) == [consultation]
    assert elsewhere not in Consultation.objects.visible_to(center_user)


def test_a_refresh_rewrites_only_the_copies_that_are_wrong(records):
    """What the migrations run on existing data: a second run writes nothing (no dead rows)."""
    from django.db import connection

    from matching import center_copy

    consultation, outcome = records
    center_copy.uninstall(connection)  # as before the migration: nothing keeps the copy
    try:
        Consultation.objects.filter(pk=consultation.pk).update(center=f.CenterFactory())
        Match.objects.filter(pk=consultation.match_id).update(center=None)
        assert center_copy.refresh_all(connection) == 2
        assert center_copy.refresh_all(connection) == 0
    finally:
        center_copy.install(connection)
    center = consultation.match.buyer.center_id
    assert _centers(consultation.match, consultation, outcome) == [center] * 3
