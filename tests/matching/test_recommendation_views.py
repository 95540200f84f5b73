import pytest
from django.urls import reverse

from matching.models import Match, MatchProposal, RecommendationDismissal
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(company, center):
    f.ProductFactory(company=company, hs_code="200899", name_en="Seasoned laver")
    buyer = f.BuyerFactory(center=center, name="Kansai Snacks")
    f.BuyerInterestFactory(buyer=buyer, hs_code="200899")
    return company, buyer


def _panel(client, company):
    return client.get(
        reverse("matching:company_recommendations", args=[company.pk]), headers={"HX-Request": "true"}
    )


def test_staff_see_ranked_buyers_with_their_reasons(client, staff_user, pair):
    company, buyer = pair
    client.force_login(staff_user)
    response = _panel(client, company)
    assert [r.buyer for r in response.context["recommendations"]] == [buyer]
    body = response.content.decode()
    assert "Kansai Snacks" in body and "2008.99" in body  # the reason names the matching code


def test_a_company_user_gets_no_recommendations(client, company_user, pair):
    client.force_login(company_user)
    assert _panel(client, pair[0]).status_code == 403


def test_one_click_turns_a_recommendation_into_a_match(client, staff_user, pair):
    company, buyer = pair
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:recommendation_accept", args=[company.pk, buyer.pk]), headers={"HX-Request": "true"}
    )
    match = Match.objects.get(company=company, buyer=buyer)
    assert match.source == "engine" and match.created_by == staff_user
    assert match.get_absolute_url() in response.content.decode()
    assert _panel(client, company).context["recommendations"] == []  # matched pairs are not recommended


def test_a_dismissed_pair_never_comes_back_until_restored(client, staff_user, pair):
    company, buyer = pair
    client.force_login(staff_user)
    client.post(
        reverse("matching:recommendation_dismiss", args=[company.pk, buyer.pk]),
        {"reason": "market", "note": "Japan only through a distributor"},
        headers={"HX-Request": "true"},
    )
    dismissal = RecommendationDismissal.objects.get()
    assert (dismissal.reason, dismissal.dismissed_by) == ("market", staff_user)
    panel = _panel(client, company)
    assert panel.context["recommendations"] == []
    assert "Japan only through a distributor" in panel.content.decode()  # listed with a restore button

    client.post(reverse("matching:recommendation_restore", args=[dismissal.pk]))
    assert [r.buyer for r in _panel(client, company).context["recommendations"]] == [buyer]


def test_dismissing_needs_a_known_reason(client, staff_user, pair):
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:recommendation_dismiss", args=[pair[0].pk, pair[1].pk]),
        {"reason": "because"},
        headers={"HX-Request": "true"},
    )
    assert "text-danger" in response.content.decode()
    assert not RecommendationDismissal.objects.exists()


def test_a_center_manager_proposes_a_match_that_staff_then_accept(client, center_user, staff_user, pair):
    company, buyer = pair
    client.force_login(center_user)
    panel = client.get(
        reverse("matching:buyer_recommendations", args=[buyer.pk]), headers={"HX-Request": "true"}
    )
    assert [r.company for r in panel.context["recommendations"]] == [company]
    client.post(
        reverse("matching:match_propose", args=[company.pk, buyer.pk]),
        {"note": "Met at Foodex"},
        headers={"HX-Request": "true"},
    )
    proposal = MatchProposal.objects.get()
    assert (proposal.proposed_by, proposal.note, proposal.status) == (center_user, "Met at Foodex", "pending")

    client.force_login(staff_user)
    assert "Met at Foodex" in _panel(client, company).content.decode()
    client.post(reverse("matching:recommendation_accept", args=[company.pk, buyer.pk]))
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert Match.objects.get(company=company, buyer=buyer).source == "center"


def test_a_center_manager_cannot_propose_for_another_centers_buyer(client, other_center_user, pair):
    client.force_login(other_center_user)
    response = client.post(reverse("matching:match_propose", args=[pair[0].pk, pair[1].pk]))
    assert response.status_code == 404
    assert not MatchProposal.objects.exists()
