from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jntp.db import TimeStampedModel
from jntp.tenancy import TenantQuerySet


class FollowUpQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(assignee__company_id=company_id)

    def for_center(self, center_id, *, user=None):
        return self.filter(assignee__center_id=center_id)

    def open(self):
        return self.filter(state=FollowUp.State.OPEN)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class FollowUp(TimeStampedModel):
    """Something someone must do by a date: created by a rule when the data calls for it, or by hand."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SNOOZED = "snoozed", _("Snoozed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def still_to_do(cls):
        """True for a follow-up still open or snoozed: what a record's page lists first."""
        return ExpressionWrapper(
            Q(state__in=[cls.State.OPEN, cls.State.SNOOZED]), output_field=models.BooleanField()
        )

    class Rule(models.TextChoices):
        MANUAL = "manual", _("Created by hand")
        CONSULTATION_RESULT = "consultation_result", _("Consultation result not logged")
        CONSULTATION_FOLLOW_UP = "consultation_follow_up", _("Consultation follow-up date")
        SAMPLE_FEEDBACK = "sample_feedback", _("Sample delivered, no buyer feedback")
        SAMPLE_APPROVAL = "sample_approval", _("Sample request waiting for approval")
        BUYER_STALE = "buyer_stale", _("Buyer status has not moved")
        MOU_NO_CONTRACT = "mou_no_contract", _("MOU without a contract")
        CONSULTATION_UPCOMING = "consultation_upcoming", _("Consultation coming up")

    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    rule = models.CharField(_("created by"), max_length=30, choices=Rule.choices, default=Rule.MANUAL)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    assignee = models.ForeignKey(
        "users.User", verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        "users.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "users.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the follow-up is about (at most a few are set).
    match = models.ForeignKey(
        "matching.Match", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    consultation = models.ForeignKey(
        "matching.Consultation", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    shipment = models.ForeignKey(
        "matching.SampleShipment", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    buyer = models.ForeignKey(
        "centers.Buyer", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    outcome = models.ForeignKey(
        "matching.Outcome", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    # A rule writes e.g. "consultation_result:42:7"; the unique key makes a rule run twice harmless.
    dedupe_key = models.CharField(max_length=100, blank=True, editable=False)
    # Snoozing or handing a follow-up on starts a new round of reminders: the delivery key is
    # (follow-up, round, stage, channel), so each round is reminded once, and only once.
    round = models.PositiveSmallIntegerField(_("reminder round"), default=1, editable=False)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"], name="matching_followup_state_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="matching_followup_unique_rule_key",
                violation_error_message=_("This follow-up already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(state="snoozed") | Q(snoozed_until__isnull=False),
                name="matching_followup_snoozed_has_date",
                violation_error_message=_("A snoozed follow-up needs the date it wakes up."),
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_at__isnull=False),
                name="matching_followup_done_has_date",
                violation_error_message=_("A done follow-up records when it was done."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.OPEN, self.State.SNOOZED)

    @property
    def target(self):
        """The record the follow-up is about, the most specific first."""
        for name in ("consultation", "shipment", "outcome", "buyer", "match"):
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None


class ReminderDeliveryQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(recipient=user)

    def for_center(self, center_id, *, user=None):
        return self.filter(recipient=user)


class ReminderDelivery(models.Model):
    """One reminder through one channel. The unique key decides what has been sent, not the queue."""

    class Stage(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue (second reminder)")
        ESCALATION = "escalation", _("Escalated to staff")
        DIGEST = "digest", _("Weekly digest")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("In the app")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed any more")

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    recipient = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="reminder_deliveries")
    round = models.PositiveSmallIntegerField(_("reminder round"), default=1)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    digest_week = models.DateField(_("digest week"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    due_at = models.DateTimeField(_("due"), default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The sweep hands a pending row to a task and notes when; a row whose message was lost (a broker
    # restart) is handed out again once this is older than REMINDER_REQUEUE_AFTER_SECONDS.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # A task claims the row (pending → sending) before it sends; a claim older than the lease
    # belonged to a worker that died and is released, so the reminder goes out late, never not.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    # How many claims expired: each one is a send whose outcome was unknown (maybe sent twice).
    reclaims = models.PositiveSmallIntegerField(_("expired claims"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="matching_delivery_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "round", "stage", "channel"],
                condition=Q(follow_up__isnull=False),
                name="matching_reminderdelivery_once_per_stage",
                violation_error_message=_("This reminder was already scheduled."),
            ),
            models.UniqueConstraint(
                fields=["recipient", "digest_week", "channel"],
                condition=Q(stage="digest"),
                name="matching_reminderdelivery_one_digest_a_week",
                violation_error_message=_("This week's digest was already scheduled."),
            ),
            models.CheckConstraint(
                condition=Q(stage="digest", follow_up__isnull=True, digest_week__isnull=False)
                | (~Q(stage="digest") & Q(follow_up__isnull=False)),
                name="matching_reminderdelivery_target",
                violation_error_message=_("A reminder is about a follow-up; a digest about a week."),
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="matching_reminderdelivery_sent_has_date",
                violation_error_message=_("A sent reminder records when it was sent."),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} → {self.recipient} ({self.get_channel_display()})"

    @property
    def key(self) -> str:
        """What the tests and the mail headers call this reminder: unique, readable, stable."""
        if self.stage == self.Stage.DIGEST:
            return f"digest/{self.recipient_id}/{self.digest_week:%Y-%m-%d}/{self.channel}"
        return f"follow-up/{self.follow_up_id}/{self.round}/{self.stage}/{self.channel}"


class NotificationQuerySet(TenantQuerySet):
    def for_company(self, company_id, *, user=None):
        return self.filter(recipient=user)

    def for_center(self, center_id, *, user=None):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in the app's bell, written in the recipient's language when it was created."""

    recipient = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="notifications")
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    delivery = models.OneToOneField(
        ReminderDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class TaskHeartbeat(models.Model):
    """When a periodic task last ran; the staff page shows a stopped beat or worker at a glance."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveBigIntegerField(default=0)
    last_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")

    def __str__(self):
        return self.name
