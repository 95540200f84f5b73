"""seed_scale builds the benchmark dataset deterministically and only once; the bench harness times
the recommendations and every registered page for each role."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from jntp.benchmarks import harness
from jntp.benchmarks.pages import Page
from matching.models import BuyerHeadingHistory, BuyerSignal

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("users", "centers", "matching")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def small_nation(settings):
    settings.DEBUG = True
    return _run("seed_scale", "--scale", "0.005")


def test_seed_scale_loads_every_kind_of_row_and_says_how_long_it_took(small_nation):
    counts = _counts()

    assert "Loaded" in small_nation and " s " in small_nation
    assert (
        counts["centers.Center"] == 1 and counts["matching.Company"] == 50 and counts["centers.Buyer"] == 250
    )
    for label in (
        "matching.Consultation",
        "matching.SampleShipment",
        "matching.ShipmentItem",
        "matching.Outcome",
    ):
        assert counts[label] > 0, label
    assert counts["matching.FollowUp"] == 2_500
    # The engine's counts came with the rows, through the triggers.
    assert BuyerSignal.objects.exists() and BuyerHeadingHistory.objects.exists()


def test_seed_scale_runs_once(small_nation):
    before = _counts()

    assert "already loaded; nothing changed" in _run("seed_scale", "--scale", "0.005")
    assert _counts() == before


def test_seed_scale_is_deterministic(small_nation):
    from centers.models import Buyer
    from matching.models import Product

    first = (
        list(Buyer.objects.order_by("pk").values_list("name", "country", "status")),
        list(Product.objects.order_by("pk").values_list("hs_code", "name_en")),
    )
    # Same seed, same sizes: an empty database gets the same rows (checked on a second builder).
    from matching.demo.national import NationalBuilder

    builder = NationalBuilder(scale=0.005)
    builder.insert = lambda label, model, rows, **kw: list(rows)  # build without inserting
    builder.reference()
    builder.network()
    assert [(b.name, b.country, b.status) for b in builder.buyers] == first[0]


def test_seed_scale_refuses_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        _run("seed_scale", "--scale", "0.005")


def test_the_harness_times_each_page_for_each_role(staff_user, company_user, center_user, company):
    pages = [
        Page("home", "/", ("company", "center")),
        Page("dashboard", "/dashboard/", ("staff",)),
        Page(
            "a company in the admin", lambda s: f"/admin/matching/company/{s.company.pk}/change/", ("staff",)
        ),
    ]
    users = {"staff": staff_user, "company": company_user, "center": center_user}

    timings = harness.measure_pages(users, requests=3, pages=pages)

    assert [(t.name, t.role, t.status) for t in timings] == [
        ("home", "company", 200),
        ("home", "center", 200),
        ("dashboard", "staff", 200),
        ("a company in the admin", "staff", 200),
    ]
    assert all(len(t.times_ms) == 3 and t.max_queries > 0 and t.median_ms > 0 for t in timings)
    assert harness.meets(timings[0], kind="page") in (True, False)


def test_the_bench_command_refuses_sqlite_unless_asked(small_nation):
    if connection.vendor == "postgresql":
        pytest.skip("runs where the database is not PostgreSQL")
    with pytest.raises(CommandError, match="PostgreSQL"):
        _run("bench")


@pytest.mark.postgres
def test_the_bench_command_prints_a_table_and_writes_json(small_nation, tmp_path):
    output = tmp_path / "latest.json"

    text = _run("bench", "--samples", "3", "--requests", "2", "--output", str(output))

    report = json.loads(output.read_text())
    assert "buyers for a company" in text and "companies for a buyer" in text and "home" in text
    assert [r["name"] for r in report["recommendations"]] == ["buyers for a company", "companies for a buyer"]
    assert {r["samples"] for r in report["recommendations"]} == {3}
    assert {(p["name"], p["role"]) for p in report["pages"]} >= {
        ("dashboard", "staff"),
        ("home", "company"),
        ("home", "center"),
    }
    assert report["dataset"]["companies"] == 50
