"""visible_to(user) for every model a user can reach, for every role: exactly which rows each sees.

The world: centers A and B (and an inactive C); companies X and Y (matched to buyers) and Z (only
ships samples to center B); users of X, Y, A and B; staff."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from jntp.tenancy import TenantQuerySet
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = {}
    w["A"] = f.CenterFactory(code="AAA")
    w["B"] = f.CenterFactory(code="BBB", country="AE", time_zone="Asia/Dubai", currency="AED")
    w["C"] = f.CenterFactory(code="CCC", is_active=False)
    for name in "XYZ":
        w[name] = f.CompanyFactory(name_en=f"Company {name}")
        w[f"p{name}"] = f.ProductFactory(company=w[name])
        w[f"t{name}"] = f.TargetCountryFactory(company=w[name])
    for label, center in (("bA1", "A"), ("bA2", "A"), ("bB1", "B"), ("bB2", "B")):
        w[label] = f.BuyerFactory(center=w[center], name=label)
        w[f"i{label}"] = f.BuyerInterestFactory(buyer=w[label])
        w[f"h{label}"] = f.BuyerStatusChangeFactory(buyer=w[label])
    for label, company, buyer in (("mXA1", "X", "bA1"), ("mYA2", "Y", "bA2"), ("mYB1", "Y", "bB1")):
        w[label] = f.MatchFactory(company=w[company], buyer=w[buyer])
        w[f"c{label}"] = f.ConsultationFactory(match=w[label])
        w[f"o{label}"] = f.OutcomeFactory(match=w[label])
    w["sX"] = f.ShipmentFactory(company=w["X"], center=w["A"], match=w["mXA1"])
    w["sZ"] = f.ShipmentFactory(company=w["Z"], center=w["B"])
    for s in ("sX", "sZ"):
        w[f"item-{s}"] = f.ShipmentItemFactory(shipment=w[s], product=w[f"p{s[1]}"])
        w[f"doc-{s}"] = f.ShipmentDocumentFactory(shipment=w[s])
        w[f"step-{s}"] = f.ShipmentStatusChangeFactory(shipment=w[s])
    w["dis-XbA2"] = f.DismissalFactory(company=w["X"], buyer=w["bA2"])
    w["dis-YbB2"] = f.DismissalFactory(company=w["Y"], buyer=w["bB2"])
    w["prop-ZbA1"] = f.MatchProposalFactory(company=w["Z"], buyer=w["bA1"])
    w["prop-XbB2"] = f.MatchProposalFactory(company=w["X"], buyer=w["bB2"])
    w["event"] = f.ExportEventFactory()
    w["rate"] = f.ExchangeRateFactory()

    w["u-staff"] = f.UserFactory(username="staff", role="staff")
    w["u-X"] = f.UserFactory(username="ux", role="company", company=w["X"])
    w["u-Y"] = f.UserFactory(username="uy", role="company", company=w["Y"])
    w["u-A"] = f.UserFactory(username="ua", role="center", center=w["A"])
    w["u-B"] = f.UserFactory(username="ub", role="center", center=w["B"])
    for who in ("staff", "X", "Y", "A", "B"):
        w[f"f-{who}"] = f.FollowUpFactory(assignee=w[f"u-{who}"], due_at=timezone.now())
        w[f"d-{who}"] = f.ReminderDeliveryFactory(follow_up=w[f"f-{who}"])
        w[f"n-{who}"] = f.NotificationFactory(recipient=w[f"u-{who}"])
    return w


ROLES = ("staff", "X", "Y", "A", "B")

# model label → role → labels of the rows the role sees. "*" = every row of the model.
EXPECTED = {
    "users.User": {"staff": "*", "X": {"u-X"}, "Y": {"u-Y"}, "A": {"u-A"}, "B": {"u-B"}},
    "centers.Center": {"staff": "*", "X": {"A", "B"}, "Y": {"A", "B"}, "A": {"A"}, "B": {"B"}},
    "centers.Buyer": {
        "staff": "*",
        "X": {"bA1"},
        "Y": {"bA2", "bB1"},
        "A": {"bA1", "bA2"},
        "B": {"bB1", "bB2"},
    },
    "centers.BuyerInterest": {
        "staff": "*",
        "X": {"ibA1"},
        "Y": {"ibA2", "ibB1"},
        "A": {"ibA1", "ibA2"},
        "B": {"ibB1", "ibB2"},
    },
    "centers.BuyerStatusChange": {
        "staff": "*",
        "X": set(),
        "Y": set(),
        "A": {"hbA1", "hbA2"},
        "B": {"hbB1", "hbB2"},
    },
    "matching.Company": {"staff": "*", "X": {"X"}, "Y": {"Y"}, "A": {"X", "Y"}, "B": {"Y", "Z"}},
    "matching.Product": {"staff": "*", "X": {"pX"}, "Y": {"pY"}, "A": {"pX", "pY"}, "B": {"pY", "pZ"}},
    "matching.CompanyTargetCountry": {
        "staff": "*",
        "X": {"tX"},
        "Y": {"tY"},
        "A": {"tX", "tY"},
        "B": {"tY", "tZ"},
    },
    "matching.Match": {
        "staff": "*",
        "X": {"mXA1"},
        "Y": {"mYA2", "mYB1"},
        "A": {"mXA1", "mYA2"},
        "B": {"mYB1"},
    },
    "matching.Consultation": {
        "staff": "*",
        "X": {"cmXA1"},
        "Y": {"cmYA2", "cmYB1"},
        "A": {"cmXA1", "cmYA2"},
        "B": {"cmYB1"},
    },
    "matching.Outcome": {
        "staff": "*",
        "X": {"omXA1"},
        "Y": {"omYA2", "omYB1"},
        "A": {"omXA1", "omYA2"},
        "B": {"omYB1"},
    },
    "matching.SampleShipment": {"staff": "*", "X": {"sX"}, "Y": set(), "A": {"sX"}, "B": {"sZ"}},
    "matching.ShipmentItem": {"staff": "*", "X": {"item-sX"}, "Y": set(), "A": {"item-sX"}, "B": {"item-sZ"}},
    "matching.ShipmentDocument": {
        "staff": "*",
        "X": {"doc-sX"},
        "Y": set(),
        "A": {"doc-sX"},
        "B": {"doc-sZ"},
    },
    "matching.ShipmentStatusChange": {
        "staff": "*",
        "X": {"step-sX"},
        "Y": set(),
        "A": {"step-sX"},
        "B": {"step-sZ"},
    },
    # Recommendations are for staff and center managers only (matching/recommendations).
    "matching.RecommendationDismissal": {
        "staff": "*",
        "X": set(),
        "Y": set(),
        "A": {"dis-XbA2"},
        "B": {"dis-YbB2"},
    },
    "matching.MatchProposal": {
        "staff": "*",
        "X": set(),
        "Y": set(),
        "A": {"prop-ZbA1"},
        "B": {"prop-XbB2"},
    },
    "matching.ExportEvent": dict.fromkeys(ROLES, "*"),
    "matching.ExchangeRate": dict.fromkeys(ROLES, "*"),
    "matching.FollowUp": {"staff": "*", "X": {"f-X"}, "Y": {"f-Y"}, "A": {"f-A"}, "B": {"f-B"}},
    "matching.ReminderDelivery": {"staff": "*", "X": {"d-X"}, "Y": {"d-Y"}, "A": {"d-A"}, "B": {"d-B"}},
    "matching.Notification": {"staff": "*", "X": {"n-X"}, "Y": {"n-Y"}, "A": {"n-A"}, "B": {"n-B"}},
}


def _scoped_models():
    for label in ("users", "centers", "matching"):
        for model in apps.get_app_config(label).get_models():
            if isinstance(model._default_manager.all(), TenantQuerySet):
                yield model


def test_every_scoped_model_has_expectations_for_every_role():
    assert {m._meta.label for m in _scoped_models()} == set(EXPECTED)
    for label, per_role in EXPECTED.items():
        assert set(per_role) == set(ROLES), label


@pytest.mark.parametrize("model_label", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_visible_to_returns_exactly_the_rows_of_the_role(world, model_label, role):
    model = apps.get_model(model_label)
    expected = EXPECTED[model_label][role]
    labelled = {obj.pk: label for label, obj in world.items() if isinstance(obj, model)}
    seen = set(model.objects.visible_to(world[f"u-{role}"]).values_list("pk", flat=True))
    if expected == "*":
        assert seen == set(model.objects.values_list("pk", flat=True))
    else:
        assert {labelled.get(pk, pk) for pk in seen} == expected


@pytest.mark.parametrize("model_label", sorted(EXPECTED))
def test_anonymous_inactive_and_roleless_users_see_nothing(world, model_label):
    model = apps.get_model(model_label)
    inactive = world["u-X"]
    inactive.is_active = False
    assert not model.objects.visible_to(AnonymousUser()).exists()
    assert not model.objects.visible_to(None).exists()
    assert not model.objects.visible_to(inactive).exists()
    orphan = f.UserFactory.build(role="company", company=None)
    assert not model.objects.visible_to(orphan).exists()


def test_visible_to_rows_come_once_even_when_several_paths_lead_to_them(world):
    # Center B reaches company Y through a match and through two shipments: Y is still one row.
    f.ShipmentFactory(company=world["Y"], center=world["B"], match=world["mYB1"])
    f.ShipmentFactory(company=world["Y"], center=world["B"], match=world["mYB1"])
    companies = list(apps.get_model("matching.Company").objects.visible_to(world["u-B"]))
    assert sorted(c.name_en for c in companies) == ["Company Y", "Company Z"]
