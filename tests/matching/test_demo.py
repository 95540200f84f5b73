import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from jntp.users.models import User
from matching.models import Outcome

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
def demo(settings):
    settings.DEBUG = True
    _run("seed_demo", "--password", "demo-pass-2021")


def test_the_demo_year_reports_the_figures_of_the_article(demo):
    report = json.loads(_run("annual_report", "--year", "2021", "--format", "json"))

    assert report["year"] == 2021
    assert report["companies_linked"] == 64
    assert report["centers_active"] == 16
    assert report["consultations"] == 76
    assert report["agreements_usd"] == 2_730_000
    assert report["contracts_usd"] == 3_000_000
    assert report["mous"] == 17
    assert report["samples_shipped"] > 0
    assert report["consulted_usd"] > report["expected_contract_usd"] > 0
    assert len(report["by_center"]) == 16
    for figure in ("consultations", "agreements_usd", "contracts_usd", "mous", "samples_shipped"):
        assert sum(row[figure] for row in report["by_center"]) == report[figure]
    assert set(report) >= {
        "year",
        "companies_linked",
        "centers_active",
        "buyers",
        "consultations",
        "consulted_usd",
        "expected_contract_usd",
        "samples_shipped",
        "agreements_usd",
        "contracts_usd",
        "mous",
        "by_center",
    }


def test_the_figures_come_from_the_data_not_from_the_code(demo):
    Outcome.objects.filter(kind="mou").first().delete()
    Outcome.objects.filter(kind="contract").update(amount_usd=1_000_000)

    report = json.loads(_run("annual_report", "--year", "2021", "--format", "json"))

    assert report["mous"] == 16
    assert report["contracts_usd"] == 1_000_000
    assert json.loads(_run("annual_report", "--year", "2020", "--format", "json"))["consultations"] == 0


def test_the_demo_covers_every_shipment_state_and_converts_foreign_currencies(demo):
    from matching.models import SampleShipment

    assert set(SampleShipment.objects.values_list("status", flat=True)) == set(SampleShipment.Status.values)
    assert Outcome.objects.exclude(currency="USD").exclude(amount__isnull=True).count() >= 4
    energy_week = Outcome.objects.get(kind="contract")
    assert energy_week.currency == "AED" and energy_week.event.code == "korea-uae-energy-week-2021"
    assert Outcome.objects.filter(event__code="online-export-festival-2021").exists()


def test_the_demo_opens_a_few_follow_ups_today_so_reminders_go_out(demo):
    from matching.models import FollowUp

    follow_ups = FollowUp.objects.select_related("assignee")
    assert {f.assignee.username for f in follow_ups} == {
        "demo-staff",
        "demo-company",
        "demo-center",
        "demo-center2",
    }
    assert follow_ups.overdue().count() == 1  # the dashboard has something to point at


def test_the_demo_users_have_their_roles(demo):
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    assert users["demo-staff"].role == "staff" and users["demo-staff"].is_staff
    assert users["demo-company"].company and users["demo-company2"].company
    assert users["demo-company"].company != users["demo-company2"].company
    assert users["demo-center"].center and users["demo-center2"].center
    assert users["demo-center"].center != users["demo-center2"].center
    assert users["demo-staff"].check_password("demo-pass-2021")
    # demo-company's buyers are at demo-center's center: the sample walk-through needs them together.
    assert users["demo-company"].company.matches.filter(buyer__center=users["demo-center"].center).exists()


def test_running_the_demo_twice_changes_nothing(demo):
    before = _counts()
    output = _run("seed_demo", "--password", "another")
    assert "already loaded" in output
    assert _counts() == before
    assert User.objects.get(username="demo-staff").check_password("demo-pass-2021")


def test_without_a_password_a_random_one_is_printed_once(settings):
    settings.DEBUG = True
    output = _run("seed_demo")
    password = output.split("shown only now): ")[1].strip()
    assert len(password) >= 12
    assert User.objects.get(username="demo-center").check_password(password)


def test_the_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == 0
    _run("seed_demo", "--force", "--password", "x")
    assert User.objects.filter(username="demo-staff").exists()


def test_if_empty_leaves_a_database_with_data_alone(settings):
    from tests.factories import CompanyFactory

    settings.DEBUG = True
    CompanyFactory()
    assert "not loaded" in _run("seed_demo", "--if-empty", "--password", "x")
    assert not User.objects.filter(username="demo-staff").exists()


def test_the_table_format_prints_the_totals_and_every_center(demo):
    output = _run("annual_report", "--year", "2021")
    assert "2,730,000" in output and "3,000,000" in output
    for code in ("OSA", "DXB", "SHA", "YVR"):
        assert code in output
