import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import get_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from jntp.settings import base

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_by_default():
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("s3cret-enough-phrase").startswith("argon2$")
        assert get_hasher().algorithm == "argon2"


def test_production_settings_pass_the_deployment_check():
    # The browser tests allow the ORM inside Playwright's event loop in this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "jntp.settings.production",
        "DJANGO_SECRET_KEY": "x7#" + "k" * 30 + "Qp9!vR2$mZ8&wL5^nB3*dF6(hJ1)tY4",
        "DJANGO_ALLOWED_HOSTS": "export.jntp.or.kr",
        "DATABASE_URL": "postgres://jntp@db.internal:5432/jntp",
        "REDIS_URL": "redis://redis.internal:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="jntp.settings.production",
        DJANGO_ALLOWED_HOSTS="x",
        REDIS_URL="redis://x",
        DATABASE_URL="sqlite:///tmp.db",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_wrong_passwords_lock_the_account_from_that_address_only(client, company_user):
    for _ in range(4):
        assert _login(client, "company", "wrong-password").status_code == 200
    assert _login(client, "company", "wrong-password").status_code == 429  # the 5th failure locks

    locked = _login(client, "company", "correct horse battery staple")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]

    # The real user elsewhere is not locked out by an attacker's guesses.
    elsewhere = _login(client, "company", "correct horse battery staple", ip="10.0.0.2")
    assert elsewhere.status_code == 302


def test_a_wrong_password_says_so_next_to_the_form(client, company_user):
    response = _login(client, "company", "nope")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_signing_in_rotates_the_session_and_signing_out_ends_it(client, company_user):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    assert _login(client, "company", "correct horse battery staple").status_code == 302
    session = client.cookies["sessionid"].value
    assert before is None or before.value != session

    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    client.cookies["sessionid"] = session
    assert client.get(reverse("home")).status_code == 302  # the old cookie is dead


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, company_user):
    client.force_login(company_user)
    assert client.get(reverse("home")).status_code == 200
    company_user.is_active = False
    company_user.save()
    assert client.get(reverse("home")).status_code == 302


def test_logout_needs_a_post(client, company_user):
    client.force_login(company_user)
    assert client.get(reverse("logout")).status_code == 405
