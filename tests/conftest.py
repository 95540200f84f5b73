"""Shared fixtures: the personas every access test uses, and the rules for tests that need a service.

A test marked `postgres`, `redis`, `browser` or `gettext` is skipped with a reason where the service
is missing, except when CI=true: there a missing service fails the run instead of hiding it."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

from tests import factories

CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def _redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not _redis_reachable():
        return "needs Redis: set REDIS_URL=redis://... to a running server"
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if item.get_closest_marker("gettext") and not shutil.which("xgettext"):
        return "needs GNU gettext's xgettext (apt-get install gettext)"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason:
        if CI:
            pytest.fail(f"CI=true and a required service is missing: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _english_in_test_code():
    """Code a test calls directly (services, validators) speaks English, like the personas; pages
    still follow the user's language or, for visitors, the Korean default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures are keyed by a database sequence, which a rolled-back test does not rewind."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Personas: staff, two companies, two centers ---------------------------------------------------
@pytest.fixture
def center(db):
    return factories.CenterFactory(
        code="OSA", name_en="Osaka Center", time_zone="Asia/Tokyo", currency="JPY", country="JP"
    )


@pytest.fixture
def other_center(db):
    return factories.CenterFactory(
        code="DXB", name_en="Dubai Center", time_zone="Asia/Dubai", currency="AED", country="AE"
    )


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name_en="Wando Laver")


@pytest.fixture
def other_company(db):
    return factories.CompanyFactory(name_en="Naju Energy")


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(role="staff", username="staff", is_staff=True)


@pytest.fixture
def company_user(company):
    return factories.UserFactory(role="company", company=company, username="company")


@pytest.fixture
def other_company_user(other_company):
    return factories.UserFactory(role="company", company=other_company, username="company2")


@pytest.fixture
def center_user(center):
    return factories.UserFactory(role="center", center=center, username="center", time_zone="Asia/Tokyo")


@pytest.fixture
def other_center_user(other_center):
    return factories.UserFactory(
        role="center", center=other_center, username="center2", time_zone="Asia/Dubai"
    )


@pytest.fixture
def english(staff_user, company_user, other_company_user, center_user, other_center_user):
    """The personas read the app in English, for tests that assert on the English messages (the
    default language, Korean, changes with every update of the translator's catalogue)."""
    personas = (staff_user, company_user, other_company_user, center_user, other_center_user)
    for user in personas:
        user.language = "en"
    type(staff_user).objects.filter(pk__in=[u.pk for u in personas]).update(language="en")


@pytest.fixture
def english_messages():
    """Messages that a test reads are produced in English (Korean is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
