"""Reads for the follow-up pages and the staff "Reminders" page, in a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from matching.models import FollowUp, ReminderDelivery, TaskHeartbeat
from matching.services.reminders import SWEEP

Status = ReminderDelivery.Status
RECENT = 50  # rows in each list of the Reminders page


def follow_up_list_qs(user):
    return FollowUp.objects.visible_to(user).select_related("assignee").order_by("due_at", "pk")


def follow_up_get(user, pk):
    return (
        FollowUp.objects.visible_to(user).select_related("assignee", "created_by", "completed_by").get(pk=pk)
    )


def reminder_dashboard() -> dict:
    """What was sent, what failed and why, what is due next, and whether the sweep is alive."""
    now = timezone.now()
    lease_cutoff = now - timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    heartbeat = TaskHeartbeat.objects.filter(name=SWEEP).first()
    last_run = heartbeat.last_started_at if heartbeat else None
    age = (now - last_run).total_seconds() if last_run else None
    figures = ReminderDelivery.objects.aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        waiting=Count("pk", filter=Q(status=Status.PENDING, due_at__lte=now)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        stuck=Count("pk", filter=Q(status=Status.SENDING, claimed_at__lt=lease_cutoff)),
        sent_today=Count("pk", filter=Q(status=Status.SENT, sent_at__gte=now - timedelta(days=1))),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        maybe_twice=Count("pk", filter=Q(reclaims__gt=0, status=Status.SENT)),
        oldest_waiting=Min("due_at", filter=Q(status=Status.PENDING, due_at__lte=now)),
    )
    deliveries = ReminderDelivery.objects.select_related("recipient", "follow_up")
    return {
        "now": now,
        "heartbeat": heartbeat,
        "last_run_age": age,
        # Three missed sweeps: the beat or every worker has stopped.
        "sweep_stalled": age is None or age > 3 * settings.REMINDER_SWEEP_INTERVAL_SECONDS,
        "sweep_interval": settings.REMINDER_SWEEP_INTERVAL_SECONDS,
        "figures": figures,
        "failed": list(deliveries.filter(status=Status.FAILED).order_by("-created_at", "-pk")[:RECENT]),
        "sent": list(deliveries.filter(status=Status.SENT).order_by("-sent_at", "-pk")[:RECENT]),
        "due_next": list(
            FollowUp.objects.filter(state=FollowUp.State.OPEN, due_at__gt=now)
            .select_related("assignee")
            .order_by("due_at", "pk")[:RECENT]
        ),
    }
