"""Every URL × every role: see tests/access.py for the rules."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from tests.access import ACCESS, EXEMPT, ROLES

pytestmark = pytest.mark.django_db


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":  # Django's admin: staff only, tested in tests/jntp/test_admin.py
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_an_access_rule():
    names = set(_names())
    assert names - set(ACCESS) - set(EXEMPT) == set(), "add a Rule in tests/access.py for these URLs"
    assert set(ACCESS) - names == set(), "these rules name URLs that do not exist"


@pytest.fixture
def users(staff_user, company_user, other_company_user, center_user, other_center_user):
    return {
        "staff": staff_user,
        "company": company_user,
        "center": center_user,
        "other_company": other_company_user,
        "other_center": other_center_user,
    }


@pytest.fixture
def world(company, other_company, center, other_center, users):
    """Records of company X and center A ("own"), and of company Y and center B ("foreign"). A record
    that belongs to a person (a follow-up, a notification) is own per role: {role: record}."""
    buyer_a = f.BuyerFactory(center=center)
    buyer_b = f.BuyerFactory(center=other_center)
    own_match = f.MatchFactory(company=company, buyer=buyer_a)
    foreign_match = f.MatchFactory(company=other_company, buyer=buyer_b)
    own_shipment = f.ShipmentFactory(company=company, center=center, match=own_match)
    foreign_shipment = f.ShipmentFactory(company=other_company, center=other_center, match=foreign_match)

    def per_person(factory, field, **kwargs):
        made = {who: factory(**{field: users[who]}, **kwargs) for who in users}
        own = {role: made[role] for role in ROLES}
        foreign = {"company": made["other_company"], "center": made["other_center"]}
        return own, foreign

    follow_ups = per_person(f.FollowUpFactory, "assignee")
    return {
        "center": (center, other_center),
        "buyer": (buyer_a, buyer_b),
        "company": (company, other_company),
        "match": (own_match, foreign_match),
        "consultation": (f.ConsultationFactory(match=own_match), f.ConsultationFactory(match=foreign_match)),
        "outcome": (f.OutcomeFactory(match=own_match), f.OutcomeFactory(match=foreign_match)),
        "shipment": (own_shipment, foreign_shipment),
        "document": (
            f.ShipmentDocumentFactory(shipment=own_shipment),
            f.ShipmentDocumentFactory(shipment=foreign_shipment),
        ),
        "event": (f.ExportEventFactory(), f.ExportEventFactory()),
        "follow_up": follow_ups,
        "delivery": (
            {role: f.ReminderDeliveryFactory(follow_up=follow_ups[0][role]) for role in ROLES},
            {side: f.ReminderDeliveryFactory(follow_up=fu) for side, fu in follow_ups[1].items()},
        ),
        "notification": per_person(f.NotificationFactory, "recipient"),
        "dismissal": (
            f.DismissalFactory(company=other_company, buyer=buyer_a),
            f.DismissalFactory(company=company, buyer=buyer_b),
        ),
    }


def _pick(value, role):
    return value[role] if isinstance(value, dict) else value


def _url(name, rule, world, role, side=0):
    kwargs = dict(rule.kwargs)
    if rule.record:
        kwargs[rule.record_kwarg] = _pick(world[rule.record][side], role).pk
    for kwarg, key in rule.related.items():
        kwargs[kwarg] = _pick(world[key][side], role).pk
    return reverse(name, kwargs=kwargs or None)


def _row_counts():
    return {
        m._meta.label: m.objects.count()
        for label in ("users", "centers", "matching")
        for m in apps.get_app_config(label).get_models()
    }


CASES = sorted(ACCESS.items())


@pytest.mark.parametrize(("name", "rule"), CASES, ids=[name for name, _ in CASES])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, rule):
    for method in rule.methods:
        response = getattr(client, method.lower())(_url(name, rule, world, "staff"))
        assert response.status_code == 302, method
        assert response.url.startswith(reverse("login")), method


@pytest.mark.parametrize(("name", "rule"), CASES, ids=[name for name, _ in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rule_says(client, world, users, name, rule, role):
    client.force_login(users[role])
    method = rule.methods[0].lower()
    response = getattr(client, method)(_url(name, rule, world, role))
    if role in rule.hidden_from:
        assert response.status_code == 404
    elif role not in rule.allowed or role in rule.own_forbidden:
        assert response.status_code == 403
    else:
        # 200 a page, 302 done or sent on, 400 a form refused: all mean "yours to use".
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))


RECORD_CASES = [(name, rule) for name, rule in CASES if rule.record]


@pytest.mark.parametrize(("name", "rule"), RECORD_CASES, ids=[name for name, _ in RECORD_CASES])
@pytest.mark.parametrize("role", ["company", "center"])
def test_another_tenants_record_is_a_404_on_get_and_post(client, world, users, name, rule, role):
    if role in rule.shared_for:
        pytest.skip("shared reference data: every user of this role may read it")
    client.force_login(users[role])
    url = _url(name, rule, world, role, side=1)
    before = _row_counts()
    for method in ("GET", "POST"):
        response = getattr(client, method.lower())(url)
        if method in rule.methods:
            assert response.status_code == 404, (method, response.status_code)
        else:
            assert response.status_code in (404, 405), (method, response.status_code)
    assert _row_counts() == before
