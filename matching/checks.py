"""`manage.py check` refuses reminder settings that would send a reminder twice or hang a worker."""

from django.conf import settings
from django.core.checks import Error, Warning, register

KOMBU_DEFAULT_VISIBILITY_TIMEOUT = 60 * 60


@register("reminders")
def check_reminder_settings(app_configs=None, **kwargs):
    problems = []
    longest_wait = max(
        settings.REMINDER_RETRY_MAX_SECONDS,
        settings.REMINDER_SEND_TIME_LIMIT,
        settings.CELERY_TASK_TIME_LIMIT,
    )
    if str(settings.CELERY_BROKER_URL).startswith(("redis://", "rediss://")):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        visibility = options.get("visibility_timeout", KOMBU_DEFAULT_VISIBILITY_TIMEOUT)
        if visibility <= longest_wait:
            problems.append(
                Error(
                    f"Redis's visibility timeout ({visibility} s) must be above the longest countdown or "
                    f"task ({longest_wait} s), or Redis hands a waiting message to a second worker.",
                    hint="Raise CELERY_VISIBILITY_TIMEOUT or lower REMINDER_RETRY_MAX_SECONDS.",
                    id="reminders.E001",
                )
            )
    if settings.REMINDER_CLAIM_LEASE_SECONDS <= settings.REMINDER_SEND_TIME_LIMIT:
        problems.append(
            Error(
                "REMINDER_CLAIM_LEASE_SECONDS must be above REMINDER_SEND_TIME_LIMIT: a claim would "
                "expire while its worker is still sending, and the reminder would go out twice.",
                id="reminders.E002",
            )
        )
    if not settings.EMAIL_TIMEOUT:
        problems.append(
            Warning(
                "EMAIL_TIMEOUT is not set: a mail server that stalls holds a worker until the task's "
                "time limit kills it.",
                id="reminders.W001",
            )
        )
    return problems
