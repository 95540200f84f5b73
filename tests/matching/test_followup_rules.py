"""Every rule that creates follow-ups, on a fixed clock: when it fires, whom it assigns, when the
follow-up is due (9:00 in the assignee's zone, across daylight saving), that it fires once, and
that it closes the follow-up when the reason goes away."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from matching.models import FollowUp
from matching.services import consultation_log_result, shipment_approve, shipment_record_feedback
from matching.services.followups import (
    Proposal,
    add_working_days,
    at_due_hour,
    follow_up_create_for_rule,
    follow_ups_apply_rules,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
Rule = FollowUp.Rule


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def run_rules():
    return follow_ups_apply_rules(now=timezone.now())


@pytest.fixture
def buyer(center):
    return f.BuyerFactory(center=center, name="Osaka Foods")


@pytest.fixture
def match(company, buyer, staff_user):
    return f.MatchFactory(company=company, buyer=buyer, created_by=staff_user)


# --- Time helpers --------------------------------------------------------------------------------
def test_the_due_hour_is_nine_in_the_users_zone_whatever_the_season():
    user = f.UserFactory.build(time_zone="America/New_York")
    assert at_due_hour(date(2026, 3, 7), user).astimezone(UTC).hour == 14  # EST, UTC-5
    assert at_due_hour(date(2026, 3, 8), user).astimezone(UTC).hour == 13  # EDT from 2:00 that day


def test_working_days_skip_the_weekend():
    monday, friday = date(2026, 3, 2), date(2026, 3, 6)
    assert add_working_days(monday, 3) == date(2026, 3, 5)
    assert add_working_days(friday, 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # from a Saturday


# --- Consultation with no result one day after it ------------------------------------------------
def test_a_consultation_without_a_result_is_due_for_its_center_manager_the_next_morning(match, center_user):
    starts = datetime(2026, 3, 10, 14, 0, tzinfo=TOKYO)
    consultation = f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts - timedelta(minutes=1)):
        run_rules()
    assert not FollowUp.objects.exists()

    with travel(starts + timedelta(hours=2)):
        run_rules()
    follow_up = FollowUp.objects.get()
    assert follow_up.rule == Rule.CONSULTATION_RESULT
    assert follow_up.assignee == center_user
    assert follow_up.consultation == consultation
    assert follow_up.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=TOKYO)
    assert "Osaka Foods" in follow_up.title


def test_due_tomorrow_at_nine_is_nine_in_new_york_across_the_spring_change(match, center_user):
    center_user.time_zone = "America/New_York"
    center_user.save()
    # Saturday 7 March 2026, 3 p.m. in New York (EST); clocks go forward on Sunday at 2:00.
    starts = datetime(2026, 3, 7, 15, 0, tzinfo=NEW_YORK)
    f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts + timedelta(hours=2)):
        run_rules()
    due = FollowUp.objects.get().due_at
    assert due == datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK)
    assert due.astimezone(UTC) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # not 14:00: EDT


def test_logging_the_result_closes_the_follow_up(match, center_user):
    starts = datetime(2026, 3, 10, 14, 0, tzinfo=TOKYO)
    consultation = f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts + timedelta(hours=2)):
        run_rules()
        consultation_log_result(
            consultation=consultation,
            by=center_user,
            consulted_amount_usd=None,
            expected_contract_usd=None,
            interest_level="B",
        )
        summary = run_rules()
    follow_up = FollowUp.objects.get(rule=Rule.CONSULTATION_RESULT)
    assert follow_up.state == FollowUp.State.DONE
    assert summary["follow_ups_resolved"] == 1


def test_a_rule_run_twice_or_by_two_sweeps_creates_one_follow_up(match, center_user):
    starts = datetime(2026, 3, 10, 14, 0, tzinfo=TOKYO)
    consultation = f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts + timedelta(hours=2)):
        run_rules()
        run_rules()
        # A second sweep that read the data before the first one wrote: the unique key decides.
        duplicate = Proposal(
            rule=Rule.CONSULTATION_RESULT,
            dedupe_key=f"consultation_result:{consultation.pk}",
            assignee=center_user,
            due_at=timezone.now(),
            title="again",
            targets={"consultation": consultation},
        )
        assert follow_up_create_for_rule(duplicate) is None
    assert FollowUp.objects.count() == 1


def test_a_center_without_a_manager_hands_the_follow_up_to_staff(match, staff_user):
    starts = datetime(2026, 3, 10, 14, 0, tzinfo=TOKYO)
    f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts + timedelta(hours=2)):
        run_rules()
    follow_up = FollowUp.objects.get()
    assert follow_up.assignee == staff_user
    assert follow_up.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=SEOUL)


def test_old_history_creates_no_follow_ups(match, center_user, settings):
    settings.REMINDER_RULE_LOOKBACK_DAYS = 30
    f.ConsultationFactory(match=match, starts_at=datetime(2026, 1, 1, 10, tzinfo=TOKYO))
    with travel(datetime(2026, 3, 10, 10, tzinfo=TOKYO)):
        run_rules()
    assert not FollowUp.objects.exists()


def test_titles_are_written_in_the_assignees_language(match, center_user):
    center_user.language = "en"
    center_user.save()
    match.company.name_en = "Wando Laver"
    match.company.name_ko = "완도김"
    match.company.save()
    starts = datetime(2026, 3, 10, 14, 0, tzinfo=TOKYO)
    f.ConsultationFactory(match=match, starts_at=starts)
    with travel(starts + timedelta(hours=2)):
        run_rules()
    assert "Wando Laver" in FollowUp.objects.get().title


# --- The follow-up date set on a consultation ---------------------------------------------------
def _held(consultation, by, follow_up_on, when):
    with travel(when):
        return consultation_log_result(
            consultation=consultation,
            by=by,
            consulted_amount_usd=None,
            expected_contract_usd=None,
            interest_level="A",
            next_step="Send the price list",
            follow_up_on=follow_up_on,
        )


def test_a_follow_up_date_makes_one_follow_up_for_the_company_and_one_for_staff(
    match, company_user, staff_user, center_user
):
    company_user.time_zone = "Europe/Berlin"
    company_user.save()
    now = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    consultation = f.ConsultationFactory(match=match, starts_at=now - timedelta(days=1))
    # Due "tomorrow at 9": Sunday 29 March 2026, the day Berlin moves to summer time at 2:00.
    _held(consultation, center_user, date(2026, 3, 29), now)
    with travel(now):
        run_rules()
        run_rules()
    follow_ups = {fu.assignee: fu for fu in FollowUp.objects.filter(rule=Rule.CONSULTATION_FOLLOW_UP)}
    assert set(follow_ups) == {company_user, staff_user}
    berlin = follow_ups[company_user].due_at
    assert berlin == datetime(2026, 3, 29, 9, 0, tzinfo=BERLIN)
    assert berlin.astimezone(UTC) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # CEST, UTC+2
    assert follow_ups[staff_user].due_at == datetime(2026, 3, 29, 9, 0, tzinfo=SEOUL)
    assert "Send the price list" in follow_ups[company_user].title


def test_moving_the_follow_up_date_replaces_the_follow_ups(match, company_user, staff_user, center_user):
    now = datetime(2026, 4, 1, 12, 0, tzinfo=SEOUL)
    consultation = f.ConsultationFactory(match=match, starts_at=now - timedelta(days=1))
    _held(consultation, center_user, date(2026, 4, 10), now)
    with travel(now):
        run_rules()
    _held(consultation, center_user, date(2026, 4, 20), now + timedelta(hours=1))
    with travel(now + timedelta(hours=1)):
        run_rules()
    follow_ups = FollowUp.objects.filter(rule=Rule.CONSULTATION_FOLLOW_UP)
    assert follow_ups.count() == 4
    assert {fu.due_at.date() for fu in follow_ups.filter(state=FollowUp.State.OPEN)} == {date(2026, 4, 20)}
    assert follow_ups.filter(state=FollowUp.State.CANCELLED).count() == 2


# --- A sample delivered with no feedback after 14 days ------------------------------------------
@pytest.fixture
def delivered(company, center, match, staff_user, center_user):
    delivered_at = datetime(2026, 3, 2, 16, 0, tzinfo=TOKYO)
    return f.ShipmentFactory(
        company=company,
        center=center,
        match=match,
        status="delivered",
        courier="dhl",
        tracking_number="1234567890",
        shipped_at=delivered_at - timedelta(days=3),
        delivered_at=delivered_at,
    )


def test_a_delivered_sample_without_feedback_is_due_fourteen_days_later(delivered, center_user):
    with travel(datetime(2026, 3, 14, 12, tzinfo=TOKYO)):
        run_rules()
    assert not FollowUp.objects.exists()
    with travel(datetime(2026, 3, 15, 17, tzinfo=TOKYO)):  # the day before it is due
        run_rules()
    follow_up = FollowUp.objects.get()
    assert (follow_up.rule, follow_up.assignee, follow_up.shipment) == (
        Rule.SAMPLE_FEEDBACK,
        center_user,
        delivered,
    )
    assert follow_up.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=TOKYO)


def test_recording_the_feedback_closes_it(delivered, center_user):
    with travel(datetime(2026, 3, 16, 12, tzinfo=TOKYO)):
        run_rules()
        shipment_record_feedback(shipment=delivered, by=center_user, rating=4)
        run_rules()
    assert FollowUp.objects.get().state == FollowUp.State.DONE


# --- A sample request waiting for approval for more than 3 working days -------------------------
def _requested(company, center, when):
    with travel(when):
        return f.ShipmentFactory(company=company, center=center)


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        (datetime(2026, 3, 2, 10, tzinfo=SEOUL), datetime(2026, 3, 6, 9, tzinfo=SEOUL)),  # Mon → Fri
        (datetime(2026, 3, 6, 10, tzinfo=SEOUL), datetime(2026, 3, 12, 9, tzinfo=SEOUL)),  # Fri → Thu
        (datetime(2026, 3, 7, 10, tzinfo=SEOUL), datetime(2026, 3, 12, 9, tzinfo=SEOUL)),  # Sat → Thu
    ],
)
def test_a_sample_request_waiting_more_than_three_working_days_is_due_for_staff(
    company, center, staff_user, requested, due
):
    _requested(company, center, requested)
    with travel(due - timedelta(minutes=1)):
        run_rules()
    follow_up = FollowUp.objects.get()
    assert (follow_up.rule, follow_up.assignee, follow_up.due_at) == (Rule.SAMPLE_APPROVAL, staff_user, due)


def test_approving_the_request_closes_it(company, center, staff_user):
    shipment = _requested(company, center, datetime(2026, 3, 2, 10, tzinfo=SEOUL))
    with travel(datetime(2026, 3, 6, 10, tzinfo=SEOUL)):
        run_rules()
        shipment_approve(shipment=shipment, by=staff_user)
        run_rules()
    assert FollowUp.objects.get().state == FollowUp.State.DONE


# --- A buyer whose status has not moved for 30 days ---------------------------------------------
def test_a_buyer_stale_for_thirty_days_is_due_for_its_center_manager(buyer, center_user):
    buyer.status_changed_at = datetime(2026, 3, 1, 11, tzinfo=TOKYO)
    buyer.save()
    with travel(datetime(2026, 3, 29, 11, tzinfo=TOKYO)):
        run_rules()
    assert not FollowUp.objects.exists()
    with travel(datetime(2026, 3, 30, 11, tzinfo=TOKYO)):
        run_rules()
        run_rules()
    follow_up = FollowUp.objects.get()
    assert (follow_up.rule, follow_up.buyer, follow_up.assignee) == (Rule.BUYER_STALE, buyer, center_user)
    assert follow_up.due_at == datetime(2026, 3, 31, 9, tzinfo=TOKYO)


def test_a_buyer_that_moves_closes_it_and_a_new_standstill_makes_a_new_one(buyer, center_user):
    buyer.status_changed_at = datetime(2026, 3, 1, 11, tzinfo=TOKYO)
    buyer.save()
    with travel(datetime(2026, 4, 1, 11, tzinfo=TOKYO)):
        run_rules()
    with travel(datetime(2026, 4, 2, 11, tzinfo=TOKYO)):
        buyer.status, buyer.status_changed_at = "contacted", timezone.now()
        buyer.save()
        run_rules()
    assert FollowUp.objects.get().state == FollowUp.State.DONE
    with travel(datetime(2026, 5, 2, 11, tzinfo=TOKYO)):
        run_rules()
    assert FollowUp.objects.filter(state=FollowUp.State.OPEN).count() == 1
    assert FollowUp.objects.count() == 2


def test_a_contracted_buyer_is_never_stale(buyer, center_user):
    buyer.status, buyer.status_changed_at = "contracted", datetime(2026, 1, 1, tzinfo=TOKYO)
    buyer.save()
    with travel(datetime(2026, 4, 1, 11, tzinfo=TOKYO)):
        run_rules()
    assert not FollowUp.objects.exists()


# --- An MOU with no contract 90 days later ------------------------------------------------------
def test_an_mou_without_a_contract_after_ninety_days_is_due_for_staff(match, staff_user):
    mou = f.OutcomeFactory(match=match, kind="mou", signed_on=date(2026, 1, 5))
    with travel(datetime(2026, 4, 4, 10, tzinfo=SEOUL)):
        run_rules()
    follow_up = FollowUp.objects.get()
    assert (follow_up.rule, follow_up.outcome, follow_up.assignee) == (Rule.MOU_NO_CONTRACT, mou, staff_user)
    assert follow_up.due_at == datetime(2026, 4, 5, 9, tzinfo=SEOUL)


def test_a_contract_closes_the_mou_follow_up_and_prevents_new_ones(match, staff_user):
    f.OutcomeFactory(match=match, kind="mou", signed_on=date(2026, 1, 5))
    later = f.OutcomeFactory(match=match, kind="mou", signed_on=date(2026, 1, 6))
    with travel(datetime(2026, 4, 4, 10, tzinfo=SEOUL)):
        run_rules()
        f.OutcomeFactory(
            match=match, kind="contract", signed_on=date(2026, 4, 4), amount=100, amount_usd=100, usd_rate=1
        )
        run_rules()
    assert FollowUp.objects.get().state == FollowUp.State.DONE
    with travel(datetime(2026, 4, 6, 10, tzinfo=SEOUL)):
        run_rules()
    assert not FollowUp.objects.filter(outcome=later).exists()


# --- A consultation coming up -------------------------------------------------------------------
def test_the_company_hears_of_a_consultation_the_day_before_at_nine(match, company_user):
    starts = datetime(2026, 3, 10, 15, 0, tzinfo=SEOUL)
    consultation = f.ConsultationFactory(match=match, starts_at=starts)
    with travel(datetime(2026, 3, 8, 14, tzinfo=SEOUL)):
        run_rules()
    assert not FollowUp.objects.exists()
    with travel(datetime(2026, 3, 8, 16, tzinfo=SEOUL)):
        run_rules()
    follow_up = FollowUp.objects.get()
    assert (follow_up.rule, follow_up.assignee) == (Rule.CONSULTATION_UPCOMING, company_user)
    assert follow_up.consultation == consultation
    assert follow_up.due_at == datetime(2026, 3, 9, 9, tzinfo=SEOUL)


def test_a_consultation_that_has_begun_closes_the_notice(match, company_user):
    starts = datetime(2026, 3, 10, 15, 0, tzinfo=SEOUL)
    f.ConsultationFactory(match=match, starts_at=starts)
    with travel(datetime(2026, 3, 9, 12, tzinfo=SEOUL)):
        run_rules()
    with travel(starts + timedelta(minutes=5)):
        run_rules()
    assert FollowUp.objects.get(rule=Rule.CONSULTATION_UPCOMING).state == FollowUp.State.DONE
