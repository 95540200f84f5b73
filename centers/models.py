from datetime import timedelta

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Prefetch, Q, Value, Window
from django.db.models.functions import Coalesce, Lower, RowNumber, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.codes import country_name
from jntp.db import (
    BilingualNameMixin,
    SubqueryCount,
    SubqueryCountDistinct,
    SubqueryList,
    SubquerySum,
    TimeStampedModel,
    WebsiteField,
)
from jntp.tenancy import TenantQuerySet
from jntp.validators import (
    format_hs_code,
    validate_country_code,
    validate_currency_code,
    validate_hs_code,
    validate_time_zone,
)


class CenterQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        # The network of centers is JNTP's public directory: a company may send samples to any
        # active center, so it sees every active one (their buyers stay hidden).
        return self.filter(is_active=True)

    def for_center(self, center_id, *, user=None):
        return self.filter(pk=center_id)

    def with_counts(self, user):
        """How many buyers, open matches, consultations and inbound samples of each center the user
        may see (each a sub-select, so the list runs one query whatever its length).

        Staff and a center's manager see all of a center: its open matches and consultations are
        the sums of its buyers' BuyerSignal rows, which triggers keep (an index-only read of a few
        hundred rows). A company user sees only its own, counted through its matches."""
        from matching.models import Match, SampleShipment
        from matching.models.recommendations import BuyerSignal

        if getattr(user, "role", None) in ("staff", "center"):
            signals = BuyerSignal.objects.filter(center_id=OuterRef("pk"))
            open_matches = Coalesce(SubquerySum(signals, "open_matches"), 0)
            consultations = Coalesce(SubquerySum(signals, "consultations"), 0)
        else:
            open_matches = SubqueryCount(_center_matches(user).filter(stage__in=Match.Stage.open_values()))
            consultations = SubqueryCount(_center_consultations(user))
        return self.annotate(
            buyer_count=SubqueryCount(Buyer.objects.visible_to(user).filter(center=OuterRef("pk"))),
            open_match_count=open_matches,
            consultation_count=consultations,
            shipment_count=SubqueryCount(
                SampleShipment.objects.visible_to(user).filter(center=OuterRef("pk"))
            ),
        )

    def with_manager_names(self, user):
        """The names of the center's active managers the user may see, as a list on its row."""
        from jntp.users.models import User, display_name

        return self.annotate(
            manager_names=SubqueryList(
                User.objects.visible_to(user).filter(center=OuterRef("pk"), is_active=True), display_name()
            )
        )

    def with_figures(self, user):
        """with_counts, and what a center's page adds: USD consulted and expected, samples received,
        USD signed and MOUs, companies matched; all in the center's own row."""
        from matching.models import Outcome, SampleShipment

        received = [SampleShipment.Status.DELIVERED, SampleShipment.Status.FEEDBACK_RECEIVED]
        outcomes = Outcome.objects.visible_to(user).filter(center=OuterRef("pk"))
        return self.with_counts(user).annotate(
            consulted_usd=SubquerySum(_center_consultations(user), "consulted_amount_usd"),
            expected_usd=SubquerySum(_center_consultations(user), "expected_contract_usd"),
            received_count=SubqueryCount(
                SampleShipment.objects.visible_to(user).filter(center=OuterRef("pk"), status__in=received)
            ),
            signed_usd=SubquerySum(outcomes.exclude(kind=Outcome.Kind.MOU), "amount_usd"),
            mou_count=SubqueryCount(outcomes.filter(kind=Outcome.Kind.MOU)),
            company_count=SubqueryCountDistinct(_center_matches(user), "company_id"),
        )


def _center_matches(user):
    from matching.models import Match

    return Match.objects.visible_to(user).filter(center=OuterRef("pk"))


def _center_consultations(user):
    """The consultations of the outer center that count: all but the cancelled ones."""
    from matching.models import Consultation

    return (
        Consultation.objects.visible_to(user)
        .filter(center=OuterRef("pk"))
        .exclude(status=Consultation.Status.CANCELLED)
    )


class Center(BilingualNameMixin, TimeStampedModel):
    """One of JNTP's overseas business centers (해외비즈니스센터), run by a local partner."""

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]{2,12}$", _("Use 2 to 12 capital letters, digits or -."))],
        help_text=_("A short code, like OSA for the Osaka center."),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    operating_partner = models.CharField(_("operating partner"), max_length=150, blank=True)
    head_name = models.CharField(_("head of center"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    business_hours_start = models.TimeField(_("opens at (local time)"), default="09:00")
    business_hours_end = models.TimeField(_("closes at (local time)"), default="18:00")
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CenterQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("overseas center")
        verbose_name_plural = _("overseas centers")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(business_hours_start__lt=models.F("business_hours_end")),
                name="centers_center_business_hours_ordered",
                violation_error_message=_("The center must open before it closes."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centers:center_detail", args=[self.pk])

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class BuyerQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        from matching.models import Match

        return self.filter(Exists(Match.objects.filter(buyer=OuterRef("pk"), company_id=company_id)))

    def for_center(self, center_id, *, user=None):
        return self.filter(center_id=center_id)

    def with_relations(self):
        return self.select_related("center").prefetch_related(
            Prefetch("interests", queryset=BuyerInterest.objects.order_by("hs_code"))
        )

    def with_contact_visibility(self, user):
        """`contact_visible`: may the user read the contact person, e-mail and phone? Staff and the
        center may; a company user only when one of its matches with the buyer shares the contact."""
        if getattr(user, "role", None) == "company":
            from matching.models import Match

            shared = Match.objects.filter(
                buyer=OuterRef("pk"), company_id=user.company_id, contact_shared=True
            )
            return self.annotate(contact_visible=Exists(shared))
        return self.annotate(contact_visible=Value(True, output_field=BooleanField()))

    def with_match_count(self, user):
        from matching.models import Match

        return self.annotate(
            match_count=SubqueryCount(Match.objects.visible_to(user).filter(buyer=OuterRef("pk")))
        )

    def pipeline_board(self, *, per_status: int) -> list[dict]:
        """The buyers by pipeline status, one column per status: the `per_status` buyers longest in
        it first (those are the ones to chase), and how many there are in all. One query: a window
        numbers and counts each status's buyers, and only the first of each are read."""
        partition = {"partition_by": [F("status")]}
        rows = (
            self.annotate(
                place=Window(
                    RowNumber(), order_by=[F("status_changed_at").asc(), F("pk").asc()], **partition
                ),
                status_total=Window(Count("pk"), **partition),
            )
            .filter(place__lte=per_status)
            .order_by("status", "place")
        )
        columns = {status: {"status": status, "buyers": [], "total": 0} for status in Buyer.Status}
        for buyer in rows:
            column = columns[Buyer.Status(buyer.status)]
            column["buyers"].append(buyer)
            column["total"] = buyer.status_total
        return list(columns.values())

    def stale(self, *, days: int, now=None):
        """Buyers still in play whose status has not moved for `days` days."""
        now = now or timezone.now()
        return self.exclude(status__in=Buyer.Status.closed_values()).filter(
            status_changed_at__lt=now - timedelta(days=days)
        )


class BuyerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CONTACTED = "contacted", _("Contacted")
    INTERESTED = "interested", _("Interested")
    SAMPLE_REQUESTED = "sample_requested", _("Sample requested")
    NEGOTIATING = "negotiating", _("Negotiating")
    CONTRACTED = "contracted", _("Contracted")
    DORMANT = "dormant", _("Dormant")
    DROPPED = "dropped", _("Dropped")

    @classmethod
    def pipeline(cls) -> list["BuyerStatus"]:
        return [
            cls.PROSPECT,
            cls.CONTACTED,
            cls.INTERESTED,
            cls.SAMPLE_REQUESTED,
            cls.NEGOTIATING,
            cls.CONTRACTED,
        ]

    @classmethod
    def closed_values(cls) -> list[str]:
        return [cls.CONTRACTED, cls.DROPPED]


class Buyer(TimeStampedModel):
    """A foreign buyer known to one center, and where it stands in the center's pipeline."""

    Status = BuyerStatus

    class BusinessType(models.TextChoices):
        IMPORTER = "importer", _("Importer")
        DISTRIBUTOR = "distributor", _("Distributor / wholesaler")
        RETAILER = "retailer", _("Retailer / supermarket chain")
        ONLINE_RETAILER = "online_retailer", _("Online retailer")
        FOOD_SERVICE = "food_service", _("Food service")
        MANUFACTURER = "manufacturer", _("Manufacturer")
        EPC = "epc", _("Engineering / EPC contractor")
        TRADING = "trading", _("Trading company")
        OTHER = "other", _("Other")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="buyers"
    )
    name = models.CharField(_("company name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    city = models.CharField(_("city"), max_length=100, blank=True)
    business_type = models.CharField(_("business type"), max_length=20, choices=BusinessType.choices)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = WebsiteField(_("website"), blank=True)
    annual_import_usd = models.DecimalField(
        _("yearly import volume (USD)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("pipeline status"), max_length=20, choices=Status.choices, default=Status.PROSPECT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    # Bumped by every edit; a form that carries an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BuyerQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["name"]
        indexes = [
            # The buyers of a company's target markets, which the recommendation engine ranks first.
            models.Index(fields=["country"], name="centers_buyer_country"),
            # Lists and selects read buyers in name order, a page at a time.
            models.Index(fields=["name", "id"], name="centers_buyer_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                "center",
                name="centers_buyer_unique_name_country_center",
                violation_error_message=_("This center already has a buyer of that name in that country."),
            ),
            models.CheckConstraint(
                condition=Q(annual_import_usd__isnull=True) | Q(annual_import_usd__gte=0),
                name="centers_buyer_import_volume_not_negative",
                violation_error_message=_("The yearly import volume cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=BuyerStatus.values),
                name="centers_buyer_status_valid",
                violation_error_message=_("Unknown pipeline status."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centers:buyer_detail", args=[self.pk])

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def can_move_to(self, status: str) -> bool:
        """The pipeline: forward along the stages; dormant or dropped from anywhere; dormant back to
        contacted."""
        if status == self.status:
            return False
        if status in (self.Status.DORMANT, self.Status.DROPPED):
            return self.status != self.Status.DROPPED
        if self.status == self.Status.DORMANT:
            return status == self.Status.CONTACTED
        pipeline = self.Status.pipeline()
        if self.status not in pipeline or status not in pipeline:
            return False
        return pipeline.index(status) > pipeline.index(self.status)

    def allowed_statuses(self) -> list["Buyer.Status"]:
        return [s for s in self.Status if self.can_move_to(s)]


class BuyerInterestQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(buyer__in=Buyer.objects.for_company(company_id))

    def for_center(self, center_id, *, user=None):
        return self.filter(buyer__center_id=center_id)


class BuyerInterest(models.Model):
    """An HS subheading the buyer imports or wants to import."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="interests")
    hs_code = models.CharField(_("HS code"), max_length=6, validators=[validate_hs_code], db_index=True)
    # The heading (4 digits) and chapter (2 digits), kept by the database so that the recommendation
    # engine (matching/recommendations) can find every buyer of a chapter through an index.
    hs4 = models.GeneratedField(
        expression=Substr("hs_code", 1, 4), output_field=models.CharField(max_length=4), db_persist=True
    )
    hs2 = models.GeneratedField(
        expression=Substr("hs_code", 1, 2), output_field=models.CharField(max_length=2), db_persist=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BuyerInterestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["hs4", "hs2"])

    class Meta:
        verbose_name = _("product interest")
        verbose_name_plural = _("product interests")
        ordering = ["hs_code"]
        indexes = [
            # Covering: the engine reads a chapter's interests without touching the table.
            models.Index(fields=["hs2", "buyer", "hs4", "hs_code"], name="centers_interest_chapter"),
            # The buyers of some codes or headings, read from the index alone.
            models.Index(fields=["hs_code", "buyer"], name="centers_interest_code"),
            models.Index(fields=["hs4", "buyer"], name="centers_interest_heading"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "hs_code"],
                name="centers_buyerinterest_unique_buyer_hs_code",
                violation_error_message=_("This buyer already lists that HS code."),
            ),
            models.CheckConstraint(
                condition=Q(hs_code__regex=r"^[0-9]{6}$"),
                name="centers_buyerinterest_hs_code_six_digits",
                violation_error_message=_("An HS code has 6 digits."),
            ),
        ]

    def __str__(self):
        return format_hs_code(self.hs_code)


class BuyerStatusChangeQuerySet(TenantQuerySet):
    def for_center(self, center_id, *, user=None):
        return self.filter(buyer__center_id=center_id)

    # A company user sees a buyer only through its match; the center's pipeline stays internal.


class BuyerStatusChange(models.Model):
    """One move of a buyer along the pipeline: kept forever, never edited."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Buyer.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Buyer.Status.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        "users.User", verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    objects = BuyerStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("buyer status change")
        verbose_name_plural = _("buyer status changes")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="centers_buyerstatuschange_moves",
                violation_error_message=_("A status change must change the status."),
            ),
        ]

    def __str__(self):
        return f"{self.buyer}: {self.from_status} → {self.to_status}"
