"""The staff dashboard: the figures of a year from the same selector as `annual_report`, the funnel,
and the cache that keeps it quick at national scale without ever showing figures older than the
last write."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import selectors
from matching.models import Consultation, Match, SampleShipment
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

IN_2021 = datetime(2021, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def year(center, other_center, company, other_company):
    """2021: one match active through a consultation, one only through a shipped sample, one only
    through an MOU; one whose only sample was rejected and one with a consultation in 2020 (neither
    counts)."""
    consulted = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
    f.ConsultationFactory(
        match=consulted,
        starts_at=IN_2021,
        status="held",
        result_logged_at=IN_2021,
        consulted_amount_usd=50_000,
    )
    f.ConsultationFactory(match=consulted, starts_at=IN_2021, status="cancelled")
    sampled = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=other_center))
    f.ShipmentFactory(match=sampled, company=other_company, center=other_center, shipped_at=IN_2021)
    signed = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=other_center))
    f.OutcomeFactory(match=signed, kind="mou", signed_on=IN_2021.date())
    rejected = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center))
    shipment = f.ShipmentFactory(
        match=rejected, company=other_company, center=center, status="rejected", rejection_reason="Not a fit"
    )
    SampleShipment.objects.filter(pk=shipment.pk).update(created_at=IN_2021)
    earlier = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=center))
    f.ConsultationFactory(match=earlier, starts_at=IN_2021.replace(year=2020))
    return {"consulted": consulted, "sampled": sampled, "signed": signed}


def test_a_match_is_active_in_a_year_through_a_consultation_a_sample_or_an_outcome(year):
    assert set(selectors.active_matches(2021)) == set(year.values())
    assert selectors.active_matches(2019).count() == 0


def test_the_dashboard_shows_the_figures_and_funnel_of_the_year(client, staff_user, year):
    client.force_login(staff_user)
    response = client.get(reverse("matching:dashboard"), {"year": 2021})
    figures = response.context["figures"]
    assert figures == selectors.annual_figures(2021)  # the selector annual_report prints
    assert (figures["companies_linked"], figures["buyers"], figures["centers_active"]) == (2, 3, 2)
    assert (figures["consultations"], figures["consulted_usd"], figures["mous"]) == (1, Decimal(50_000), 1)
    funnel = {step["step"]: step["count"] for step in response.context["funnel"]}
    # Samples requested in 2021: the rejected one; the one shipped in 2021 was requested this year.
    assert funnel == {"matches": 3, "consultations": 1, "samples": 1, "outcomes": 1}
    assert response.context["years"][-2:] == [2021, 2020]


def test_an_unknown_year_opens_the_latest_with_activity(client, staff_user, year):
    client.force_login(staff_user)
    assert client.get(reverse("matching:dashboard"), {"year": "1999"}).context["year"] == 2021
    assert client.get(reverse("matching:dashboard"), {"year": "x"}).context["year"] == 2021


@pytest.mark.postgres
def test_the_figures_are_cached_until_a_counted_row_changes(client, staff_user, year):
    client.force_login(staff_user)
    url = reverse("matching:dashboard") + "?year=2021"

    def visit():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response.context["figures"], len(queries)

    first, cold = visit()
    again, warm = visit()
    assert again == first and warm < cold - 5  # the year's figures came from the cache

    # Any write to a counted table shows at once, however it was made: a conditional UPDATE ...
    Consultation.objects.filter(status="cancelled").update(status="scheduled")
    assert visit()[0]["consultations"] == 2
    # ... a new row ...
    f.ConsultationFactory(match=year["sampled"], starts_at=IN_2021)
    assert visit()[0]["consultations"] == 3
    # ... a deletion, and a match moving to another company.
    Consultation.objects.filter(match=year["sampled"]).delete()
    assert visit()[0]["consultations"] == 2
    Match.objects.filter(pk=year["signed"].pk).update(company=f.CompanyFactory())
    assert visit()[0]["companies_linked"] == 3


@pytest.mark.parametrize("rows", [10, 100])
def test_the_dashboard_runs_as_many_queries_for_many_rows_as_for_few(
    client, staff_user, center, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        match = f.MatchFactory(buyer=f.BuyerFactory(center=center))
        f.ConsultationFactory(match=match, starts_at=IN_2021)
        f.OutcomeFactory(match=match, kind="contract", amount=10, currency="USD", usd_rate=1, amount_usd=10)
    client.force_login(staff_user)
    # Cold: session, user, stamp, years ×2, default year, figures ×6, funnel ×2, months ×2, the
    # three "needs attention" lists and their counts, and the notification bell.
    with django_assert_max_num_queries(25):
        assert client.get(reverse("matching:dashboard"), {"year": 2021}).status_code == 200


def test_each_figure_of_the_year_links_to_a_list_of_as_many_rows(client, staff_user, year):
    """Companies linked, centers active and buyers: the lists behind the dashboard's figures."""
    f.BuyerFactory(center=f.CenterFactory(code="IDLE"), name="Idle Imports")  # no activity at all
    f.CompanyFactory()
    client.force_login(staff_user)
    figures = client.get(reverse("matching:dashboard"), {"year": 2021}).context["figures"]
    for name, figure in (
        ("matching:company_list", "companies_linked"),
        ("centers:center_list", "centers_active"),
        ("centers:buyer_list", "buyers"),
    ):
        response = client.get(reverse(name), {"active_year": 2021})
        assert response.context["page_obj"].paginator.count == figures[figure], name
    assert (
        client.get(reverse("matching:company_list"), {"active_year": 2019})
        .context["page_obj"]
        .paginator.count
        == 0
    )


def test_a_busy_years_dashboard_ranks_centers_by_what_they_signed(client, staff_user, monkeypatch):
    from matching.views import dashboard

    monkeypatch.setattr(dashboard, "CENTER_ROWS", 2)
    for code, usd in (("AAA", 10), ("BBB", 30), ("CCC", 20)):
        match = f.MatchFactory(buyer=f.BuyerFactory(center=f.CenterFactory(code=code)))
        f.OutcomeFactory(
            match=match,
            kind="contract",
            amount=usd,
            currency="USD",
            usd_rate=1,
            amount_usd=usd,
            signed_on=IN_2021.date(),
        )
    client.force_login(staff_user)
    response = client.get(reverse("matching:dashboard"), {"year": 2021})
    assert [row["center"] for row in response.context["centers"]] == ["BBB", "CCC"]
    assert response.context["chart_data"]["center_signed_usd"] == [30.0, 20.0]
    assert response.context["more_centers"] == 1
    assert "?active_year=2021" in response.content.decode()


def test_each_language_gets_the_center_names_of_its_own(client, staff_user, year):
    from jntp.users.models import User

    korean = f.UserFactory(role=User.Role.STAFF, username="staff-ko", language="ko")
    client.force_login(staff_user)  # English
    english_names = {
        row["name"] for row in client.get(reverse("matching:dashboard"), {"year": 2021}).context["centers"]
    }
    client.force_login(korean)
    korean_names = {
        row["name"] for row in client.get(reverse("matching:dashboard"), {"year": 2021}).context["centers"]
    }
    assert "Osaka Center" in english_names and "Osaka Center" not in korean_names


@pytest.mark.postgres
def test_the_first_write_after_the_stamp_is_created_moves_it(staff_user):
    from matching import figures_stamp

    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SEQUENCE {figures_stamp.SEQUENCE} RESTART")  # as the migration leaves it
    fresh = figures_stamp.current(connection)
    f.CenterFactory()
    assert figures_stamp.current(connection) != fresh


def test_active_in_a_year_counts_only_the_users_own_matches(
    client, company_user, center_user, other_company, other_center
):
    """A competitor's consultation does not make a buyer active in a company user's list, nor does
    activity at another center make a company active in a center manager's list."""
    buyer = f.BuyerFactory(center=center_user.center, name="Shared Buyer")
    f.MatchFactory(company=company_user.company, buyer=buyer)  # no activity of its own in 2021
    competitor = f.MatchFactory(company=other_company, buyer=buyer)
    f.ConsultationFactory(match=competitor, starts_at=IN_2021)
    elsewhere = f.MatchFactory(
        company=f.CompanyFactory(name_ko="다른센터기업"), buyer=f.BuyerFactory(center=other_center)
    )
    f.MatchFactory(company=elsewhere.company, buyer=f.BuyerFactory(center=center_user.center))
    f.ConsultationFactory(match=elsewhere, starts_at=IN_2021)

    client.force_login(company_user)
    buyers = client.get(reverse("centers:buyer_list"), {"active_year": 2021}).context["page_obj"]
    assert [b.name for b in buyers] == []
    client.force_login(center_user)
    companies = client.get(reverse("matching:company_list"), {"active_year": 2021}).context["page_obj"]
    assert [c.name_ko for c in companies] == [other_company.name_ko]
