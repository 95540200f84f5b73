"""Reminders: the sweep that finds what is due, and the send that delivers one reminder once.

The database, not the queue, decides what has been sent. Each reminder is a ReminderDelivery row,
unique per (follow-up, round, stage, channel), or per (recipient, week, channel) for a digest:

    pending ──claim──▶ sending ──▶ sent | failed | skipped
       ▲                  │
       └── lease expired ─┘   (worker died: sent again, late rather than never)
       └── SMTP said "later" ─ (exponential backoff, at most REMINDER_MAX_ATTEMPTS)

A task claims a row with one conditional UPDATE (pending → sending, with a fresh claim token); a
task that changes no row has nothing to do, so a message delivered twice, two beats or a
re-queued message send nothing twice. The only duplicate left is the one no SMTP client can
avoid: the worker dies after the server accepted the message and before the "sent" commit. Such a
row is released when its lease expires and counted in `reclaims`, and the staff page shows it.

Celery messages are only "go and look" signals: the sweep hands a pending row out again when its
message was lost (REMINDER_REQUEUE_AFTER_SECONDS), and tasks are enqueued after the transaction
that made their rows commits.
"""

import logging
import random
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jntp.users.models import User
from matching.models import FollowUp, Notification, ReminderDelivery, TaskHeartbeat
from matching.services import followups

logger = logging.getLogger(__name__)

Status = ReminderDelivery.Status
Stage = ReminderDelivery.Stage
Channel = ReminderDelivery.Channel
SWEEP = "reminders_sweep"


class TransientDeliveryError(Exception):
    """The mail server may take the message later: the task retries after `retry_in` seconds."""

    def __init__(self, message: str, retry_in: float):
        super().__init__(message)
        self.retry_in = retry_in


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: about base × 2^(attempts-1), at most the cap."""
    ceiling = min(
        settings.REMINDER_RETRY_MAX_SECONDS, settings.REMINDER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    )
    return ceiling * random.uniform(0.5, 1.0)  # jitter, not a secret


# --- The sweep ----------------------------------------------------------------------------------
def reminders_sweep(*, now: datetime | None = None) -> dict:
    """Everything the beat asks for each minute, each step in its own short transaction and
    bounded by REMINDER_SWEEP_BATCH_SIZE: run the rules, wake snoozed follow-ups, schedule the
    reminders that fell due, release dead claims, and hand pending reminders to tasks."""
    now = now or timezone.now()
    _heartbeat(started=now)
    summary = followups.follow_ups_apply_rules(now=now)
    summary["follow_ups_woken"] = followups.follow_ups_wake(now=now)
    summary.update(reminders_schedule(now=now))
    summary["digests_scheduled"] = digests_schedule(now=now)
    summary["claims_released"] = reminders_release_expired_claims(now=now)
    summary["enqueued"] = reminders_enqueue(now=now)
    summary["more"] = summary["enqueued"] >= settings.REMINDER_SWEEP_BATCH_SIZE or any(
        summary[f"scheduled_{stage}"] >= settings.REMINDER_SWEEP_BATCH_SIZE
        for stage in (Stage.DUE, Stage.OVERDUE, Stage.ESCALATION)
    )
    _heartbeat(finished=timezone.now(), summary=summary)
    return summary


def _heartbeat(*, started=None, finished=None, summary=None) -> None:
    fields = {}
    if started is not None:
        fields.update(last_started_at=started, runs=F("runs") + 1)
    if finished is not None:
        fields.update(last_finished_at=finished, last_summary=summary or {})
    if TaskHeartbeat.objects.filter(name=SWEEP).update(**fields):
        return
    try:
        with transaction.atomic():
            TaskHeartbeat.objects.create(name=SWEEP)
    except IntegrityError:
        pass  # another sweep created it a moment ago
    TaskHeartbeat.objects.filter(name=SWEEP).update(**fields)


def _stage_candidates(stage: str, now: datetime):
    """Open follow-ups that reached `stage` in their current round and have no row for it yet.

    Due: at due time. The second reminder and the escalation count from the first reminder, not
    from the due date, so a follow-up created long overdue gets one reminder first, not three."""
    this_round = ReminderDelivery.objects.filter(follow_up=OuterRef("pk"), round=OuterRef("round"))
    candidates = FollowUp.objects.filter(state=FollowUp.State.OPEN).filter(
        ~Exists(this_round.filter(stage=stage))
    )
    if stage == Stage.DUE:
        return candidates.filter(due_at__lte=now)
    days = settings.REMINDER_OVERDUE_DAYS if stage == Stage.OVERDUE else settings.REMINDER_ESCALATION_DAYS
    first = this_round.filter(stage=Stage.DUE, created_at__lte=now - timedelta(days=days))
    return candidates.filter(due_at__lte=now - timedelta(days=days)).filter(Exists(first))


def reminders_schedule(*, now: datetime | None = None) -> dict:
    """Create the delivery rows of the reminders that fell due: one per channel. Two sweeps at
    once insert the same keys; the unique constraint keeps one and ignores the other."""
    now = now or timezone.now()
    limit = settings.REMINDER_SWEEP_BATCH_SIZE
    assignees = followups.Assignees()
    summary = {}
    for stage in (Stage.DUE, Stage.OVERDUE, Stage.ESCALATION):
        batch = list(
            _stage_candidates(stage, now)
            .select_related("assignee", "created_by", "match__created_by")
            .order_by("due_at", "pk")[:limit]
        )
        rows = []
        for follow_up in batch:
            if stage == Stage.ESCALATION:
                recipient = followups.escalation_recipient(follow_up, assignees)
                if recipient is None:
                    continue  # no staff at all: nobody to escalate to
            else:
                recipient = follow_up.assignee
            rows += [
                ReminderDelivery(
                    follow_up=follow_up,
                    round=follow_up.round,
                    recipient=recipient,
                    stage=stage,
                    channel=channel,
                    due_at=now,
                    created_at=now,
                )
                for channel in (Channel.EMAIL, Channel.IN_APP)
            ]
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        summary[f"scheduled_{stage}"] = len(batch)
    return summary


def digest_week_of(user: User, now: datetime):
    """The digest day of this week, in the user's zone, from its hour until the end of the next day
    (a sweep stopped for a day still sends it); None at other times."""
    local = timezone.localtime(now, followups.zone_of(user))
    offset = (local.weekday() - settings.REMINDER_DIGEST_WEEKDAY) % 7
    if offset > 1 or (offset == 0 and local.hour < settings.REMINDER_DIGEST_HOUR):
        return None
    return local.date() - timedelta(days=offset)


def digests_schedule(*, now: datetime | None = None) -> int:
    """Once a week per user with open follow-ups: a digest e-mail of what is open."""
    if settings.REMINDER_DIGEST_WEEKDAY is None:
        return 0  # digests switched off
    now = now or timezone.now()
    open_follow_ups = FollowUp.objects.filter(assignee=OuterRef("pk"), state__in=followups.ACTIVE_STATES)
    # Whoever had a digest in the last five days cannot be due yet, whatever their zone.
    recent = now.date() - timedelta(days=5)
    users = (
        User.objects.filter(is_active=True)
        .filter(Exists(open_follow_ups))
        .annotate(
            last_digest=Max(
                "reminder_deliveries__digest_week",
                filter=Q(reminder_deliveries__stage=Stage.DIGEST),
                output_field=DateField(),
            )
        )
        .filter(Q(last_digest__isnull=True) | Q(last_digest__lt=recent))
        .order_by("pk")[: settings.REMINDER_SWEEP_BATCH_SIZE]
    )
    rows = []
    for user in users:
        week = digest_week_of(user, now)
        if week is None or (user.last_digest is not None and user.last_digest >= week):
            continue
        rows.append(
            ReminderDelivery(
                recipient=user,
                stage=Stage.DIGEST,
                channel=Channel.EMAIL,
                digest_week=week,
                due_at=now,
                created_at=now,
            )
        )
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def reminders_release_expired_claims(*, now: datetime | None = None) -> int:
    """A row still "sending" after the lease belonged to a worker that died (or hung past its time
    limit). Put it back: it is sent again, and counted, because the first try may have reached the
    server before the worker died."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    expired = list(
        ReminderDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
        .order_by("claimed_at")
        .values_list("pk", flat=True)[: settings.REMINDER_SWEEP_BATCH_SIZE]
    )
    released = ReminderDelivery.objects.filter(
        pk__in=expired, status=Status.SENDING, claimed_at__lt=cutoff
    ).update(
        status=Status.PENDING,
        claim_token=None,
        claimed_at=None,
        enqueued_at=None,
        due_at=now,
        reclaims=F("reclaims") + 1,
        last_error="The worker sending this stopped before it finished; sending again.",
    )
    if released:
        logger.warning("Released %s reminder claims whose worker died; they are sent again", released)
    return released


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Hand pending reminders that are due, and not handed out recently, to one task each.

    The rows are locked with SKIP LOCKED, so two sweeps at once hand out different rows; the
    messages are published only after the commit, so a task never looks for a row that is not
    there yet. A message lost on the way (broker down) leaves its row pending: it is handed out
    again after REMINDER_REQUEUE_AFTER_SECONDS."""
    from matching import tasks  # tasks import the services; import here to avoid a cycle

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
    with transaction.atomic():
        pks = list(
            ReminderDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[: settings.REMINDER_SWEEP_BATCH_SIZE]
        )
        if not pks:
            return 0
        ReminderDelivery.objects.filter(pk__in=pks).update(enqueued_at=now)
        transaction.on_commit(partial(_publish, tasks.reminder_send, pks))
    return len(pks)


def _publish(task, pks) -> None:
    # Stop at the first failure: the broker is down, and the rows are handed out again later.
    for pk in pks:
        task.delay(pk)


# --- Sending one reminder -----------------------------------------------------------------------
@dataclass
class SendResult:
    outcome: str  # "sent", "skipped", "failed", "not-claimed", "lost-claim"
    detail: str = ""


def _skip_reason(delivery: ReminderDelivery) -> str:
    if not delivery.recipient.is_active:
        return "The recipient can no longer sign in."
    if delivery.stage == Stage.DIGEST:
        if not FollowUp.objects.filter(
            assignee=delivery.recipient, state__in=followups.ACTIVE_STATES
        ).exists():
            return "Nothing is open any more."
        return ""
    follow_up = delivery.follow_up
    if follow_up.state != FollowUp.State.OPEN:
        return f"The follow-up is {follow_up.state}."
    if follow_up.round != delivery.round:
        return "The follow-up was snoozed or handed on since."
    return ""


def _load(delivery_id: int) -> ReminderDelivery:
    # Only what every message shows; the rare invitation loads its consultation's match itself.
    return ReminderDelivery.objects.select_related(
        "recipient", "follow_up__assignee", "follow_up__consultation"
    ).get(pk=delivery_id)


def reminder_send(*, delivery_id: int) -> SendResult:
    """Deliver one reminder, once. Raises TransientDeliveryError when the task should retry."""
    delivery = ReminderDelivery.objects.filter(pk=delivery_id).only("channel", "status").first()
    if delivery is None or delivery.status != Status.PENDING:
        return SendResult("not-claimed")
    if delivery.channel == Channel.IN_APP:
        return _send_in_app(delivery_id)
    return _send_email(delivery_id)


@transaction.atomic
def _send_in_app(delivery_id: int) -> SendResult:
    """The notification and the "sent" mark commit together: exactly once, crash or not."""
    from matching import emails

    now = timezone.now()
    delivery = _load(delivery_id)
    reason = _skip_reason(delivery)
    status = Status.SKIPPED if reason else Status.SENT
    claimed = ReminderDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
        status=status,
        sent_at=None if reason else now,
        claimed_at=now,
        attempts=F("attempts") + 1,
        last_error=reason,
    )
    if claimed != 1:
        return SendResult("not-claimed")
    if reason:
        return SendResult("skipped", reason)
    title, body, url = emails.notification_text(delivery)
    Notification.objects.create(
        recipient=delivery.recipient,
        follow_up=delivery.follow_up,
        delivery=delivery,
        title=title[:200],
        body=body,
        url=url,
        created_at=now,
    )
    return SendResult("sent")


def _claim(delivery_id: int, now: datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    claimed = ReminderDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
        status=Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token if claimed == 1 else None


def _finish(delivery_id: int, token: uuid.UUID, **fields) -> bool:
    """Record the outcome, if the claim is still ours (its lease did not expire meanwhile)."""
    done = ReminderDelivery.objects.filter(pk=delivery_id, status=Status.SENDING, claim_token=token).update(
        claim_token=None, **fields
    )
    if done != 1:
        logger.warning(
            "Reminder %s: the claim expired before the send finished; it may go out twice", delivery_id
        )
    return done == 1


def _is_permanent(error: Exception) -> bool:
    """5xx answers will not change by waiting; 4xx, refused connections and timeouts may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPConnectError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, SoftTimeLimitExceeded)


def _send_email(delivery_id: int) -> SendResult:
    from matching import emails

    now = timezone.now()
    token = _claim(delivery_id, now)
    if token is None:
        return SendResult("not-claimed")
    delivery = _load(delivery_id)
    reason = _skip_reason(delivery)
    if reason:
        _finish(delivery_id, token, status=Status.SKIPPED, last_error=reason)
        return SendResult("skipped", reason)
    if not delivery.recipient.email:
        _finish(delivery_id, token, status=Status.FAILED, last_error="The recipient has no e-mail address.")
        return SendResult("failed", "no e-mail address")
    try:
        message = emails.reminder_message(delivery)
    except Exception as error:  # a bug in a template must not retry forever
        logger.exception("Reminder %s could not be rendered", delivery_id)
        _finish(
            delivery_id, token, status=Status.FAILED, last_error=f"Could not be written: {error!r}"[:2000]
        )
        return SendResult("failed", repr(error))
    try:
        with get_connection(timeout=settings.EMAIL_TIMEOUT) as connection:
            connection.send_messages([message])
    except TRANSIENT_ERRORS as error:
        return _failed_attempt(delivery, token, error)
    _finish(delivery_id, token, status=Status.SENT, sent_at=timezone.now(), last_error="")
    return SendResult("sent")


def _failed_attempt(delivery: ReminderDelivery, token: uuid.UUID, error: Exception) -> SendResult:
    text = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        logger.warning("Reminder %s failed for good: %s", delivery.pk, text)
        _finish(delivery.pk, token, status=Status.FAILED, last_error=text)
        return SendResult("failed", text)
    retry_in = backoff_seconds(delivery.attempts)
    retry_at = timezone.now() + timedelta(seconds=retry_in)
    # Back to pending, due when the retry runs; if the retry message is lost, the sweep hands the
    # row out again REMINDER_REQUEUE_AFTER_SECONDS after that.
    _finish(
        delivery.pk,
        token,
        status=Status.PENDING,
        claimed_at=None,
        due_at=retry_at,
        enqueued_at=retry_at,
        last_error=text,
    )
    raise TransientDeliveryError(text, retry_in=retry_in)


@transaction.atomic
def reminder_retry(*, delivery: ReminderDelivery, by) -> ReminderDelivery:
    """Staff send a failed reminder again (after fixing an address, say)."""
    from matching import tasks

    if not getattr(by, "is_jntp_staff", False):
        raise PermissionDenied(_("Only JNTP staff send reminders again."))
    now = timezone.now()
    updated = ReminderDelivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, due_at=now, enqueued_at=now, last_error=""
    )
    if updated != 1:
        raise ValidationError(_("Only a failed reminder can be sent again."), code="stale")
    tasks.reminder_send.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery
