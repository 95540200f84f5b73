"""Every settings module builds its database from a URL through one function that tunes PostgreSQL
connections for SSDs and leaves SQLite alone."""

import pytest
from django.db import connection

from jntp.settings.base import database


def test_a_postgresql_connection_prices_random_reads_for_ssds(monkeypatch):
    config = database("postgres://jntp@db.example:5432/jntp")
    assert config["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "2")
    assert database("postgres://jntp@db.example/jntp")["OPTIONS"]["options"] == "-c random_page_cost=2.0"
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "")  # behind PgBouncer: the server's setting
    assert "options" not in database("postgres://jntp@db.example/jntp").get("OPTIONS", {})


def test_sqlite_needs_no_tuning():
    assert "options" not in database("sqlite:///var/x.sqlite3").get("OPTIONS", {})


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_test_database_runs_with_the_setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
