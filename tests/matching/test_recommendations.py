"""The recommendation engine on hand-built cases: what ranks above what, and why; who sees what;
acting on a recommendation; a fixed number of queries."""

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from matching import services
from matching.models import Match, MatchProposal, RecommendationDismissal
from matching.recommendations import recommended_buyers, recommended_companies
from matching.recommendations import weights as w
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def laver(company):
    """Wando Laver makes seasoned laver (2008.99) and wants to sell in Japan."""
    f.ProductFactory(company=company, name_en="Seasoned laver", name_ko="조미김", hs_code="200899")
    f.TargetCountryFactory(company=company, country="JP")
    return company


def buyer(center, *codes, **fields):
    """A buyer of `center` (Osaka: Japan) importing `codes`; equal to any other unless told."""
    fields.setdefault("status_changed_at", NOW - timedelta(days=100))
    made = f.BuyerFactory(center=center, **fields)
    for code in codes:
        f.BuyerInterestFactory(buyer=made, hs_code=code)
    return made


def ranked(company, user, **kwargs):
    return [r.buyer for r in recommended_buyers(company=company, user=user, at=NOW, **kwargs)]


def by_buyer(company, user):
    return {r.buyer: r for r in recommended_buyers(company=company, user=user, at=NOW)}


# --- What ranks above what ----------------------------------------------------------------------------
def test_an_exact_hs_subheading_beats_a_heading_which_beats_a_chapter(laver, center, staff_user):
    chapter = buyer(center, "200599", name="Kimchi importer")  # 20: same chapter only
    heading = buyer(center, "200819", name="Nut importer")  # 2008: same heading
    exact = buyer(center, "200899", name="Laver importer")

    results = by_buyer(laver, staff_user)

    assert ranked(laver, staff_user) == [exact, heading, chapter]
    assert [results[b].parts["hs"] for b in (exact, heading, chapter)] == [
        w.HS_EXACT,
        w.HS_HEADING,
        w.HS_CHAPTER,
    ]


def test_a_buyer_sharing_no_hs_chapter_is_never_recommended(laver, center, staff_user):
    buyer(center, "030781")

    assert ranked(laver, staff_user) == []


def test_a_target_market_buyer_beats_an_equal_one_elsewhere(laver, center, staff_user):
    in_us = buyer(center, "200899", country="US", name="New York Foods")
    in_japan = buyer(center, "200899", country="JP", name="Osaka Foods")

    assert ranked(laver, staff_user) == [in_japan, in_us]
    assert by_buyer(laver, staff_user)[in_japan].parts["market"] == w.MARKET_TARGET


def test_a_buyer_whose_business_fits_the_industry_beats_one_that_does_not(laver, center, staff_user):
    epc = buyer(center, "200899", business_type="epc")
    importer = buyer(center, "200899", business_type="importer")

    assert ranked(laver, staff_user) == [importer, epc]


@pytest.mark.parametrize("status", ["dormant", "dropped"])
def test_a_dormant_or_dropped_buyer_ranks_below_an_active_equal(laver, center, staff_user, status):
    sunk = buyer(center, "200899", status=status, name="Sleepy Foods")
    active = buyer(center, "200899", status="interested", name="Busy Foods")

    assert ranked(laver, staff_user) == [active, sunk]
    assert by_buyer(laver, staff_user)[sunk].parts["pipeline"] < 0


def test_recent_activity_lifts_a_buyer_and_a_long_silence_sinks_it(laver, center, staff_user):
    silent = buyer(center, "200899", status_changed_at=NOW - timedelta(days=800))
    steady = buyer(center, "200899", status_changed_at=NOW - timedelta(days=200))
    met = buyer(center, "200899", status_changed_at=NOW - timedelta(days=800))
    f.ConsultationFactory(match=f.MatchFactory(buyer=met), starts_at=NOW - timedelta(days=10))

    results = by_buyer(laver, staff_user)

    assert ranked(laver, staff_user) == [met, steady, silent]
    assert [results[b].parts["activity"] for b in (met, steady, silent)] == [w.ACTIVE, 0, w.STALE]


def _rated_sample(buyer_, *, hs_code: str, rating: int):
    """The buyer rated a sample of another company's product under `hs_code`."""
    peer = f.ProductFactory(hs_code=hs_code, name_en="Laver snack")
    match = f.MatchFactory(company=peer.company, buyer=buyer_, stage="sample")
    shipment = f.ShipmentFactory(
        company=peer.company,
        center=buyer_.center,
        match=match,
        status="feedback_received",
        courier="ems",
        tracking_number="EE123456785KR",
        shipped_at=NOW - timedelta(days=30),
        feedback_rating=rating,
    )
    f.ShipmentItemFactory(shipment=shipment, product=peer)
    return match


def test_good_sample_feedback_in_the_same_heading_lifts_a_buyer_and_bad_feedback_sinks_it(
    laver, center, staff_user
):
    plain = buyer(center, "200899", name="Plain")
    liked = buyer(center, "200899", name="Liked")
    disliked = buyer(center, "200899", name="Disliked")
    for rating in (4, 5):
        _rated_sample(liked, hs_code="200819", rating=rating)  # same heading 2008, another product
    _rated_sample(disliked, hs_code="200899", rating=1)

    results = by_buyer(laver, staff_user)

    assert ranked(laver, staff_user) == [liked, plain, disliked]
    assert results[liked].parts["feedback"] == round((4.5 - w.FEEDBACK_NEUTRAL) * w.FEEDBACK_PER_STAR)
    assert results[disliked].parts["feedback"] == (1 - w.FEEDBACK_NEUTRAL) * w.FEEDBACK_PER_STAR


def test_feedback_on_samples_of_other_headings_does_not_count(laver, center, staff_user):
    fish_fan = buyer(center, "200899")
    _rated_sample(fish_fan, hs_code="030781", rating=5)

    assert by_buyer(laver, staff_user)[fish_fan].parts["feedback"] == 0


def test_deals_with_companies_of_the_same_heading_lift_and_lost_matches_sink(laver, center, staff_user):
    plain = buyer(center, "200899", name="Plain")
    signer = buyer(center, "200899", name="Signer")
    loser = buyer(center, "200899", name="Loser")
    peer = f.ProductFactory(hs_code="200899").company
    f.OutcomeFactory(match=f.MatchFactory(company=peer, buyer=signer, stage="won"), kind="mou")
    f.MatchFactory(company=peer, buyer=loser, stage="lost")

    results = by_buyer(laver, staff_user)

    assert ranked(laver, staff_user) == [signer, plain, loser]
    assert results[signer].parts["deals"] == w.MOU
    assert results[loser].parts["lost"] == w.LOST


def test_a_buyer_with_many_open_matches_is_penalised(laver, center, staff_user):
    free = buyer(center, "200899", name="Free")
    busy = buyer(center, "200899", name="Busy")
    for _ in range(w.OPEN_MATCHES_FREE + 2):
        f.MatchFactory(buyer=busy, stage="active")

    results = by_buyer(laver, staff_user)

    assert ranked(laver, staff_user) == [free, busy]
    assert results[busy].parts["load"] == 2 * w.OPEN_MATCH


# --- Which pairs are offered --------------------------------------------------------------------------
def test_already_matched_buyers_are_excluded(laver, center, staff_user):
    matched = buyer(center, "200899")
    f.MatchFactory(company=laver, buyer=matched, stage="lost")
    other = buyer(center, "200899")

    assert ranked(laver, staff_user) == [other]
    assert laver not in [r.company for r in recommended_companies(buyer=matched, user=staff_user)]


def test_a_dismissed_pair_never_comes_back(laver, center, staff_user, center_user):
    dismissed = buyer(center, "200899")
    kept = buyer(center, "200899")

    services.recommendation_dismiss(company=laver, buyer=dismissed, reason="buyer", by=staff_user)

    for user in (staff_user, center_user):
        assert ranked(laver, user) == [kept]
        assert recommended_companies(buyer=dismissed, user=user) == []
    assert laver in [r.company for r in recommended_companies(buyer=kept, user=staff_user)]


def test_buyers_of_an_inactive_center_are_not_recommended(laver, center, staff_user):
    buyer(center, "200899")
    center.is_active = False
    center.save()

    assert ranked(laver, staff_user) == []


def test_a_company_without_products_gets_no_recommendation(company, center, staff_user):
    buyer(center, "200899")

    assert ranked(company, staff_user) == []


# --- Both ways, one score -----------------------------------------------------------------------------
def test_companies_for_a_buyer_are_ranked_by_the_same_score(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899", "121221", country="JP")
    dried = f.ProductFactory(hs_code="121221", name_en="Dried laver").company  # exact, no target market
    kimchi = f.ProductFactory(hs_code="200599", name_en="Kimchi").company  # chapter only
    f.TargetCountryFactory(company=kimchi, country="JP")

    results = recommended_companies(buyer=osaka_buyer, user=staff_user, at=NOW)

    assert [r.company for r in results] == [laver, dried, kimchi]
    # A pair scores the same on either side.
    from_company = by_buyer(laver, staff_user)[osaka_buyer]
    assert results[0].score == from_company.score and results[0].parts == from_company.parts


# --- Reasons ------------------------------------------------------------------------------------------
def test_reasons_name_the_matching_codes_products_and_market(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899", country="JP", business_type="importer", status="interested")
    for rating in (4, 4):
        _rated_sample(osaka_buyer, hs_code="200899", rating=rating)

    with translation.override("en"):
        reasons = by_buyer(laver, staff_user)[osaka_buyer].reasons

    texts = [reason.text for reason in reasons]
    assert texts[0] == "HS 2008.99 exact (Seasoned laver)"
    assert "Japan is a target market" in texts
    assert "This buyer rated 2 samples of HS 2008 (Seasoned laver) 4/5 on average" in texts
    assert sum(reason.points for reason in reasons) == by_buyer(laver, staff_user)[osaka_buyer].score


def test_a_heading_match_names_both_codes(laver, center, staff_user):
    nut_buyer = buyer(center, "200819")

    with translation.override("en"):
        reasons = by_buyer(laver, staff_user)[nut_buyer].reasons

    assert reasons[0].text == "Same HS heading 2008: Seasoned laver is 2008.99, the buyer looks for 2008.19"


def test_reasons_follow_the_active_language(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899", country="JP")

    with translation.override("ko"):
        texts = [reason.text for reason in by_buyer(laver, staff_user)[osaka_buyer].reasons]

    assert "HS 2008.99" in texts[0] and "조미김" in texts[0]  # the product's Korean name
    assert any("일본" in text for text in texts)  # Japan, in Korean


# --- Who sees what ------------------------------------------------------------------------------------
def test_a_center_manager_sees_only_the_centers_own_buyers(
    laver, center, other_center, staff_user, center_user
):
    own = buyer(center, "200899")
    elsewhere = buyer(other_center, "200899")

    assert set(ranked(laver, staff_user)) == {own, elsewhere}
    assert ranked(laver, center_user) == [own]
    assert [r.company for r in recommended_companies(buyer=own, user=center_user)] == [laver]
    assert recommended_companies(buyer=elsewhere, user=center_user) == []


def test_company_users_and_visitors_get_no_recommendations(laver, center, company_user):
    osaka_buyer = buyer(center, "200899")

    for user in (company_user, AnonymousUser(), None):
        assert recommended_buyers(company=laver, user=user) == []
        assert recommended_companies(buyer=osaka_buyer, user=user) == []


# --- The ranking is exact and its query count fixed ---------------------------------------------------
@pytest.mark.parametrize("limit", [1, 3, 8, 40])
def test_the_tiered_ranking_returns_exactly_the_best_by_full_score(laver, center, staff_user, limit):
    rng = random.Random(limit)
    for i in range(45):
        b = buyer(
            center,
            rng.choice(["200899", "200819", "200599", "200990"]),  # exact, heading, chapter, chapter
            country=rng.choice(["JP", "US"]),
            status=rng.choice(["prospect", "interested", "dormant", "negotiating"]),
            business_type=rng.choice(["importer", "epc", "retailer"]),
            status_changed_at=NOW - timedelta(days=rng.choice([5, 200, 900])),
            name=f"Buyer {i}",
        )
        for _ in range(rng.choice([0, 0, 4, 6])):
            f.MatchFactory(buyer=b, stage="active")
        if rng.random() < 0.3:
            _rated_sample(b, hs_code="200899", rating=rng.randint(1, 5))

    every = recommended_buyers(company=laver, user=staff_user, limit=100, at=NOW)
    best = recommended_buyers(company=laver, user=staff_user, limit=limit, at=NOW)

    assert len(every) == 45
    by_score = sorted(every, key=lambda r: (-r.score, r.buyer.pk))
    assert [r.buyer for r in best] == [r.buyer for r in by_score[:limit]]
    # The database's score and the parts the reasons show (computed in Python) agree.
    assert all(round(sum(r.parts.values())) == r.score for r in every)


def test_the_number_of_queries_does_not_grow_with_the_number_of_buyers(laver, center, staff_user):
    """Products, target countries, the ranking, then the results with their interests, history and
    proposals. The ranking is one statement on PostgreSQL; on SQLite one per slice it needs (1 to
    6: an HS tier, in a target market or not)."""

    def count(call):
        with CaptureQueriesContext(connection) as queries:
            results = call()
        assert results
        return len(queries)

    def add_buyers(n):
        for _ in range(n):
            b = buyer(center, "200899", "200819")
            _rated_sample(b, hs_code="200899", rating=4)
            peer = f.ProductFactory(hs_code="200899").company
            f.OutcomeFactory(match=f.MatchFactory(buyer=b, company=peer))

    first = buyer(center, "200899")
    sparse = count(lambda: recommended_buyers(company=laver, user=staff_user, limit=5))
    add_buyers(5)
    few = count(lambda: recommended_buyers(company=laver, user=staff_user, limit=5))
    few_companies = count(lambda: recommended_companies(buyer=first, user=staff_user, limit=5))
    add_buyers(30)

    assert count(lambda: recommended_buyers(company=laver, user=staff_user, limit=5)) == few
    assert count(lambda: recommended_companies(buyer=first, user=staff_user, limit=5)) == few_companies
    if connection.vendor == "postgresql":
        assert sparse == few == 2 + 1 + 4
        assert few_companies == 2 + 1 + 5
    else:
        assert sparse == 2 + 6 + 4 and few <= sparse  # too few candidates: every slice is ranked


# --- Acting on a recommendation -----------------------------------------------------------------------
def test_staff_accept_a_recommendation_as_an_engine_match(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899")

    match = services.recommendation_accept(company=laver, buyer=osaka_buyer, by=staff_user)

    assert (match.source, match.stage, match.created_by) == ("engine", "active", staff_user)
    assert ranked(laver, staff_user) == []


def test_only_staff_accept_or_dismiss(laver, center, center_user, company_user):
    osaka_buyer = buyer(center, "200899")

    for user in (center_user, company_user):
        with pytest.raises(PermissionDenied):
            services.recommendation_accept(company=laver, buyer=osaka_buyer, by=user)
        with pytest.raises(PermissionDenied):
            services.recommendation_dismiss(company=laver, buyer=osaka_buyer, reason="buyer", by=user)
    assert not Match.objects.exists() and not RecommendationDismissal.objects.exists()


def test_a_dismissed_pair_cannot_be_accepted_until_restored(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899")
    dismissal = services.recommendation_dismiss(
        company=laver, buyer=osaka_buyer, reason="other", note="Owner knows them", by=staff_user
    )

    with pytest.raises(ValidationError, match="dismissed"):
        services.recommendation_accept(company=laver, buyer=osaka_buyer, by=staff_user)
    dismissal_id = dismissal.pk
    services.recommendation_restore(dismissal=dismissal, by=staff_user)

    assert ranked(laver, staff_user) == [osaka_buyer]
    # The history keeps who dismissed it, why, and who brought it back.
    history = RecommendationDismissal.history.filter(id=dismissal_id).order_by("history_date")
    assert [(h.history_type, h.history_user, h.note) for h in history] == [
        ("+", staff_user, "Owner knows them"),
        ("-", staff_user, "Owner knows them"),
    ]


def test_dismissing_twice_or_without_saying_why_is_refused(laver, center, staff_user):
    osaka_buyer = buyer(center, "200899")
    services.recommendation_dismiss(company=laver, buyer=osaka_buyer, reason="market", by=staff_user)

    with pytest.raises(ValidationError, match="already dismissed"):
        services.recommendation_dismiss(company=laver, buyer=osaka_buyer, reason="market", by=staff_user)
    with pytest.raises(ValidationError, match="Say why"):
        services.recommendation_dismiss(
            company=laver, buyer=buyer(center, "200899"), reason="other", by=staff_user
        )


def test_a_matched_pair_cannot_be_dismissed(laver, center, staff_user):
    matched = f.MatchFactory(company=laver, buyer=buyer(center, "200899"))

    with pytest.raises(ValidationError, match="already matched"):
        services.recommendation_dismiss(company=laver, buyer=matched.buyer, reason="buyer", by=staff_user)


def test_a_center_manager_proposes_and_staff_see_it_on_the_recommendation(
    laver, center, staff_user, center_user
):
    osaka_buyer = buyer(center, "200899")

    proposal = services.match_proposal_create(
        company=laver, buyer=osaka_buyer, by=center_user, note="They asked for Wando laver"
    )

    assert not Match.objects.exists()  # the company sees nothing until staff decide
    [recommendation] = recommended_buyers(company=laver, user=staff_user)
    assert recommendation.proposal == proposal
    with translation.override("en"):
        [recommendation] = recommended_buyers(company=laver, user=staff_user)
    assert "They asked for Wando laver" in recommendation.reasons[-1].text


def test_a_center_manager_proposes_only_for_the_centers_own_buyers(
    laver, other_center, center_user, staff_user
):
    elsewhere = buyer(other_center, "200899")

    for user in (center_user, staff_user):
        with pytest.raises(PermissionDenied):
            services.match_proposal_create(company=laver, buyer=elsewhere, by=user)


def test_proposing_the_same_pair_twice_is_refused(laver, center, center_user):
    osaka_buyer = buyer(center, "200899")
    services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)

    with pytest.raises(ValidationError, match="already been proposed"):
        services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)


def test_staff_accept_a_proposal_into_a_center_match(laver, center, staff_user, center_user):
    proposal = services.match_proposal_create(company=laver, buyer=buyer(center, "200899"), by=center_user)

    match = services.match_proposal_accept(proposal=proposal, by=staff_user)

    proposal.refresh_from_db()
    assert (match.source, match.stage) == ("center", "active")
    assert (proposal.status, proposal.match, proposal.decided_by) == ("accepted", match, staff_user)
    with pytest.raises(ValidationError, match="already decided"):
        services.match_proposal_decline(proposal=proposal, by=staff_user, reason="buyer")


def test_accepting_a_proposed_recommendation_accepts_the_proposal(laver, center, staff_user, center_user):
    osaka_buyer = buyer(center, "200899")
    proposal = services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)

    match = services.recommendation_accept(company=laver, buyer=osaka_buyer, by=staff_user)

    proposal.refresh_from_db()
    assert match.source == "center" and proposal.status == "accepted"


def test_declining_a_proposal_dismisses_the_pair(laver, center, staff_user, center_user):
    osaka_buyer = buyer(center, "200899")
    proposal = services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)

    services.match_proposal_decline(proposal=proposal, by=staff_user, reason="products", note="Wrong grade")

    assert MatchProposal.objects.get().status == "declined"
    assert RecommendationDismissal.objects.get().note == "Wrong grade"
    assert ranked(laver, staff_user) == []
    with pytest.raises(ValidationError, match="dismissed"):
        services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)


def test_dismissing_a_proposed_pair_declines_the_proposal(laver, center, staff_user, center_user):
    osaka_buyer = buyer(center, "200899")
    services.match_proposal_create(company=laver, buyer=osaka_buyer, by=center_user)

    services.recommendation_dismiss(company=laver, buyer=osaka_buyer, reason="buyer", by=staff_user)

    assert MatchProposal.objects.get().status == "declined"


# --- The command --------------------------------------------------------------------------------------
def test_the_recommend_command_prints_the_ranking_with_scores_and_reasons(laver, center, staff_user):
    exact = buyer(center, "200899", name="Osaka Laver Trading", country="JP")
    buyer(center, "200599", name="Kimchi House")

    out = StringIO()
    call_command("recommend", "--company", str(laver.pk), "--limit", "5", "--language", "en", stdout=out)
    text = out.getvalue()

    assert text.index("Osaka Laver Trading") < text.index("Kimchi House")
    assert "HS 2008.99 exact (Seasoned laver)" in text
    assert f"{w.HS_EXACT:+4d}  HS 2008.99" in text

    out = StringIO()
    call_command("recommend", "--buyer", str(exact.pk), "--language", "en", stdout=out)
    assert "Wando Laver" in out.getvalue()


def test_the_recommend_command_as_a_center_manager_sees_the_centers_buyers_only(
    laver, center, other_center, center_user
):
    buyer(center, "200899", name="Osaka Laver Trading")
    buyer(other_center, "200899", name="Dubai Laver Trading")

    out = StringIO()
    call_command("recommend", "--company", str(laver.pk), "--as", "center", stdout=out)

    assert "Osaka Laver Trading" in out.getvalue() and "Dubai" not in out.getvalue()
