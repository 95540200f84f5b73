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
def world(company, other_company, center, other_center):
    """Records of company X / center A ("own") and of company Y / center B ("foreign")."""
    buyer_a = f.BuyerFactory(center=center)
    buyer_b = f.BuyerFactory(center=other_center)
    own_match = f.MatchFactory(company=company, buyer=buyer_a)
    foreign_match = f.MatchFactory(company=other_company, buyer=buyer_b)
    records = {
        "center": (center, other_center),
        "buyer": (buyer_a, buyer_b),
        "company": (company, other_company),
        "match": (own_match, foreign_match),
        "consultation": (f.ConsultationFactory(match=own_match), f.ConsultationFactory(match=foreign_match)),
        "outcome": (f.OutcomeFactory(match=own_match), f.OutcomeFactory(match=foreign_match)),
        "shipment": (
            f.ShipmentFactory(company=company, center=center, match=own_match),
            f.ShipmentFactory(company=other_company, center=other_center, match=foreign_match),
        ),
        "event": (f.ExportEventFactory(), f.ExportEventFactory()),
    }
    return records


def _url(name, rule, obj=None):
    kwargs = dict(rule.query)
    if obj is not None:
        kwargs["pk"] = obj.pk
    return reverse(name, kwargs=kwargs or None)


def _row_counts():
    return {
        m._meta.label: m.objects.count()
        for label in ("users", "centers", "matching")
        for m in apps.get_app_config(label).get_models()
    }


CASES = [(name, rule) for name, rule in sorted(ACCESS.items())]


@pytest.mark.parametrize(("name", "rule"), CASES, ids=[name for name, _ in CASES])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, rule):
    obj = world[rule.record][0] if rule.record else None
    for method in rule.methods:
        response = getattr(client, method.lower())(_url(name, rule, obj))
        assert response.status_code == 302, method
        assert response.url.startswith(reverse("login")), method


@pytest.mark.parametrize(("name", "rule"), CASES, ids=[name for name, _ in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rule_says(
    client, world, name, rule, role, staff_user, company_user, center_user
):
    user = {"staff": staff_user, "company": company_user, "center": center_user}[role]
    client.force_login(user)
    obj = world[rule.record][0] if rule.record else None
    response = client.get(_url(name, rule, obj))
    if role not in rule.allowed or role in rule.own_forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))


RECORD_CASES = [(name, rule) for name, rule in CASES if rule.record]


@pytest.mark.parametrize(("name", "rule"), RECORD_CASES, ids=[name for name, _ in RECORD_CASES])
@pytest.mark.parametrize("role", ["company", "center"])
def test_another_tenants_record_is_a_404_on_get_and_post(
    client, world, name, rule, role, company_user, center_user
):
    if rule.record in ("event",):
        pytest.skip("events are shared reference data, visible to every role")
    if rule.record == "center" and role == "company":
        pytest.skip("the network of centers is a directory every company may read")
    client.force_login({"company": company_user, "center": center_user}[role])
    foreign = world[rule.record][1]
    before = _row_counts()
    for method in ("GET", "POST"):
        response = getattr(client, method.lower())(_url(name, rule, foreign))
        assert response.status_code in (404, 405), (method, response.status_code)
        if method in rule.methods or rule.post_only:
            assert response.status_code == 404, method
    assert _row_counts() == before
