import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in ("users", "centers", "matching")),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def populated(staff_user):
    shipment = f.ShipmentItemFactory().shipment
    f.ShipmentDocumentFactory(shipment=shipment)
    f.ShipmentStatusChangeFactory(shipment=shipment)
    f.ConsultationFactory()
    f.OutcomeFactory()
    f.BuyerInterestFactory()
    f.BuyerStatusChangeFactory()
    f.TargetCountryFactory()
    f.ExportEventFactory()
    f.ExchangeRateFactory()
    f.ReminderDeliveryFactory()
    f.NotificationFactory()


def test_every_domain_model_is_in_the_admin_on_its_own_or_inline():
    from django.apps import apps

    expected = {
        m
        for label in ("users", "centers", "matching")
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    }
    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    assert expected - set(admin.site._registry) - inline == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_staff_can_list_search_and_open_every_model(client, staff_user, populated, model):
    client.force_login(staff_user)
    info = model._meta.app_label, model._meta.model_name
    changelist = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"), {"q": "a"})
    assert changelist.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("name", ["match", "consultation", "outcome"])
def test_staff_filter_matches_consultations_and_outcomes_by_center_in_the_admin(client, staff_user, name):
    """The admin's center filter reads the center copied onto the row (matching/center_copy.py)."""
    here, elsewhere = f.ConsultationFactory(), f.ConsultationFactory()
    f.OutcomeFactory(match=here.match)
    f.OutcomeFactory(match=elsewhere.match)
    client.force_login(staff_user)
    center = here.match.buyer.center
    response = client.get(reverse(f"admin:matching_{name}_changelist"), {"center__id__exact": center.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_staff_see_the_history_of_a_changed_row(client, staff_user):
    buyer = f.BuyerFactory(notes="first")
    buyer.notes = "second"
    buyer._history_user = staff_user
    buyer.save()
    client.force_login(staff_user)
    page = client.get(reverse("admin:centers_buyer_history", args=[buyer.pk]))
    assert page.status_code == 200
    assert buyer.history.count() == 2
    assert str(staff_user) in page.content.decode()


def test_the_admin_is_branded_and_names_its_favicon(client, staff_user):
    """Without the icon in its head, every admin page asks for /favicon.ico and gets a 404."""
    client.force_login(staff_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "img/favicon.svg" in page
    assert str(admin.site.site_header) in page


@pytest.mark.parametrize("persona", ["company_user", "center_user"])
def test_company_users_and_center_managers_cannot_use_the_admin(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:matching_company_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
