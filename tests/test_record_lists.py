"""What every record list shares: each sortable column sorts both ways, an htmx request gets only
the results, and a filter that makes no sense gives an empty list rather than an error."""

import pytest
from django.urls import resolve, reverse

from tests import factories as f
from tests.viewtools import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LISTS = (
    "centers:center_list",
    "centers:buyer_list",
    "matching:company_list",
    "matching:match_list",
    "matching:shipment_list",
    "matching:outcome_list",
    "matching:event_list",
)


@pytest.fixture
def rows(center, company):
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center))
    event = f.ExportEventFactory()
    f.ConsultationFactory(match=match, event=event)
    f.OutcomeFactory(match=match, event=event)
    f.ShipmentItemFactory(shipment=f.ShipmentFactory(company=company, center=center, match=match))


def _sort_keys(client, name):
    view = resolve(reverse(name)).func.view_class(request=client.get(reverse(name)).wsgi_request)
    return list(view.sort_fields)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["staff", "company", "center"])
def test_every_column_sorts_both_ways_for_every_role(client, request, rows, name, role):
    client = client_for(client, request, role)
    for key in _sort_keys(client, name):
        for sort in (key, f"-{key}"):
            response = client.get(reverse(name), {"sort": sort})
            assert response.status_code == 200, sort
            assert response.context["sort"] == sort
            assert len(response.context["page_obj"]) >= 1, sort


@pytest.mark.parametrize("name", LISTS)
def test_an_htmx_request_gets_only_the_results(client, staff_user, rows, name):
    client.force_login(staff_user)
    html = client.get(reverse(name), headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "filter-panel" not in html


@pytest.mark.parametrize("name", LISTS)
def test_a_filter_that_makes_no_sense_gives_an_empty_list(client, staff_user, rows, name):
    client.force_login(staff_user)
    nonsense = {"center": "abc", "company": "-1", "kind": "nonsense", "q": "no-such-thing"}
    response = client.get(reverse(name), nonsense)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 0
    assert "empty-state" in response.content.decode()  # which says what to do next


def test_a_filter_over_hundreds_of_records_is_a_select_beyond_that_a_kept_hidden_value(
    client, staff_user, rows, company, monkeypatch
):
    """A select of the 10,000-company national register would weigh megabytes: past
    MAX_SELECT_CHOICES the filter becomes a hidden field that still narrows, and says so."""
    from jntp import filters

    client.force_login(staff_user)
    url = reverse("matching:match_list")
    html = client.get(url).content.decode()
    assert '<select name="company"' in html and company.name_en in html

    monkeypatch.setattr(filters, "MAX_SELECT_CHOICES", 1)
    f.MatchFactory()  # a second company: now more than the select may hold
    assert '<select name="company"' not in client.get(url).content.decode()

    response = client.get(url, {"company": company.pk})
    html = response.content.decode()
    assert f'<input type="hidden" name="company" value="{company.pk}"' in html
    assert f"Company: {company}" in html
    assert {m.company_id for m in response.context["page_obj"]} == {company.pk}
