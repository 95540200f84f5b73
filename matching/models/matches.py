from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.db import BilingualNameMixin, SubqueryCount, TimeStampedModel
from jntp.tenancy import TenantQuerySet
from jntp.validators import validate_country_code, validate_currency_code


class SharedQuerySet(TenantQuerySet):
    """Reference data every signed-in user may read (events, exchange rates)."""

    def for_company(self, company_id, *, user=None):
        return self.all()

    def for_center(self, center_id, *, user=None):
        return self.all()


def center_copy_field():
    """The buyer's center on a match, consultation or outcome, copied by the database
    (matching/center_copy.py), so that a center's rows are one indexed lookup instead of a walk
    through its buyers' matches. Never written by the application; None in Python after a create
    until the row is read again. Each model indexes it together with its time."""
    return models.ForeignKey(
        "centers.Center",
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,
    )


class ExportEventQuerySet(SharedQuerySet):
    def with_counts(self, user):
        """The consultations and outcomes at each event that the user may see, and their USD total."""
        outcomes = Outcome.objects.visible_to(user).filter(event=OuterRef("pk"))
        return self.annotate(
            consultation_count=SubqueryCount(
                Consultation.objects.visible_to(user)
                .filter(event=OuterRef("pk"))
                .exclude(status=Consultation.Status.CANCELLED)
            ),
            outcome_count=SubqueryCount(outcomes),
            outcome_usd=Subquery(
                outcomes.order_by().values("event").annotate(total=Sum("amount_usd")).values("total"),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            ),
        )


class ExportEvent(BilingualNameMixin, TimeStampedModel):
    """A programme event where consultations and signings happen (e.g. the online export festival)."""

    class Kind(models.TextChoices):
        EXPORT_FESTIVAL = "export_festival", _("Online export festival")
        TRADE_FAIR = "trade_fair", _("Trade fair")
        ENERGY_WEEK = "energy_week", _("Energy week")
        TRADE_MISSION = "trade_mission", _("Trade mission")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ExportEventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("export event")
        verbose_name_plural = _("export events")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="matching_exportevent_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("matching:event_detail", args=[self.pk])


class MatchQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(company_id=company_id)

    def for_center(self, center_id, *, user=None):
        # The center copied onto the row (matching/center_copy.py), not a join through the buyer.
        return self.filter(center_id=center_id)

    def with_relations(self):
        return self.select_related("company", "buyer", "buyer__center")

    def with_counts(self, user):
        """The match's consultations (not cancelled), sample shipments and outcomes the user may see."""
        from matching.models.shipments import SampleShipment

        return self.annotate(
            consultation_count=SubqueryCount(
                Consultation.objects.visible_to(user)
                .filter(match=OuterRef("pk"))
                .exclude(status=Consultation.Status.CANCELLED)
            ),
            shipment_count=SubqueryCount(
                SampleShipment.objects.visible_to(user).filter(match=OuterRef("pk"))
            ),
            outcome_count=SubqueryCount(Outcome.objects.visible_to(user).filter(match=OuterRef("pk"))),
        )


class MatchStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CONSULTATION = "consultation", _("Consultation")
    SAMPLE = "sample", _("Sample")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    CLOSED = "closed", _("Closed")

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.PROPOSED, cls.ACTIVE, cls.CONSULTATION, cls.SAMPLE, cls.NEGOTIATION]


class Match(TimeStampedModel):
    """JNTP links one company with one buyer (and so with the buyer's center)."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Proposed by staff")
        ENGINE = "engine", _("Recommended by the matching engine")
        FAIR = "fair", _("Met at a fair")
        CENTER = "center", _("Proposed by the center")

    Stage = MatchStage
    company = models.ForeignKey(
        "matching.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="matches"
    )
    buyer = models.ForeignKey(
        "centers.Buyer", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="matches"
    )
    center = center_copy_field()  # indexed with created_at below
    source = models.CharField(
        _("how it came about"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    stage = models.CharField(
        _("stage"), max_length=15, choices=Stage.choices, default=Stage.PROPOSED, db_index=True
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    contact_shared = models.BooleanField(
        _("buyer contact shared with the company"),
        default=False,
        help_text=_(
            "The company user sees the buyer's contact person, e-mail and phone only when this is on."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        "users.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MatchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "center"])

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at"]
        indexes = [
            # A buyer's open matches and its history by stage, read by the recommendation engine.
            models.Index(fields=["buyer", "stage", "company"], name="matching_match_buyer_stage"),
            # A center's matches, newest first; how many companies it works with from the index.
            models.Index(
                fields=["center", "created_at"], include=["company"], name="matching_match_center_created"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "buyer"],
                name="matching_match_unique_company_buyer",
                violation_error_message=_("This company is already matched with this buyer."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=MatchStage.values),
                name="matching_match_stage_valid",
                violation_error_message=_("Unknown match stage."),
            ),
        ]

    def __str__(self):
        return f"{self.company} ↔ {self.buyer}"

    def get_absolute_url(self):
        return reverse("matching:match_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in self.Stage.open_values()

    def can_move_to(self, stage: str) -> bool:
        """Forward along the stages; won, lost or closed from any open stage."""
        if not self.is_open or stage == self.stage:
            return False
        if stage in (self.Stage.WON, self.Stage.LOST, self.Stage.CLOSED):
            return True
        order = self.Stage.open_values()
        return stage in order and order.index(stage) > order.index(self.stage)


class MatchScopedQuerySet(TenantQuerySet):
    """Rows that hang off a match (consultations, outcomes)."""

    def for_company(self, company_id, *, user=None):
        return self.filter(match__company_id=company_id)

    def for_center(self, center_id, *, user=None):
        # The center copied onto the row (matching/center_copy.py), not a join through the buyer.
        return self.filter(center_id=center_id)

    def with_relations(self, *, center: bool = True):
        """The rows their tables show. `center=False` on a center's own page, where every row's
        center is the page's: one join fewer for PostgreSQL to plan (about 1.5 ms a query)."""
        buyer = "match__buyer__center" if center else "match__buyer"
        return self.select_related("match__company", buyer, "event")


class ConsultationQuerySet(MatchScopedQuerySet):
    def held_in(self, year: int):
        return self.exclude(status=Consultation.Status.CANCELLED).filter(starts_at__year=year)


class Consultation(TimeStampedModel):
    """A meeting between a company and a buyer inside their match."""

    class Mode(models.TextChoices):
        ONLINE_VIDEO = "online_video", _("Online video")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        EXPORT_FAIR = "export_fair", _("Export fair")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held, result logged")
        CANCELLED = "cancelled", _("Cancelled")

    class Interest(models.TextChoices):
        # Trade-show lead grades (research/domain.md §3.3).
        A = "A", _("A: high, buys soon")
        B = "B", _("B: medium")
        C = "C", _("C: low, long horizon")
        D = "D", _("D: information only")

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.PROTECT, related_name="consultations"
    )
    center = center_copy_field()  # indexed with starts_at below
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("mode"), max_length=15, choices=Mode.choices, default=Mode.ONLINE_VIDEO)
    event = models.ForeignKey(
        ExportEvent,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    interpreter = models.CharField(_("interpreter"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    consulted_amount_usd = models.DecimalField(
        _("consulted amount (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_contract_usd = models.DecimalField(
        _("expected contract amount (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    interest_level = models.CharField(_("interest level"), max_length=1, choices=Interest.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    result_logged_at = models.DateTimeField(_("result logged"), null=True, blank=True)
    result_logged_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "center"])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_at"]
        indexes = [
            # A match's latest consultation (the engine's "recent activity") without a sort.
            models.Index(fields=["match", "starts_at"], name="matching_consultation_latest"),
            # A center's consultations, newest first; its consulted and expected sums from the
            # index alone.
            models.Index(
                fields=["center", "starts_at"],
                include=["status", "consulted_amount_usd", "expected_contract_usd"],
                name="matching_consult_center_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consulted_amount_usd__isnull=True) | Q(consulted_amount_usd__gte=0),
                name="matching_consultation_consulted_not_negative",
                violation_error_message=_("The consulted amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(expected_contract_usd__isnull=True) | Q(expected_contract_usd__gte=0),
                name="matching_consultation_expected_not_negative",
                violation_error_message=_("The expected contract amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="matching_consultation_duration_positive",
                violation_error_message=_("A consultation lasts at least a minute."),
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(result_logged_at__isnull=False),
                name="matching_consultation_held_has_result",
                violation_error_message=_("A held consultation has its result logged."),
            ),
        ]

    def __str__(self):
        return f"{self.match} @ {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("matching:consultation_detail", args=[self.pk])


class ExchangeRate(models.Model):
    """Units of a currency per US dollar for a month; outcome amounts count in USD at this rate."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    units_per_usd = models.DecimalField(
        _("units per USD"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = SharedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "month"],
                name="matching_exchangerate_unique_currency_month",
                violation_error_message=_("There is already a rate for this currency and month."),
            ),
            models.CheckConstraint(
                condition=Q(units_per_usd__gt=0),
                name="matching_exchangerate_rate_positive",
                violation_error_message=_("An exchange rate must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="matching_exchangerate_month_first_day",
                violation_error_message=_("Enter the first day of the month."),
            ),
        ]

    def __str__(self):
        return f"{self.currency} {self.month:%Y-%m}: {self.units_per_usd}"

    @staticmethod
    def month_of(day: date) -> date:
        return day.replace(day=1)


class OutcomeQuerySet(MatchScopedQuerySet):
    def signed_in(self, year: int):
        return self.filter(signed_on__year=year)


class Outcome(TimeStampedModel):
    """What came of a match: an export agreement, a contract, an MOU or a purchase order."""

    class Kind(models.TextChoices):
        EXPORT_AGREEMENT = "export_agreement", _("Export agreement")
        CONTRACT = "contract", _("Export contract")
        MOU = "mou", _("MOU")
        PURCHASE_ORDER = "purchase_order", _("Purchase order")

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.PROTECT, related_name="outcomes"
    )
    center = center_copy_field()  # indexed with signed_on below
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"), db_index=True)
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency_code]
    )
    usd_rate = models.DecimalField(
        _("units per USD"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("The stored rate of the month of signing."),
    )
    amount_usd = models.DecimalField(
        _("amount (USD)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    event = models.ForeignKey(
        ExportEvent,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "center"])

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-signed_on"]
        indexes = [
            # A center's outcomes, latest first.
            models.Index(fields=["center", "signed_on"], name="matching_outcome_center_signed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="matching_outcome_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0),
                name="matching_outcome_amount_usd_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind="mou") | Q(amount__isnull=False),
                name="matching_outcome_amount_required",
                violation_error_message=_("Agreements, contracts and purchase orders need an amount."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, amount_usd__isnull=True)
                | Q(amount__isnull=False, amount_usd__isnull=False, usd_rate__gt=0),
                name="matching_outcome_amount_converted",
                violation_error_message=_("An amount needs its USD value at the stored rate."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.match} ({self.signed_on})"

    def get_absolute_url(self):
        return reverse("matching:outcome_detail", args=[self.pk])
