"""The export-event pages. Events are shared reference data: every role reads them, but the
consultations and outcomes on an event's page are only those the user may see."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import ExportEvent
from tests import factories as f
from tests.viewtools import (
    assert_login_redirect,
    client_for,
    column,
    read_csv,
    read_xlsx,
    rows_unchanged,
    unchanged,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world(center, other_center, company, other_company):
    event = f.ExportEventFactory(code="festival-2021", name_en="Online export festival 2021")
    mine = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
    theirs = f.MatchFactory(company=other_company, buyer=f.BuyerFactory(center=other_center))
    for match, consulted in ((mine, 100_000), (theirs, 900_000)):
        f.ConsultationFactory(
            match=match,
            event=event,
            status="held",
            consulted_amount_usd=consulted,
            result_logged_at=event.created_at,
        )
        f.OutcomeFactory(
            match=match,
            event=event,
            kind="export_agreement",
            amount=consulted,
            currency="USD",
            usd_rate=1,
            amount_usd=consulted,
        )
    return SimpleNamespace(event=event)


def _url(world, name, key=None):
    return reverse(name, args=[getattr(world, key).pk]) if key else reverse(name)


ACCESS = [
    ("matching:event_list", None, {"staff": 200, "company": 200, "center": 200}),
    ("matching:event_detail", "event", {"staff": 200, "company": 200, "center": 200}),
    ("matching:event_create", None, {"staff": 200, "company": 403, "center": 403}),
    ("matching:event_update", "event", {"staff": 200, "company": 403, "center": 403}),
    ("matching:event_delete", "event", {"staff": 200, "company": 403, "center": 403}),
]


@pytest.mark.parametrize(("name", "key", "expected"), ACCESS)
@pytest.mark.parametrize("role", ["staff", "company", "center", None])
def test_each_role_gets_what_it_may_see(client, request, world, name, key, expected, role):
    response = client_for(client, request, role).get(_url(world, name, key))
    if role is None:
        assert_login_redirect(response)
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ["company", "center"])
def test_only_staff_change_or_delete_events(client, request, world, role):
    client = client_for(client, request, role)
    event = world.event
    with rows_unchanged("matching.ExportEvent"), unchanged(event, "name_ko", "version"):
        data = {"code": "x", "name_ko": "x", "name_en": "x", "kind": "trade_fair", "version": event.version}
        assert client.post(_url(world, "matching:event_update", "event"), data).status_code == 403
        assert client.post(_url(world, "matching:event_delete", "event")).status_code == 403
        assert client.post(reverse("matching:event_create"), data).status_code == 403


def test_an_unknown_event_is_a_404(client, staff_user, world):
    client.force_login(staff_user)
    assert client.get(reverse("matching:event_detail", args=[world.event.pk + 999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "consulted", "signed"),
    [("staff", 1_000_000, 1_000_000), ("company", 100_000, 100_000), ("center", 100_000, 100_000)],
)
def test_an_events_totals_count_only_what_the_user_may_see(client, request, world, role, consulted, signed):
    response = client_for(client, request, role).get(_url(world, "matching:event_detail", "event"))
    totals = response.context["totals"]
    assert totals["consulted"] == consulted and totals["signed_usd"] == signed
    assert len(response.context["consultations"]) == totals["consultations"]
    page = client_for(client, request, role).get(reverse("matching:event_list")).context["page_obj"]
    assert [e.outcome_usd for e in page] == [Decimal(signed)]


# --- Fixed query counts -----------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [10, 100])
def test_the_event_list_runs_five_queries_whatever_its_length(
    client, staff_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        event = f.ExportEventFactory()
        f.ConsultationFactory(event=event)
        f.OutcomeFactory(event=event)
    client.force_login(staff_user)
    # 1 session, 2 user, 3 count, 4 the page of events with their consultation and outcome counts and
    # signed USD (sub-selects)
    # and 5, the unread count of the notification bell
    with django_assert_num_queries(5):
        response = client.get(reverse("matching:event_list"))
    page = response.context["page_obj"]
    assert len(page) == min(page.paginator.count, 25) and page.paginator.count >= rows


def test_the_event_page_runs_as_many_queries_for_many_rows_as_for_few(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("matching:event_detail", args=[world.event.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        f.ConsultationFactory(event=world.event)
        f.OutcomeFactory(event=world.event)
    assert count() == few


def test_a_busy_events_page_shows_the_latest_rows_and_links_to_the_rest(client, staff_user, world):
    from matching.views import events

    for _ in range(events.RECENT + 3):
        f.ConsultationFactory(event=world.event, status="cancelled")
        f.OutcomeFactory(event=world.event, kind="mou")
    client.force_login(staff_user)
    response = client.get(reverse("matching:event_detail", args=[world.event.pk]))
    totals = response.context["totals"]
    assert len(response.context["consultations"]) == len(response.context["outcomes"]) == events.RECENT
    # The figures still count every row: two held consultations, the cancelled ones not
    assert (totals["rows"], totals["consultations"], totals["outcomes"]) == (
        events.RECENT + 5,
        2,
        events.RECENT + 5,
    )
    assert totals["mous"] == events.RECENT + 3
    page = response.content.decode()
    assert f"{events.RECENT} / {events.RECENT + 5}" in page
    assert f"event={world.event.pk}" in page  # "All in the list" keeps the event filter


# --- Filters and exports ------------------------------------------------------------------------------
def test_events_filter_by_kind_and_dates(client, staff_user, world):
    fair = f.ExportEventFactory(kind="trade_fair", starts_on=date(2021, 5, 1), ends_on=date(2021, 5, 3))
    client.force_login(staff_user)

    def pks(**params):
        return {e.pk for e in client.get(reverse("matching:event_list"), params).context["page_obj"]}

    assert pks(kind="trade_fair") == {fair.pk}
    assert pks(starts_from="2021-05-02", starts_to="2021-05-02") == {fair.pk}
    assert pks(starts_from="2021-12-01") == {world.event.pk}


def test_the_event_export_has_the_filtered_rows_with_formulas_escaped(client, staff_user, world):
    f.ExportEventFactory(name_en="=WEBSERVICE(1)", name_ko="=WEBSERVICE(1)", kind="trade_mission")
    client.force_login(staff_user)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(client.get(reverse("matching:event_list"), {"kind": "trade_mission", "format": fmt}))
        assert column(rows, "Name (English)") == ["'=WEBSERVICE(1)"]


def test_a_company_user_exports_its_own_figures_of_each_event(client, company_user, world):
    client.force_login(company_user)
    rows = read_xlsx(client.get(reverse("matching:event_list"), {"format": "xlsx"}))
    assert column(rows, "Signed (USD)") == [100000]


# --- The form ------------------------------------------------------------------------------------------
def _event_data(**overrides):
    data = {
        "code": "energy-week-2021",
        "name_ko": "한-UAE 에너지 위크",
        "name_en": "KOREA-UAE Energy Week",
        "kind": "energy_week",
        "starts_on": "2021-11-14",
        "ends_on": "2021-11-16",
        "city": "Dubai",
        "country": "AE",
    }
    data.update(overrides)
    return data


def test_staff_add_and_edit_an_event(client, staff_user):
    client.force_login(staff_user)
    assert client.post(reverse("matching:event_create"), _event_data()).status_code == 302
    event = ExportEvent.objects.get(code="energy-week-2021")
    data = _event_data(city="Abu Dhabi", version=event.version)
    assert client.post(reverse("matching:event_update", args=[event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert event.city == "Abu Dhabi"


def test_an_event_ending_before_it_starts_is_refused(client, staff_user):
    client.force_login(staff_user)
    with rows_unchanged("matching.ExportEvent"):
        response = client.post(reverse("matching:event_create"), _event_data(ends_on="2021-11-01"))
    assert "cannot end before it starts" in str(response.context["form"].non_field_errors())


def test_a_stale_event_edit_is_refused(client, staff_user, world):
    client.force_login(staff_user)
    event = world.event
    ExportEvent.objects.filter(pk=event.pk).update(version=event.version + 1)
    with unchanged(event, "city"):
        data = _event_data(code=event.code, city="Seoul", version=event.version)
        response = client.post(reverse("matching:event_update", args=[event.pk]), data)
    assert "Someone else saved this record" in str(response.context["form"].non_field_errors())


def test_an_event_with_consultations_is_not_deleted(client, staff_user, world):
    client.force_login(staff_user)
    with rows_unchanged("matching.ExportEvent"):
        response = client.post(reverse("matching:event_delete", args=[world.event.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
