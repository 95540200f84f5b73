import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.db import SubqueryCount, TimeStampedModel
from jntp.tenancy import TenantQuerySet
from matching.couriers import Courier, tracking_url


class ShipmentQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(company_id=company_id)

    def for_center(self, center_id, *, user=None):
        return self.filter(center_id=center_id)

    def shipped_in(self, year: int):
        return self.filter(shipped_at__year=year)

    def with_relations(self):
        return self.select_related("company", "center", "match__buyer")

    def with_totals(self):
        """`item_count` and `declared_total` (USD) of each shipment's items: correlated sub-selects,
        not a JOIN and GROUP BY, so a page of 25 shipments sums 25 shipments' items and not the
        whole table's before the LIMIT."""
        items = ShipmentItem.objects.filter(shipment=OuterRef("pk"))
        return self.annotate(
            item_count=SubqueryCount(items),
            declared_total=Coalesce(
                Subquery(
                    items.order_by()
                    .values("shipment")
                    .annotate(total=Sum("declared_value_usd"))
                    .values("total")
                ),
                Value(0),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )


class ShipmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    CANCELLED = "cancelled", _("Cancelled")


class SampleShipment(TimeStampedModel):
    """A company's product samples sent to a center, or through it to a matched buyer."""

    Status = ShipmentStatus

    class OrderInterest(models.TextChoices):
        YES = "yes", _("Wants to order")
        MAYBE = "maybe", _("Maybe, needs more")
        NO = "no", _("Not interested")

    # requested → approved | rejected; approved → shipped → delivered → feedback received;
    # requested or approved → cancelled.
    TRANSITIONS = {
        Status.REQUESTED: (Status.APPROVED, Status.REJECTED, Status.CANCELLED),
        Status.APPROVED: (Status.SHIPPED, Status.CANCELLED),
        Status.SHIPPED: (Status.DELIVERED,),
        Status.DELIVERED: (Status.FEEDBACK_RECEIVED,),
    }

    company = models.ForeignKey(
        "matching.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="shipments"
    )
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("destination center"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    match = models.ForeignKey(
        "matching.Match",
        verbose_name=_("for the buyer of match"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shipments",
        help_text=_("Empty when the samples are for the center itself."),
    )
    consultation = models.ForeignKey(
        "matching.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shipments",
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set from the form when it is first shown: a double click or a resent form finds the same key.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)

    cost_support_krw = models.DecimalField(
        _("cost support granted (KRW)"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    courier = models.CharField(_("courier"), max_length=10, choices=Courier.choices, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback received"), null=True, blank=True)

    feedback_rating = models.PositiveSmallIntegerField(
        _("buyer's rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback_comment = models.TextField(_("buyer's comment"), blank=True)
    feedback_order_interest = models.CharField(
        _("interest in ordering"), max_length=10, choices=OrderInterest.choices, blank=True
    )
    feedback_next_step = models.CharField(_("next step"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ShipmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("sample shipment")
        verbose_name_plural = _("sample shipments")
        ordering = ["-created_at"]
        indexes = [
            # The buyers' ratings, read by the recommendation engine: a small slice of all shipments.
            models.Index(
                fields=["match", "feedback_rating"],
                condition=Q(feedback_rating__isnull=False),
                name="matching_shipment_rated",
            ),
            # A center's inbound samples and its received count: its rows in a few statuses.
            models.Index(fields=["center", "status"], name="matching_shipment_inbound"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "idempotency_key"],
                name="matching_sampleshipment_unique_request",
                violation_error_message=_("This request was already submitted."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ShipmentStatus.values),
                name="matching_sampleshipment_status_valid",
                violation_error_message=_("Unknown shipment status."),
            ),
            models.CheckConstraint(
                condition=Q(cost_support_krw__gte=0),
                name="matching_sampleshipment_support_not_negative",
                violation_error_message=_("Cost support cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered", "feedback_received"])
                | (~Q(courier="") & ~Q(tracking_number="") & Q(shipped_at__isnull=False)),
                name="matching_sampleshipment_shipped_has_tracking",
                violation_error_message=_("A shipped sample has a courier, a tracking number and a date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="matching_sampleshipment_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_rating__isnull=True) | Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="matching_sampleshipment_rating_one_to_five",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status="feedback_received") | Q(feedback_rating__isnull=False),
                name="matching_sampleshipment_feedback_has_rating",
                violation_error_message=_("Feedback needs the buyer's rating."),
            ),
        ]

    def __str__(self):
        return _("Samples from %(company)s to %(center)s") % {"company": self.company, "center": self.center}

    def get_absolute_url(self):
        return reverse("matching:shipment_detail", args=[self.pk])

    @property
    def buyer(self):
        return self.match.buyer if self.match_id else None

    @property
    def tracking_url(self) -> str | None:
        return tracking_url(self.courier, self.tracking_number)

    @property
    def declared_value_usd(self):
        return sum((item.declared_value_usd for item in self.items.all()), 0)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class ShipmentScopedQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(shipment__company_id=company_id)

    def for_center(self, center_id, *, user=None):
        return self.filter(shipment__center_id=center_id)


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(SampleShipment, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "matching.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="shipment_items"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    declared_value_usd = models.DecimalField(
        _("declared value (USD)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ShipmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment item")
        verbose_name_plural = _("shipment items")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="matching_shipmentitem_quantity_positive",
                violation_error_message=_("Send at least one piece."),
            ),
            models.CheckConstraint(
                condition=Q(declared_value_usd__gte=0),
                name="matching_shipmentitem_value_not_negative",
                violation_error_message=_("A declared value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.product} × {self.quantity}"


def shipment_document_path(instance, filename):
    # A generated name: the user's file name is kept in the row, never used as a path.
    return f"shipments/{instance.shipment_id}/{uuid.uuid4().hex}"


class ShipmentDocument(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Commercial invoice (PDF)")
        PHOTO = "photo", _("Product photo (JPEG or PNG)")

    shipment = models.ForeignKey(SampleShipment, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=shipment_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey("users.User", on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ShipmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment document")
        verbose_name_plural = _("shipment documents")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="matching_shipmentdocument_allowed_type",
                violation_error_message=_("Only PDF, JPEG and PNG files are kept."),
            ),
        ]

    def __str__(self):
        return self.original_name


class ShipmentStatusChange(models.Model):
    """One step of a shipment's workflow: who took it and when. Kept forever, never edited."""

    shipment = models.ForeignKey(SampleShipment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=20, choices=SampleShipment.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SampleShipment.Status.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey("users.User", on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), db_index=True)

    objects = ShipmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment status change")
        verbose_name_plural = _("shipment status changes")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "to_status"],
                name="matching_shipmentstatuschange_each_step_once",
                violation_error_message=_("This step was already taken."),
            ),
        ]

    def __str__(self):
        return f"{self.shipment_id}: {self.from_status} → {self.to_status}"
