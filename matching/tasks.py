"""Celery tasks: thin. They take IDs, set the retry policy and call a service.

Both tasks are idempotent (the database decides what was done), so they acknowledge late: a
message whose worker died is delivered again rather than lost."""

from celery import shared_task
from django.conf import settings

from matching.services import reminders


@shared_task(acks_late=True)
def reminders_sweep() -> dict:
    summary = reminders.reminders_sweep()
    if summary["more"]:
        # A full batch: more is due than one sweep hands out. Go on now rather than in a minute.
        reminders_sweep.delay()
    return summary


@shared_task(
    bind=True,
    acks_late=True,
    # The database counts attempts across retries, re-queued messages and restarts
    # (REMINDER_MAX_ATTEMPTS); Celery's own counter would restart with every new message.
    max_retries=None,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
    soft_time_limit=settings.REMINDER_SEND_TIME_LIMIT * 0.8,
)
def reminder_send(self, delivery_id: int) -> str:
    try:
        result = reminders.reminder_send(delivery_id=delivery_id)
    except reminders.TransientDeliveryError as error:
        # Exponential backoff with jitter, computed from the row's attempts by the service.
        raise self.retry(countdown=error.retry_in, exc=error) from error
    return result.outcome
