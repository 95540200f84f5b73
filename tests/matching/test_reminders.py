"""The sweep and the send, on a fixed clock, with the task functions called directly.

What is checked: a reminder is scheduled when due (9:00 in the recipient's zone), once per round,
stage and channel; a row is claimed before it is sent and sent once; a dead worker's claim is
released after the lease; SMTP failures retry with backoff or fail for good; messages are
enqueued only after commit; the e-mail is in the recipient's language and zone with the right link."""

import smtplib
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from matching import tasks
from matching.models import FollowUp, Notification, ReminderDelivery, TaskHeartbeat
from matching.services import followups, reminders
from tests import factories as f
from tests.matching.mail_backends import ScriptedEmailBackend

pytestmark = pytest.mark.django_db

Status = ReminderDelivery.Status
Stage = ReminderDelivery.Stage
Channel = ReminderDelivery.Channel
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
NOON = datetime(2026, 3, 4, 12, 0, tzinfo=SEOUL)  # a Wednesday


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "tests.matching.mail_backends.ScriptedEmailBackend"
    settings.SITE_URL = "https://export.example.test"
    ScriptedEmailBackend.errors = []
    ScriptedEmailBackend.timeouts = []
    settings.REMINDER_DIGEST_WEEKDAY = None  # the digest has its own test at the end


@pytest.fixture
def published(monkeypatch):
    """The IDs handed to reminder_send, instead of a broker."""
    sent = []
    monkeypatch.setattr(tasks.reminder_send, "delay", lambda pk: sent.append(pk))
    return sent


@pytest.fixture
def sweep(django_capture_on_commit_callbacks, published):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.reminders_sweep()

    return run


def deliver(published):
    """Run every handed-out task once, as a worker would."""
    outcomes = [tasks.reminder_send(pk) for pk in published]
    published.clear()
    return outcomes


@pytest.fixture
def assignee(company_user):
    company_user.language, company_user.time_zone = "en", "America/New_York"
    company_user.first_name = "Jiwoo"
    company_user.save()
    return company_user


def follow_up_for(user, due_at, **kwargs):
    return f.FollowUpFactory(assignee=user, due_at=due_at, title="Send the price list", **kwargs)


# --- Scheduling ----------------------------------------------------------------------------------
def test_nothing_is_sent_before_nine_in_the_recipients_zone_across_daylight_saving(
    assignee, sweep, published
):
    due = datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK)  # the first morning of EDT: 13:00 UTC
    follow_up_for(assignee, due)
    with travel(datetime(2026, 3, 8, 12, 59, tzinfo=UTC)):
        sweep()
    assert not ReminderDelivery.objects.exists()
    with travel(datetime(2026, 3, 8, 13, 0, tzinfo=UTC)):
        sweep()
    rows = ReminderDelivery.objects.all()
    assert {(r.stage, r.channel, r.recipient_id) for r in rows} == {
        (Stage.DUE, Channel.EMAIL, assignee.pk),
        (Stage.DUE, Channel.IN_APP, assignee.pk),
    }
    assert sorted(published) == sorted(r.pk for r in rows)


def test_two_sweeps_schedule_and_send_each_reminder_once(assignee, sweep, published):
    follow_up_for(assignee, NOON - timedelta(hours=1))
    with travel(NOON):
        sweep()
        sweep()  # a second beat, or an overlapping sweep
        assert ReminderDelivery.objects.count() == 2
        assert len(published) == 2  # handed out once: the second sweep finds them enqueued
        deliver(published + published)  # and a message delivered twice sends once
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_the_second_reminder_and_the_escalation_count_from_the_first(assignee, staff_user, sweep, published):
    follow_up = follow_up_for(assignee, NOON - timedelta(days=30), created_by=staff_user)
    with travel(NOON):
        sweep()
    assert set(ReminderDelivery.objects.values_list("stage", flat=True)) == {Stage.DUE}
    with travel(NOON + timedelta(days=3)):
        sweep()
    with travel(NOON + timedelta(days=7)):
        sweep()
        deliver(published)
    stages = {(d.stage, d.channel): d.recipient for d in follow_up.deliveries.all()}
    assert stages[(Stage.OVERDUE, Channel.EMAIL)] == assignee
    assert stages[(Stage.ESCALATION, Channel.EMAIL)] == staff_user
    assert stages[(Stage.ESCALATION, Channel.IN_APP)] == staff_user
    escalation = next(m for m in mail.outbox if m.to[0].endswith(staff_user.email + ">"))
    assert "Jiwoo" in escalation.body


def test_escalation_goes_to_the_default_staff_when_nobody_created_it(assignee, settings, sweep):
    other = f.UserFactory(role="staff", username="boss")
    f.UserFactory(role="staff", username="first")
    settings.REMINDER_DEFAULT_STAFF_USERNAME = "boss"
    follow_up = follow_up_for(assignee, NOON)
    assert followups.escalation_recipient(follow_up) == other


def test_a_done_follow_up_is_not_reminded_and_its_pending_reminders_are_dropped(assignee, sweep, published):
    follow_up = follow_up_for(assignee, NOON - timedelta(hours=1))
    with travel(NOON):
        sweep()
        followups.follow_up_complete(follow_up=follow_up, by=assignee)
        assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {Status.SKIPPED}
        assert deliver(published) == ["not-claimed", "not-claimed"]
    assert not mail.outbox


def test_snoozing_starts_a_new_round_that_reminds_again_when_it_wakes(assignee, sweep, published):
    follow_up = follow_up_for(assignee, NOON - timedelta(hours=1))
    with travel(NOON):
        sweep()
        deliver(published)
        followups.follow_up_snooze(follow_up=follow_up, by=assignee, until=NOON + timedelta(days=2))
    with travel(NOON + timedelta(days=1)):
        sweep()
    assert ReminderDelivery.objects.count() == 2
    with travel(NOON + timedelta(days=2)):
        sweep()
        deliver(published)
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.OPEN and follow_up.round == 2
    assert len(mail.outbox) == 2
    assert ReminderDelivery.objects.filter(round=2, stage=Stage.DUE, status=Status.SENT).count() == 2


def test_handing_on_reminds_the_new_owner_and_tells_them_at_once(company_user, assignee, sweep, published):
    colleague = f.UserFactory(role="company", company=assignee.company, username="colleague")
    follow_up = follow_up_for(assignee, NOON - timedelta(hours=1))
    with travel(NOON):
        followups.follow_up_hand_on(follow_up=follow_up, by=assignee, to=colleague, note="You know them")
        sweep()
        deliver(published)
    assert mail.outbox[0].to[0].endswith(f"<{colleague.email}>")
    assert Notification.objects.filter(recipient=colleague).count() == 2  # handed on, and due
    follow_up.refresh_from_db()
    assert "You know them" in follow_up.notes


# --- Claim, lease, retry -------------------------------------------------------------------------
@pytest.fixture
def due_email(assignee):
    follow_up = follow_up_for(assignee, NOON - timedelta(hours=1))
    return f.ReminderDeliveryFactory(
        follow_up=follow_up, recipient=assignee, channel=Channel.EMAIL, due_at=NOON
    )


def test_a_row_is_claimed_by_one_task_only(due_email):
    with travel(NOON):
        first = reminders._claim(due_email.pk, timezone.now())
        second = reminders._claim(due_email.pk, timezone.now())
    assert first is not None and second is None
    due_email.refresh_from_db()
    assert (due_email.status, due_email.claim_token, due_email.attempts) == (Status.SENDING, first, 1)


def test_a_dead_workers_claim_is_released_after_the_lease_and_sent_late(
    due_email, settings, sweep, published
):
    settings.REMINDER_CLAIM_LEASE_SECONDS = 300
    with travel(NOON):
        reminders._claim(due_email.pk, timezone.now())  # ...and the worker is killed
    with travel(NOON + timedelta(seconds=299)):
        assert reminders.reminders_release_expired_claims() == 0
    with travel(NOON + timedelta(seconds=301)):
        sweep()
        assert published == [due_email.pk]
        deliver(published)
    due_email.refresh_from_db()
    assert (due_email.status, due_email.reclaims, due_email.attempts) == (Status.SENT, 1, 2)
    assert len(mail.outbox) == 1


def test_a_send_that_outlives_its_lease_does_not_overwrite_the_new_claim(due_email):
    with travel(NOON):
        token = reminders._claim(due_email.pk, timezone.now())
    ReminderDelivery.objects.filter(pk=due_email.pk).update(status=Status.PENDING, claim_token=None)
    assert reminders._finish(due_email.pk, token, status=Status.SENT, sent_at=NOON) is False
    due_email.refresh_from_db()
    assert due_email.status == Status.PENDING


def test_a_refused_connection_is_retried_with_growing_backoff(due_email, monkeypatch, settings):
    settings.REMINDER_RETRY_BASE_SECONDS, settings.REMINDER_RETRY_MAX_SECONDS = 60, 1800
    retries = []

    def retry(countdown, exc):
        retries.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(tasks.reminder_send, "retry", retry)
    ScriptedEmailBackend.errors = [ConnectionRefusedError("down")] * 4
    for attempt in range(4):
        with travel(NOON + timedelta(hours=attempt)), pytest.raises(RuntimeError):
            tasks.reminder_send(due_email.pk)
        due_email.refresh_from_db()
        assert due_email.status == Status.PENDING
        assert due_email.due_at > NOON + timedelta(hours=attempt)
    assert [a <= b for a, b in zip(retries, retries[1:], strict=False)] == [True] * 3
    assert 30 <= retries[0] <= 60 and 240 <= retries[3] <= 480
    with travel(NOON + timedelta(hours=5)):
        assert tasks.reminder_send(due_email.pk) == "sent"
    due_email.refresh_from_db()
    assert (due_email.status, due_email.attempts) == (Status.SENT, 5)
    assert len(mail.outbox) == 1


def test_a_temporary_4xx_is_retried_and_a_permanent_5xx_fails_at_once(due_email):
    ScriptedEmailBackend.errors = [smtplib.SMTPDataError(451, b"try later")]
    with travel(NOON), pytest.raises(reminders.TransientDeliveryError):
        reminders.reminder_send(delivery_id=due_email.pk)
    ScriptedEmailBackend.errors = [smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")})]
    with travel(NOON + timedelta(hours=1)):
        result = reminders.reminder_send(delivery_id=due_email.pk)
    due_email.refresh_from_db()
    assert result.outcome == "failed"
    assert (due_email.status, due_email.attempts) == (Status.FAILED, 2)
    assert "550" in due_email.last_error


def test_after_the_last_attempt_the_reminder_fails_for_good(due_email, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    ScriptedEmailBackend.errors = [smtplib.SMTPServerDisconnected("gone")] * 2
    with travel(NOON), pytest.raises(reminders.TransientDeliveryError):
        reminders.reminder_send(delivery_id=due_email.pk)
    with travel(NOON + timedelta(hours=1)):
        assert reminders.reminder_send(delivery_id=due_email.pk).outcome == "failed"
    due_email.refresh_from_db()
    assert due_email.status == Status.FAILED


def test_the_smtp_connection_has_a_timeout(due_email, settings):
    settings.EMAIL_TIMEOUT = 7
    with travel(NOON):
        reminders.reminder_send(delivery_id=due_email.pk)
    assert ScriptedEmailBackend.timeouts == [7]


def test_backoff_doubles_up_to_the_cap(settings):
    settings.REMINDER_RETRY_BASE_SECONDS, settings.REMINDER_RETRY_MAX_SECONDS = 10, 100
    for attempts, ceiling in ((1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)):
        assert ceiling / 2 <= reminders.backoff_seconds(attempts) <= ceiling


def test_staff_can_send_a_failed_reminder_again(due_email, staff_user, assignee, monkeypatch):
    ReminderDelivery.objects.filter(pk=due_email.pk).update(status=Status.FAILED, last_error="550")
    with pytest.raises(PermissionDenied):
        reminders.reminder_retry(delivery=due_email, by=assignee)
    queued = []
    monkeypatch.setattr(tasks.reminder_send, "delay_on_commit", queued.append)
    reminders.reminder_retry(delivery=due_email, by=staff_user)
    assert queued == [due_email.pk]
    due_email.refresh_from_db()
    assert (due_email.status, due_email.attempts) == (Status.PENDING, 0)
    with pytest.raises(ValidationError):
        reminders.reminder_retry(delivery=due_email, by=staff_user)


# --- Enqueueing ----------------------------------------------------------------------------------
def test_tasks_are_enqueued_only_after_the_sweep_commits(
    due_email, django_capture_on_commit_callbacks, published
):
    with travel(NOON):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reminders.reminders_enqueue()
        assert published == []  # nothing before the commit
        assert len(callbacks) == 1
        callbacks[0]()
    assert published == [due_email.pk]


def test_nothing_is_enqueued_when_the_sweep_rolls_back(
    due_email, django_capture_on_commit_callbacks, published
):
    def failing_sweep():
        with transaction.atomic():
            reminders.reminders_enqueue()
            raise RuntimeError("the sweep failed")

    with travel(NOON), django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_sweep()
    assert published == []


def test_a_reminder_whose_message_was_lost_is_handed_out_again(due_email, settings, sweep, published):
    settings.REMINDER_REQUEUE_AFTER_SECONDS = 300
    with travel(NOON):
        sweep()
    assert published == [due_email.pk]
    published.clear()  # the broker lost it
    with travel(NOON + timedelta(seconds=200)):
        sweep()
    assert published == []
    with travel(NOON + timedelta(seconds=301)):
        sweep()
    assert published == [due_email.pk]


def test_a_full_batch_asks_for_another_sweep_at_once(assignee, settings, sweep, monkeypatch):
    settings.REMINDER_SWEEP_BATCH_SIZE = 2
    for _ in range(3):
        follow_up_for(assignee, NOON - timedelta(hours=1))
    again = []
    monkeypatch.setattr(tasks.reminders_sweep, "delay", lambda: again.append(1))
    with travel(NOON):
        tasks.reminders_sweep()
    assert again == [1]


def test_the_sweep_leaves_a_heartbeat(sweep):
    with travel(NOON):
        sweep()
    with travel(NOON + timedelta(minutes=1)):
        sweep()
    beat = TaskHeartbeat.objects.get(name=reminders.SWEEP)
    assert beat.runs == 2
    assert beat.last_started_at == NOON + timedelta(minutes=1)
    assert "enqueued" in beat.last_summary


# --- What a reminder says ------------------------------------------------------------------------
def test_the_email_is_in_the_recipients_language_and_zone_with_a_link_to_the_record(
    assignee, center_user, sweep, published
):
    consultation = f.ConsultationFactory(starts_at=NOON - timedelta(days=2))
    follow_up = follow_up_for(
        assignee, datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK), consultation=consultation
    )
    center_user.language = "ko"
    center_user.save(update_fields=["language"])
    korean = follow_up_for(center_user, datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK))
    with travel(datetime(2026, 3, 8, 14, 0, tzinfo=UTC)):
        sweep()
        deliver(published)
    by_key = {m.extra_headers["X-Reminder-Key"]: m for m in mail.outbox}
    english = by_key[f"follow-up/{follow_up.pk}/1/due/email"]
    assert english.extra_headers["Content-Language"] == "en"
    assert "March 8, 2026, 9 a.m." in english.body  # 9 in New York, not 10 (EST) nor 22 (Seoul)
    assert f"https://export.example.test/consultations/{consultation.pk}/" in english.body
    assert f"https://export.example.test/follow-ups/{follow_up.pk}/" in english.body
    html = english.alternatives[0][0]
    assert f'href="https://export.example.test/consultations/{consultation.pk}/"' in html
    assert english.subject == "Due: Send the price list"
    korean_mail = by_key[f"follow-up/{korean.pk}/1/due/email"]
    assert korean_mail.extra_headers["Content-Language"] == "ko"
    assert "2026년 3월 8일" in korean_mail.body  # 22:00 in Tokyo is still 8 March
    assert korean_mail.to == [f"{center_user} <{center_user.email}>"]


def test_each_message_has_a_deterministic_id_and_key(due_email):
    with travel(NOON):
        reminders.reminder_send(delivery_id=due_email.pk)
    message = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert message["Message-ID"] == f"<reminder-{due_email.pk}.due.email@export.example.test>"
    assert message["X-Reminder-Key"] == f"follow-up/{due_email.follow_up_id}/1/due/email"
    assert message["Auto-Submitted"] == "auto-generated"


def test_an_upcoming_consultation_comes_with_a_calendar_invitation(company_user, sweep, published):
    starts = NOON + timedelta(days=1, hours=3)
    consultation = f.ConsultationFactory(match=f.MatchFactory(company=company_user.company), starts_at=starts)
    with travel(NOON - timedelta(hours=3)):
        sweep()  # the rule creates the notice, due now (less than a day ahead)
        sweep()
        deliver(published)
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name == "consultation.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts
    assert str(event["uid"]) == f"consultation-{consultation.pk}@export.example.test"
    assert message.subject.startswith("Coming up:")


def test_the_bell_notification_is_written_once_in_the_recipients_language(assignee, sweep, published):
    follow_up = follow_up_for(assignee, NOON - timedelta(hours=1))
    with travel(NOON):
        sweep()
        deliver(published)
        in_app = ReminderDelivery.objects.get(channel=Channel.IN_APP)
        assert reminders.reminder_send(delivery_id=in_app.pk).outcome == "not-claimed"
    notification = Notification.objects.get()
    assert notification.title == "Due: Send the price list"
    assert notification.url == f"/follow-ups/{follow_up.pk}/"
    assert notification.delivery == in_app


def test_a_recipient_without_an_address_is_a_failure_staff_can_see(assignee, due_email):
    assignee.email = ""
    assignee.save()
    with travel(NOON):
        assert reminders.reminder_send(delivery_id=due_email.pk).outcome == "failed"
    due_email.refresh_from_db()
    assert due_email.status == Status.FAILED and "no e-mail address" in due_email.last_error


# --- The weekly digest ---------------------------------------------------------------------------
def test_a_weekly_digest_goes_out_on_monday_morning_in_each_users_zone(
    assignee, center_user, sweep, published, settings
):
    settings.REMINDER_DIGEST_WEEKDAY, settings.REMINDER_DIGEST_HOUR = 0, 8
    follow_up_for(assignee, datetime(2026, 3, 20, 9, tzinfo=NEW_YORK))
    follow_up_for(center_user, datetime(2026, 3, 20, 9, tzinfo=NEW_YORK))
    # Monday 9 March 2026, 8:00 in Tokyo is Sunday 19:00 in New York.
    with travel(datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))):
        sweep()
    assert list(ReminderDelivery.objects.values_list("recipient", "digest_week")) == [
        (center_user.pk, datetime(2026, 3, 9).date())
    ]
    with travel(datetime(2026, 3, 9, 8, 0, tzinfo=NEW_YORK)):
        sweep()
        sweep()
        deliver(published)
    assert ReminderDelivery.objects.filter(stage=Stage.DIGEST).count() == 2
    digest = next(m for m in mail.outbox if m.extra_headers["Content-Language"] == "en")
    assert digest.subject == "Your week: 1 follow-up open"
    assert "Send the price list" in digest.body
    with travel(datetime(2026, 3, 16, 9, 0, tzinfo=NEW_YORK)):
        sweep()
    assert ReminderDelivery.objects.filter(stage=Stage.DIGEST).count() == 4
