from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.tenancy import TenantQuerySet


class RecommendationDismissalQuerySet(TenantQuerySet):
    def for_center(self, center_id, *, user=None):
        return self.filter(buyer__center_id=center_id)

    # Company users never see recommendations, so they never see what was dismissed either.


class RecommendationDismissal(models.Model):
    """Staff said no to a recommended company–buyer pair: the engine never offers it again.

    One row per pair. Undoing a dismissal deletes the row; the audit history keeps who dismissed it,
    why, and who brought it back."""

    class Reason(models.TextChoices):
        PRODUCTS_DO_NOT_FIT = "products", _("The products do not fit")
        WRONG_MARKET = "market", _("Not a market for this company")
        BUYER_UNSUITABLE = "buyer", _("The buyer is not suitable (size, reliability)")
        COMPANY_NOT_READY = "company", _("The company is not ready for this buyer")
        ALREADY_IN_CONTACT = "contact", _("Already in contact outside JNTP")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        "matching.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    buyer = models.ForeignKey(
        "centers.Buyer", verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    dismissed_by = models.ForeignKey(
        "users.User", verbose_name=_("dismissed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), default=timezone.now)

    objects = RecommendationDismissalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dismissed recommendation")
        verbose_name_plural = _("dismissed recommendations")
        ordering = ["-dismissed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "buyer"],
                name="matching_recommendationdismissal_unique_pair",
                violation_error_message=_("This recommendation was already dismissed."),
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""),
                name="matching_recommendationdismissal_other_has_note",
                violation_error_message=_("Say why, when the reason is “other”."),
            ),
        ]

    def __str__(self):
        return f"{self.company} ✕ {self.buyer}"


class MatchProposalQuerySet(TenantQuerySet):
    def for_center(self, center_id, *, user=None):
        return self.filter(buyer__center_id=center_id)

    def pending(self):
        return self.filter(status=MatchProposal.Status.PENDING)


class MatchProposal(models.Model):
    """A center manager asks JNTP staff to match one of the center's buyers with a company.

    A proposal, not a Match: a match is what the company user sees (and through it the buyer), so it
    exists only once staff approve. Staff accept (the match is created, source "center") or decline
    (the pair is dismissed, with the reason, so the engine does not offer it again)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    company = models.ForeignKey(
        "matching.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    buyer = models.ForeignKey(
        "centers.Buyer", verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("why this match"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        "users.User", verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        "users.User",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("staff note"), blank=True)
    match = models.ForeignKey(
        "matching.Match",
        verbose_name=_("match"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )

    objects = MatchProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "buyer"],
                condition=Q(status="pending"),
                name="matching_matchproposal_one_pending_per_pair",
                violation_error_message=_("This match has already been proposed to staff."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined"]),
                name="matching_matchproposal_status_valid",
                violation_error_message=_("Unknown proposal status."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="matching_matchproposal_decision_has_date",
                violation_error_message=_("A decided proposal records when it was decided."),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(match__isnull=False),
                name="matching_matchproposal_accepted_has_match",
                violation_error_message=_("An accepted proposal points to its match."),
            ),
        ]

    def __str__(self):
        return f"{self.company} → {self.buyer} ({self.get_status_display()})"


class BuyerSignal(models.Model):
    """What the recommendation engine reads about a buyer, kept by the database: one narrow row per
    buyer, so that ranking thousands of buyers reads this table and not the buyers' wide one.

    The list of centers sums these rows too (Center.objects.with_counts).

    Derived data: database triggers (matching/recommendations/upkeep.py) rewrite the row whenever
    the buyer, its center, or a match or consultation of it changes, in the same transaction,
    whatever wrote it (a service, the admin, an import, bulk_create). Never written by the
    application."""

    buyer = models.OneToOneField(
        "centers.Buyer", primary_key=True, on_delete=models.CASCADE, related_name="engine_signal"
    )
    open_matches = models.PositiveIntegerField(_("open matches"), default=0)
    # Consultations not cancelled: what a center's row in the list of centers sums.
    consultations = models.PositiveIntegerField(_("consultations"), default=0)
    last_consulted_at = models.DateTimeField(_("last consultation"), null=True, blank=True)
    # Copies of the buyer's own columns the score reads.
    center_id = models.BigIntegerField(_("center"), null=True)
    center_active = models.BooleanField(_("center active"), default=False)
    country = models.CharField(_("country"), max_length=2, blank=True)
    business_type = models.CharField(_("business type"), max_length=20, blank=True)
    status = models.CharField(_("pipeline status"), max_length=20, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True)

    class Meta:
        verbose_name = _("buyer signal")
        verbose_name_plural = _("buyer signals")
        indexes = [
            # A center's open matches and consultations: the sums of its buyers' rows, index only.
            models.Index(
                fields=["center_id"], include=["open_matches", "consultations"], name="matching_signal_center"
            )
        ]

    def __str__(self):
        return str(self.buyer_id)


class BuyerHeadingHistory(models.Model):
    """A buyer's track record with companies selling in one HS heading, kept by the database.

    Per (buyer, heading): the samples of products in the heading the buyer rated (how many, the sum
    of the ratings), the contracts, export agreements and purchase orders (deals) and the MOUs it
    signed with companies selling in the heading, and its lost matches with such companies. Derived
    data, rewritten by triggers like BuyerSignal; a row exists only where there is something to say."""

    buyer = models.ForeignKey("centers.Buyer", on_delete=models.CASCADE, related_name="+")
    hs4 = models.CharField(_("HS heading"), max_length=4)
    rated = models.PositiveIntegerField(_("rated samples"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    deals = models.PositiveIntegerField(_("contracts, agreements and orders"), default=0)
    mous = models.PositiveIntegerField(_("MOUs"), default=0)
    lost = models.PositiveIntegerField(_("lost matches"), default=0)

    class Meta:
        verbose_name = _("buyer history by HS heading")
        verbose_name_plural = _("buyer history by HS heading")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "hs4"],
                name="matching_buyerheadinghistory_unique",
                violation_error_message=_("This buyer already has a history row for this heading."),
            ),
        ]
        indexes = [
            # The buyers with a track record in some headings: the engine's gate for the history part.
            models.Index(fields=["hs4", "buyer"], name="matching_history_heading"),
        ]

    def __str__(self):
        return f"{self.buyer_id} · {self.hs4}"
