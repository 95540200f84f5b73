import pytest
from django.urls import reverse
from django.utils import timezone

from centers.models import BuyerStatusChange
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(company, center):
    buyer = f.BuyerFactory(
        center=center, name="Kansai Foods", contact_name="Tanaka", email="tanaka@kansai.example"
    )
    match = f.MatchFactory(company=company, buyer=buyer)
    return {
        "buyer": buyer,
        "match": match,
        "upcoming": f.ConsultationFactory(match=match, starts_at=timezone.now() + timezone.timedelta(days=3)),
        "past": f.ConsultationFactory(match=match),
    }


def test_the_company_home_shows_its_own_work_only(client, company_user, mine):
    stranger = f.ConsultationFactory(starts_at=timezone.now() + timezone.timedelta(days=1))
    client.force_login(company_user)
    response = client.get(reverse("home"))
    assert list(response.context["upcoming"]) == [mine["upcoming"]]
    assert list(response.context["past"]) == [mine["past"]]
    assert stranger.match.buyer.name not in response.content.decode()


def test_a_buyers_contact_is_shown_to_the_company_only_when_staff_shared_it(client, company_user, mine):
    client.force_login(company_user)
    assert "tanaka@kansai.example" not in client.get(reverse("home")).content.decode()
    mine["match"].contact_shared = True
    mine["match"].save()
    assert "tanaka@kansai.example" in client.get(reverse("home")).content.decode()


def test_the_company_home_runs_a_fixed_number_of_queries(
    client, company_user, mine, django_assert_max_num_queries
):
    for _ in range(20):
        f.ConsultationFactory(match=mine["match"])
        f.MatchFactory(company=company_user.company)
    client.force_login(company_user)
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_the_center_home_shows_buyers_by_status_and_inbound_samples(client, center_user, mine, company):
    f.BuyerFactory(center=center_user.center, name="Umeda Mart", status="interested")
    f.BuyerFactory(name="Elsewhere Ltd")
    shipped = f.ShipmentFactory(company=company, center=center_user.center, status="approved")
    client.force_login(center_user)
    response = client.get(reverse("home"))
    columns = {c["status"].value: [i["buyer"].name for i in c["buyers"]] for c in response.context["columns"]}
    assert columns["prospect"] == ["Kansai Foods"] and columns["interested"] == ["Umeda Mart"]
    assert "Elsewhere Ltd" not in response.content.decode()
    assert list(response.context["inbound"]) == [shipped]


def test_a_busy_center_home_shows_the_buyers_longest_in_each_status_and_links_to_the_rest(
    client, center_user, company
):
    from matching.views.portals import BOARD_CARDS, PORTAL_ROWS

    now = timezone.now()
    for days in range(BOARD_CARDS + 4):
        f.BuyerFactory(
            center=center_user.center,
            name=f"Waiting {days:02d} days",
            status="contacted",
            status_changed_at=now - timezone.timedelta(days=days),
        )
    for _ in range(PORTAL_ROWS + 2):
        f.ShipmentFactory(company=company, center=center_user.center, status="approved")
    client.force_login(center_user)
    response = client.get(reverse("home"))

    column = next(c for c in response.context["columns"] if c["status"].value == "contacted")
    names = [item["buyer"].name for item in column["buyers"]]
    assert column["total"] == BOARD_CARDS + 4 and len(names) == BOARD_CARDS
    assert names[0] == f"Waiting {BOARD_CARDS + 3:02d} days"  # the longest wait first
    assert names == sorted(names, reverse=True)
    assert response.context["buyer_count"] == BOARD_CARDS + 4
    page = response.content.decode()
    assert f"?center={center_user.center_id}&amp;status=contacted&amp;sort=status_changed" in page
    assert len(response.context["inbound"]) == PORTAL_ROWS
    assert response.context["inbound_count"] == PORTAL_ROWS + 2
    assert f"?center={center_user.center_id}&amp;status=approved" in page


def test_the_center_home_runs_a_fixed_number_of_queries(client, center_user, django_assert_max_num_queries):
    for _ in range(30):
        f.ConsultationFactory(
            match=f.MatchFactory(buyer=f.BuyerFactory(center=center_user.center)),
            starts_at=timezone.now() + timezone.timedelta(days=2),
        )
    client.force_login(center_user)
    with django_assert_max_num_queries(10):
        client.get(reverse("home"))


# --- The inline status control -----------------------------------------------------------------------
def _move(client, buyer, to, expected, note="", htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("centers:buyer_status", args=[buyer.pk]),
        {"status": to, "expected_status": expected, "note": note},
        headers=headers,
    )


def test_a_center_manager_moves_a_buyer_inline_and_the_note_lands_in_its_history(client, center_user, mine):
    client.force_login(center_user)
    response = _move(client, mine["buyer"], "contacted", "prospect", note="Called after the fair")
    assert response.status_code == 200
    assert 'id="buyer-status-' in response.content.decode()
    change = BuyerStatusChange.objects.get(buyer=mine["buyer"])
    assert (change.to_status, change.note, change.changed_by) == (
        "contacted",
        "Called after the fair",
        center_user,
    )


def test_the_second_of_two_simultaneous_edits_gets_a_conflict_and_the_current_state(
    client, center_user, mine, english
):
    client.force_login(center_user)
    _move(client, mine["buyer"], "contacted", "prospect")  # someone else, a moment earlier
    response = _move(client, mine["buyer"], "dropped", "prospect")  # from a page that still shows prospect
    body = response.content.decode()
    assert "Someone else changed this buyer" in body
    assert response.context["buyer"].status == "contacted"  # the current state comes back with the message
    assert BuyerStatusChange.objects.filter(buyer=mine["buyer"]).count() == 1


def test_a_move_the_pipeline_does_not_allow_is_refused(client, center_user, mine, english):
    client.force_login(center_user)
    body = _move(client, mine["buyer"], "prospect", "prospect").content.decode()
    assert "cannot move" in body
    assert not BuyerStatusChange.objects.exists()


def test_without_htmx_the_status_form_redirects_to_the_buyer(client, staff_user, mine):
    client.force_login(staff_user)
    response = _move(client, mine["buyer"], "contacted", "prospect", htmx=False)
    assert response.status_code == 302 and response.url == mine["buyer"].get_absolute_url()
