"""Fixtures of the integration tests: real Redis, SMTP, Celery worker and beat processes that share
the test's PostgreSQL database (rows are committed: `transactional_db`)."""

import itertools
import random
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from matching.models import FollowUp
from tests import factories as f
from tests.integration.harness import Celery, RedisServer, SmtpServer

PEOPLE = [
    # role, language, time zone
    ("staff", "ko", "Asia/Seoul"),
    ("staff", "en", "Europe/Berlin"),
    ("company", "ko", "Asia/Seoul"),
    ("company", "en", "America/New_York"),
    ("company", "ko", "Asia/Seoul"),
    ("center", "ko", "Asia/Tokyo"),
    ("center", "en", "Asia/Dubai"),
    ("center", "en", "America/Los_Angeles"),
]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.kill9()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def celery(transactional_db, tmp_path, redis_server, smtp_server):
    """Start workers and beats with celery.worker() and celery.beat(); all are killed at the end,
    before the database is flushed."""
    runner = Celery(
        tmp_path, database_url=database_url(), broker_url=redis_server.url, email_port=smtp_server.port
    )
    yield runner
    runner.stop_all()


@dataclass
class Expected:
    """What must arrive: one e-mail per delivery row, to its recipient, in their language, with the
    link to the record."""

    follow_ups: list[FollowUp]
    paths: dict[int, str]

    @property
    def email_count(self) -> int:
        return len(self.follow_ups)


@pytest.fixture
def seed(transactional_db):
    """A few hundred follow-ups, due a moment ago, spread over people of every role, language and
    zone, about every kind of record. None of the records triggers a rule, so the follow-ups are
    exactly these."""

    def make(count: int) -> Expected:
        rng = random.Random(20260308)
        centers = [
            f.CenterFactory(code=f"IT{i}", time_zone=zone)
            for i, zone in enumerate(("Asia/Tokyo", "Asia/Dubai"))
        ]
        companies = [f.CompanyFactory() for _ in range(3)]
        people = []
        for n, (role, language, zone) in enumerate(PEOPLE):
            extra = {"company": companies[n % 3]} if role == "company" else {}
            extra |= {"center": centers[n % 2]} if role == "center" else {}
            people.append(
                f.UserFactory(
                    username=f"it-{role}-{n}", role=role, language=language, time_zone=zone, **extra
                )
            )
        now = timezone.now()
        buyer = f.BuyerFactory(center=centers[0], status_changed_at=now)
        match = f.MatchFactory(company=companies[0], buyer=buyer)
        consultation = f.ConsultationFactory(
            match=match, starts_at=now - timedelta(days=2), status="held", result_logged_at=now
        )
        shipment = f.ShipmentFactory(company=companies[0], center=centers[0], match=match, status="approved")
        outcome = f.OutcomeFactory(match=match, kind="contract", amount=1000, amount_usd=1000, usd_rate=1)
        targets = itertools.cycle(
            [
                ({"consultation": consultation, "match": match}, f"/consultations/{consultation.pk}/"),
                ({"shipment": shipment}, f"/shipments/{shipment.pk}/"),
                ({"buyer": buyer}, f"/buyers/{buyer.pk}/"),
                ({"outcome": outcome, "match": match}, f"/outcomes/{outcome.pk}/"),
                ({"match": match}, f"/matches/{match.pk}/"),
                ({}, None),
            ]
        )
        rows, paths = [], []
        for n in range(count):
            target, path = next(targets)
            rows.append(
                FollowUp(
                    title=f"Integration follow-up {n}",
                    assignee=people[n % len(people)],
                    due_at=now - timedelta(seconds=rng.randrange(1, 3600)),
                    **target,
                )
            )
            paths.append(path)
        created = FollowUp.objects.bulk_create(rows)
        return Expected(
            follow_ups=created,
            paths={fu.pk: path or f"/follow-ups/{fu.pk}/" for fu, path in zip(created, paths, strict=True)},
        )

    return make


def email_key(follow_up: FollowUp) -> str:
    return f"follow-up/{follow_up.pk}/1/due/email"
