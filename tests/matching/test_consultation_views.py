import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matching.models import Consultation
from tests import factories as f

pytestmark = pytest.mark.django_db
KST = ZoneInfo("Asia/Seoul")


@pytest.fixture
def own_match(company, center):
    return f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center, name="Naniwa Foods"))


def _list(client, **params):
    return client.get(reverse("matching:consultation_list"), params)


@pytest.mark.parametrize("rows", [10, 100])
def test_the_list_runs_the_same_queries_for_10_and_100_rows(
    client, staff_user, django_assert_num_queries, rows
):
    match = f.MatchFactory()
    f.ConsultationFactory.create_batch(rows, match=match, event=f.ExportEventFactory())
    client.force_login(staff_user)
    # 1 session, 2 user, 3 center choices, 4 event choices, 5 count, 6 the page of consultations with
    # their match, company, buyer, center and event in one join.
    # and 7, the unread count of the notification bell
    with django_assert_num_queries(7):
        response = _list(client)
    assert response.context["paginator"].count == rows


def test_filters_by_center_and_date_range(client, staff_user, center, other_center):
    here = f.ConsultationFactory(
        match=f.MatchFactory(buyer=f.BuyerFactory(center=center)),
        starts_at=datetime(2021, 6, 1, 10, tzinfo=KST),
    )
    f.ConsultationFactory(
        match=f.MatchFactory(buyer=f.BuyerFactory(center=center)),
        starts_at=datetime(2021, 9, 1, 10, tzinfo=KST),
    )
    f.ConsultationFactory(
        match=f.MatchFactory(buyer=f.BuyerFactory(center=other_center)),
        starts_at=datetime(2021, 6, 2, 10, tzinfo=KST),
    )
    client.force_login(staff_user)
    response = _list(client, center=center.pk, held_from="2021-05-01", held_to="2021-06-30")
    assert list(response.context["object_list"]) == [here]


def test_the_counted_status_leaves_out_cancelled_consultations(client, staff_user):
    held = f.ConsultationFactory(status="held", result_logged_at=datetime(2021, 1, 1, tzinfo=KST))
    f.ConsultationFactory(status="cancelled")
    client.force_login(staff_user)
    assert list(_list(client, status="counted").context["object_list"]) == [held]


def test_free_text_search_looks_at_company_buyer_and_summary(client, staff_user):
    wanted = f.ConsultationFactory(summary="Asked for halal certificates")
    f.ConsultationFactory(summary="Price too high")
    client.force_login(staff_user)
    assert list(_list(client, q="halal").context["object_list"]) == [wanted]


def test_columns_sort_both_ways(client, staff_user):
    low = f.ConsultationFactory(consulted_amount_usd=Decimal(100))
    high = f.ConsultationFactory(consulted_amount_usd=Decimal(900))
    client.force_login(staff_user)
    assert list(_list(client, sort="consulted").context["object_list"]) == [low, high]
    assert list(_list(client, sort="-consulted").context["object_list"]) == [high, low]


def test_an_htmx_request_gets_only_the_results(client, staff_user):
    f.ConsultationFactory()
    client.force_login(staff_user)
    body = client.get(reverse("matching:consultation_list"), headers={"HX-Request": "true"}).content.decode()
    assert 'id="results"' in body
    assert "<form" not in body and "<nav" not in body.split('id="results"')[0]


def test_a_company_user_lists_only_its_own_consultations(client, company_user, own_match):
    mine = f.ConsultationFactory(match=own_match)
    f.ConsultationFactory()
    client.force_login(company_user)
    assert list(_list(client).context["object_list"]) == [mine]


def test_export_xlsx_has_exactly_the_filtered_rows_with_formulas_escaped(client, staff_user, center):
    f.ConsultationFactory(
        match=f.MatchFactory(buyer=f.BuyerFactory(center=center)), summary='=HYPERLINK("x")'
    )
    f.ConsultationFactory(summary="elsewhere")
    client.force_login(staff_user)
    response = _list(client, center=center.pk, format="xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one consultation of the center
    assert '\'=HYPERLINK("x")' in rows[1]


def test_export_csv_is_scoped_to_the_center_manager(client, center_user, center):
    f.ConsultationFactory(match=f.MatchFactory(buyer=f.BuyerFactory(center=center, name="Mine Ltd")))
    f.ConsultationFactory(match=f.MatchFactory(buyer=f.BuyerFactory(name="Not Mine Ltd")))
    client.force_login(center_user)
    body = b"".join(_list(client, format="csv").streaming_content).decode("utf-8-sig")
    assert "Mine Ltd" in body and "Not Mine Ltd" not in body
    assert body.count("\n") == 2


# --- The form -------------------------------------------------------------------------------------------
def _form_data(match, **overrides):
    data = {
        "match": match.pk,
        "date": "2026-12-10",
        "time": "10:00",
        "time_basis": "korea",
        "duration_minutes": 60,
        "mode": "online_video",
        "status": "scheduled",
    }
    data.update(overrides)
    return data


def test_a_time_entered_in_the_center_zone_is_stored_right(client, staff_user, own_match):
    client.force_login(staff_user)  # the center is Osaka: Japan and Korea share UTC+9
    own_match.buyer.center.time_zone = "America/Los_Angeles"
    own_match.buyer.center.save()
    response = client.post(
        reverse("matching:consultation_create"), _form_data(own_match, time="17:00", time_basis="center")
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.starts_at == datetime(
        2026, 12, 11, 10, 0, tzinfo=KST
    )  # 17:00 PST = 10:00 KST next day


def test_a_slot_outside_the_center_hours_is_saved_with_a_warning(client, staff_user, own_match, english):
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:consultation_create"), _form_data(own_match, time="23:00"), follow=True
    )
    assert Consultation.objects.count() == 1
    assert "outside the center&#x27;s business hours" in response.content.decode()


def test_field_errors_stay_next_to_their_fields_and_nothing_is_saved(client, staff_user, own_match):
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:consultation_create"), _form_data(own_match, date="", consulted_amount_usd="-5")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"date", "consulted_amount_usd"}
    assert not Consultation.objects.exists()


def test_a_stale_edit_is_refused_instead_of_overwriting(client, staff_user, own_match):
    consultation = f.ConsultationFactory(match=own_match, summary="first")
    client.force_login(staff_user)
    url = reverse("matching:consultation_update", args=[consultation.pk])
    opened_version = consultation.version
    Consultation.objects.filter(pk=consultation.pk).update(summary="someone else", version=opened_version + 1)

    response = client.post(url, _form_data(own_match, version=opened_version, summary="mine"))
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.summary == "someone else"


def test_logging_a_result_records_who_and_when(client, center_user, own_match):
    consultation = f.ConsultationFactory(match=own_match)
    client.force_login(center_user)
    response = client.post(
        reverse("matching:consultation_update", args=[consultation.pk]),
        _form_data(
            own_match,
            date="2026-11-20",
            version=consultation.version,
            status="held",
            consulted_amount_usd="50000",
            expected_contract_usd="10000",
            interest_level="A",
        ),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "held"
    assert consultation.result_logged_by == center_user and consultation.result_logged_at


def test_a_center_manager_cannot_book_for_another_center(client, center_user):
    foreign = f.MatchFactory()
    client.force_login(center_user)
    response = client.post(reverse("matching:consultation_create"), _form_data(foreign))
    assert response.status_code == 200
    assert "match" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_the_time_preview_shows_both_zones(client, staff_user, own_match):
    client.force_login(staff_user)
    response = client.get(reverse("matching:consultation_time_preview"), _form_data(own_match, time="03:00"))
    body = response.content.decode()
    assert "2026-12-10 03:00" in body and own_match.buyer.center.city in body
    assert "outside the center" in body
