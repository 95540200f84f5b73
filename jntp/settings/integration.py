"""The settings of the Celery worker and beat that tests/integration start as real processes.

The test process hands them its database (DATABASE_URL, PostgreSQL), its own Redis
(CELERY_BROKER_URL) and the port of its SMTP server on loopback (EMAIL_PORT). Every interval is
shrunk from minutes to about a second so that a fault test takes seconds."""

from .test import *  # noqa: F403
from .test import database, env

DATABASES = {"default": database(env("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = 60  # the test kills the workers before it flushes the tables

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_VISIBILITY_TIMEOUT = 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("EMAIL_PORT")
EMAIL_TIMEOUT = 2
SITE_URL = "https://export.example.test"

REMINDER_SWEEP_INTERVAL_SECONDS = env.float("REMINDER_SWEEP_INTERVAL_SECONDS", default=1)
REMINDER_SWEEP_BATCH_SIZE = 100
REMINDER_CLAIM_LEASE_SECONDS = 8
REMINDER_REQUEUE_AFTER_SECONDS = 4
REMINDER_SEND_TIME_LIMIT = 6
REMINDER_RETRY_BASE_SECONDS = 0.5
REMINDER_RETRY_MAX_SECONDS = 3
REMINDER_MAX_ATTEMPTS = 100  # SMTP may stay down for a whole test without a reminder failing for good
REMINDER_DIGEST_WEEKDAY = None  # the tests count reminders; digests have their unit tests

CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {
        "task": "matching.tasks.reminders_sweep",
        "schedule": REMINDER_SWEEP_INTERVAL_SECONDS,
        "options": {"expires": REMINDER_SWEEP_INTERVAL_SECONDS * 5},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"matching": {"level": "INFO"}},
}

CELERY_TASK_TIME_LIMIT = 30
CELERY_TASK_SOFT_TIME_LIMIT = 25
