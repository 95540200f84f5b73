"""Reminders through real processes: a Celery worker and beat on a real Redis, and a real SMTP
server on loopback, sharing the test's PostgreSQL database.

Each test seeds a few hundred due follow-ups and waits (polling, with a timeout) until every
reminder is marked sent, then reads what the SMTP server received: every e-mail once, to the
right person, in their language, with the link to the record. The fault tests break something in
the middle (kill -9 the worker, stop Redis, stop SMTP, run two beats) and check the same."""

import time
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import date_format

from matching.models import ReminderDelivery, TaskHeartbeat
from matching.services.reminders import SWEEP
from tests.integration.conftest import Expected, email_key
from tests.integration.harness import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.postgres]

SITE_URL = "https://export.example.test"  # jntp.settings.integration
FOLLOW_UPS = 300


def report(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n[reminders] {text}")


def sent_everything(expected: Expected):
    rows = ReminderDelivery.objects.all()
    return rows.count() == 2 * expected.email_count and not rows.exclude(status="sent").exists()


def wait_for_all(expected: Expected, smtp_server, celery, timeout: float = 90):
    wait_until(
        lambda: sent_everything(expected) and len(smtp_server.sink.keys()) == expected.email_count,
        timeout=timeout,
        what=f"{expected.email_count} reminders to be sent",
        on_timeout=lambda: (
            f"sink: {smtp_server.sink.count()} messages; rows: {status_counts()}\n{celery.logs()}"
        ),
    )


def status_counts() -> dict:
    return dict(ReminderDelivery.objects.values_list("status").order_by().annotate(n=Count("pk")))


def check_each_arrived_right(expected: Expected, smtp_server):
    """Every reminder once, to its recipient, in their language, with the link to its record."""
    received = smtp_server.sink.by_key()
    for follow_up in expected.follow_ups:
        message = received[email_key(follow_up)]
        assignee = follow_up.assignee
        assert message["to"] == [assignee.email]
        assert message["language"] == assignee.language
        assert f"{SITE_URL}{expected.paths[follow_up.pk]}" in message["text"]
        assert f"{SITE_URL}/follow-ups/{follow_up.pk}/" in message["text"]
        # The due time as the recipient reads it: their language's format, their zone's clock.
        with translation.override(assignee.language), timezone.override(ZoneInfo(assignee.time_zone)):
            due = date_format(timezone.localtime(follow_up.due_at), "DATETIME_FORMAT")
        assert due in message["text"], (due, message["text"])


def duplicates(smtp_server) -> dict[str, int]:
    return {key: n for key, n in smtp_server.sink.keys().items() if n > 1}


def test_every_reminder_arrives_once_to_the_right_person_in_their_language(seed, celery, smtp_server, capsys):
    expected = seed(FOLLOW_UPS)
    smtp_server.start()
    started = time.monotonic()
    celery.worker()
    celery.beat()
    wait_for_all(expected, smtp_server, celery)
    elapsed = time.monotonic() - started

    check_each_arrived_right(expected, smtp_server)
    assert duplicates(smtp_server) == {}
    assert smtp_server.sink.count() == expected.email_count
    report(
        capsys,
        f"delivery: {expected.email_count} e-mails and {expected.email_count} notifications for "
        f"{FOLLOW_UPS} follow-ups in {elapsed:.1f} s from a cold start; duplicates 0",
    )


def test_a_worker_killed_mid_batch_loses_nothing(seed, celery, smtp_server, capsys):
    expected = seed(FOLLOW_UPS)
    smtp_server.start()
    started = time.monotonic()
    worker = celery.worker()
    celery.beat()
    kills = 0
    for fraction in (0.2, 0.5, 0.8):
        wait_until(
            lambda fraction=fraction: smtp_server.sink.count() >= expected.email_count * fraction,
            timeout=60,
            what=f"{fraction:.0%} of the e-mails",
            on_timeout=celery.logs,
        )
        worker.kill9()  # kill -9 of the whole worker: main process and pool, mid-batch
        kills += 1
        worker = celery.worker()
    wait_for_all(expected, smtp_server, celery, timeout=120)
    elapsed = time.monotonic() - started

    sent_twice = duplicates(smtp_server)
    reclaimed = set(
        ReminderDelivery.objects.filter(reclaims__gt=0, channel="email").values_list(
            "follow_up_id", flat=True
        )
    )
    check_each_arrived_right(expected, smtp_server)
    assert len(smtp_server.sink.keys()) == expected.email_count  # nothing lost
    # Only a crash between SMTP acceptance and the commit may send twice: such rows were reclaimed.
    assert {int(key.split("/")[1]) for key in sent_twice} <= reclaimed
    assert sum(n - 1 for n in sent_twice.values()) <= kills * 2  # at most one per pool process
    report(
        capsys,
        f"kill -9: {kills} kills of the worker group during {expected.email_count} e-mails; "
        f"lost 0; sent twice {sum(n - 1 for n in sent_twice.values())} "
        f"({sorted(sent_twice) or 'none'}); claims released after the lease {len(reclaimed)}; "
        f"all delivered in {elapsed:.1f} s",
    )


def test_redis_stopped_mid_sweep_then_started_delivers_all_once(
    seed, celery, smtp_server, redis_server, capsys
):
    expected = seed(FOLLOW_UPS)
    smtp_server.start()
    started = time.monotonic()
    celery.worker()
    celery.beat()
    wait_until(
        lambda: smtp_server.sink.count() >= expected.email_count * 0.3,
        timeout=60,
        what="a third of the e-mails",
        on_timeout=celery.logs,
    )
    redis_server.kill9()  # every queued message is lost: no persistence
    down_at = time.monotonic()
    sent_while_down = smtp_server.sink.count()
    time.sleep(3)  # Redis stays down for a while (not a race: nothing is awaited here)
    redis_server.start()
    wait_for_all(expected, smtp_server, celery, timeout=120)
    elapsed = time.monotonic() - started

    check_each_arrived_right(expected, smtp_server)
    assert duplicates(smtp_server) == {}
    report(
        capsys,
        f"redis: stopped after {sent_while_down} of {expected.email_count} e-mails for 3 s; lost 0, "
        f"duplicates 0; all delivered {time.monotonic() - down_at:.1f} s after it stopped "
        f"({elapsed:.1f} s in all)",
    )


def test_smtp_down_then_back_delivers_all_once_after_it_returns(seed, celery, smtp_server, capsys):
    expected = seed(FOLLOW_UPS // 2)
    started = time.monotonic()
    celery.worker()
    celery.beat()  # the SMTP server is not listening yet: connection refused
    email = ReminderDelivery.objects.filter(channel="email")
    wait_until(
        lambda: email.count() == expected.email_count and not email.filter(attempts__lt=2).exists(),
        timeout=60,
        what="every e-mail to have been tried and retried",
        on_timeout=celery.logs,
    )
    assert not email.filter(status="sent").exists()
    attempts_while_down = sum(email.values_list("attempts", flat=True))
    smtp_server.start()
    back_at = time.monotonic()
    wait_for_all(expected, smtp_server, celery, timeout=90)
    elapsed = time.monotonic() - started

    check_each_arrived_right(expected, smtp_server)
    assert duplicates(smtp_server) == {}
    assert not email.filter(status="failed").exists()
    report(
        capsys,
        f"smtp down: {attempts_while_down} refused attempts for {expected.email_count} e-mails (backoff "
        f"0.5 s doubling to 3 s in the integration settings); all delivered once "
        f"{time.monotonic() - back_at:.1f} s after SMTP returned ({elapsed:.1f} s in all)",
    )


def test_two_beats_at_once_send_nothing_twice(seed, celery, smtp_server, capsys):
    expected = seed(FOLLOW_UPS // 2)
    smtp_server.start()
    started = time.monotonic()
    celery.worker()
    beats = [celery.beat(), celery.beat()]
    wait_for_all(expected, smtp_server, celery)
    wait_until(
        lambda: all("reminders-sweep" in beat.log(tail=400) for beat in beats),
        timeout=10,
        what="both beats to send sweeps",
        on_timeout=celery.logs,
    )
    elapsed = time.monotonic() - started

    check_each_arrived_right(expected, smtp_server)
    assert duplicates(smtp_server) == {}
    runs = TaskHeartbeat.objects.get(name=SWEEP).runs
    report(
        capsys,
        f"two beats: {runs} sweeps in {elapsed:.1f} s; {expected.email_count} e-mails, duplicates 0",
    )
