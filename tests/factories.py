"""factory_boy factories for every model. Defaults are valid; override what a test is about."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jntp.validators import BRN_WEIGHTS


def valid_brn(n: int) -> str:
    head = f"{101 + n % 800:03d}81{n % 10000:04d}"
    digits = [int(d) for d in head]
    total = sum(d * w for d, w in zip(digits, BRN_WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return head + str((10 - total % 10) % 10)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "users.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    role = "staff"
    # Tests read messages in English; the tests of the Korean default set language="ko" themselves.
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CenterFactory(DjangoModelFactory):
    class Meta:
        model = "centers.Center"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name_ko = factory.LazyAttribute(lambda c: f"{c.code} 센터")
    name_en = factory.LazyAttribute(lambda c: f"{c.code} Center")
    country = "JP"
    city = "Osaka"
    time_zone = "Asia/Tokyo"
    currency = "JPY"


class BuyerFactory(DjangoModelFactory):
    class Meta:
        model = "centers.Buyer"

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"Buyer {n} Trading Co.")
    country = factory.LazyAttribute(lambda b: b.center.country)
    city = "Osaka"
    business_type = "importer"
    contact_name = "Tanaka Hiroshi"
    email = factory.Sequence(lambda n: f"buyer{n}@example.jp")


class BuyerInterestFactory(DjangoModelFactory):
    class Meta:
        model = "centers.BuyerInterest"

    buyer = factory.SubFactory(BuyerFactory)
    hs_code = "200899"


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Company"

    name_ko = factory.Sequence(lambda n: f"전남기업 {n}")
    name_en = factory.Sequence(lambda n: f"Jeonnam Company {n}")
    business_registration_number = factory.Sequence(valid_brn)
    city_county = "wando"
    industry = "seafood"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Product"

    company = factory.SubFactory(CompanyFactory)
    name_ko = "조미김"
    name_en = "Seasoned laver"
    hs_code = "200899"


class TargetCountryFactory(DjangoModelFactory):
    class Meta:
        model = "matching.CompanyTargetCountry"

    company = factory.SubFactory(CompanyFactory)
    country = "JP"


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Match"

    company = factory.SubFactory(CompanyFactory)
    buyer = factory.SubFactory(BuyerFactory)
    stage = "active"


class ExportEventFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ExportEvent"

    code = factory.Sequence(lambda n: f"event-{n}")
    name_ko = "온라인 수출 페스티벌"
    name_en = "Online export festival"
    kind = "export_festival"
    starts_on = date(2021, 11, 30)
    ends_on = date(2021, 12, 2)
    country = "KR"


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Consultation"

    match = factory.SubFactory(MatchFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    mode = "online_video"


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ExchangeRate"
        django_get_or_create = ("currency", "month")

    currency = "JPY"
    month = date(2021, 12, 1)
    units_per_usd = Decimal("113.9")


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Outcome"

    match = factory.SubFactory(MatchFactory)
    kind = "mou"
    signed_on = date(2021, 12, 1)


class ShipmentFactory(DjangoModelFactory):
    class Meta:
        model = "matching.SampleShipment"

    company = factory.SubFactory(CompanyFactory)
    center = factory.SubFactory(CenterFactory)
    purpose = "Tasting samples for the buyer"
    idempotency_key = factory.LazyFunction(uuid.uuid4)


class ShipmentItemFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ShipmentItem"

    shipment = factory.SubFactory(ShipmentFactory)
    product = factory.LazyAttribute(lambda item: ProductFactory(company=item.shipment.company))
    quantity = 5
    declared_value_usd = Decimal("50")


class ShipmentDocumentFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ShipmentDocument"

    shipment = factory.SubFactory(ShipmentFactory)
    kind = "invoice"
    file = factory.django.FileField(filename="invoice.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "invoice.pdf"
    content_type = "application/pdf"
    size = 15


class ShipmentStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ShipmentStatusChange"

    shipment = factory.SubFactory(ShipmentFactory)
    to_status = "requested"
    changed_at = factory.LazyFunction(timezone.now)


class BuyerStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = "centers.BuyerStatusChange"

    buyer = factory.SubFactory(BuyerFactory)
    from_status = "prospect"
    to_status = "contacted"


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = "matching.FollowUp"

    title = "Send the price list"
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    assignee = factory.SubFactory(UserFactory)


class ReminderDeliveryFactory(DjangoModelFactory):
    class Meta:
        model = "matching.ReminderDelivery"

    follow_up = factory.SubFactory(FollowUpFactory)
    recipient = factory.LazyAttribute(lambda d: d.follow_up.assignee)
    stage = "due"
    channel = "email"


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = "matching.Notification"

    recipient = factory.SubFactory(UserFactory)
    title = "A follow-up is due"


class DismissalFactory(DjangoModelFactory):
    class Meta:
        model = "matching.RecommendationDismissal"

    company = factory.SubFactory(CompanyFactory)
    buyer = factory.SubFactory(BuyerFactory)
    reason = "products"


class MatchProposalFactory(DjangoModelFactory):
    class Meta:
        model = "matching.MatchProposal"

    company = factory.SubFactory(CompanyFactory)
    buyer = factory.SubFactory(BuyerFactory)
    note = "They import seasoned laver from Wando already"
