"""Settings shared by every environment. Everything that differs between machines comes from the
environment (django-environ); local.py, test.py and production.py only change defaults."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files of a laptop run: SQLite, broker, mail, uploads

env = environ.Env()

# --- Core ------------------------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")  # required in production.py
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "jntp",
    "jntp.users",
    "centers",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jntp.users.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it turns a locked-out login into a 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jntp.urls"
WSGI_APPLICATION = "jntp.wsgi.application"
ASGI_APPLICATION = "jntp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matching.context_processors.notifications",
            ],
        },
    }
]


# --- Database --------------------------------------------------------------------------------
def database(url: str) -> dict:
    """A DATABASES entry from a URL. On PostgreSQL each connection tells the planner that random
    reads cost little more than sequential ones (DATABASE_RANDOM_PAGE_COST, 1.1 as for SSDs; the
    server's default of 4 is for spinning disks). With 4, the pages that count a center's
    consultations through its buyers scan all matches once per center: 380 ms for the list of
    centers at national scale instead of 75 ms (`make bench`)."""
    config = env.db_url_config(url)
    # Empty turns it off: a pooler such as PgBouncer refuses startup options; set it on the server.
    cost = env.str("DATABASE_RANDOM_PAGE_COST", default="1.1")
    if config["ENGINE"] == "django.db.backends.postgresql" and cost:
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={float(cost)}".strip()
    return config


# SQLite makes a plain index of one that also carries columns for index-only reads on PostgreSQL
# (BuyerSignal's by center); the laptop demo needs no warning about it at every migrate.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DATABASES = {"default": database(env("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, passwords and sign-in ------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2 first (the Password Hashing Competition winner); the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Axes must come first so a locked-out user is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jntp.users.backends.UserBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the (username, IP) pair: an attacker elsewhere cannot lock a real user out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day; sign in again the next morning
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"  # JNTP's own zone; users pick theirs in their profile
USE_TZ = True

# --- Static files and uploads ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Uploaded documents live outside the static root and have no URL of their own: they are
# served only through views that check access (see matching.views).
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Never a path of this site: the static and live test servers then never serve uploads either.
MEDIA_URL = "https://private-media.invalid/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Security headers ------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Django's default is no timeout: a server that accepts and then stalls would hold a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="JNTP Export Match <export-match@jntp.or.kr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails point here (no request to build them from in a worker).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Follow-up rules and reminders ----------------------------------------------------------
# When the rules create a follow-up (matching/services/followups.py), in days after the event.
REMINDER_CONSULTATION_RESULT_DAYS = env.int("REMINDER_CONSULTATION_RESULT_DAYS", default=1)
REMINDER_SAMPLE_FEEDBACK_DAYS = env.int("REMINDER_SAMPLE_FEEDBACK_DAYS", default=14)
REMINDER_SAMPLE_APPROVAL_WORKING_DAYS = env.int("REMINDER_SAMPLE_APPROVAL_WORKING_DAYS", default=3)
REMINDER_BUYER_STALE_DAYS = env.int("REMINDER_BUYER_STALE_DAYS", default=30)
REMINDER_MOU_CONTRACT_DAYS = env.int("REMINDER_MOU_CONTRACT_DAYS", default=90)
# The company hears of a scheduled consultation (with an .ics invitation) this many days ahead.
REMINDER_CONSULTATION_NOTICE_DAYS = env.int("REMINDER_CONSULTATION_NOTICE_DAYS", default=1)
# Events older than this past their threshold are left alone: a new installation, or a rule
# switched on today, does not flood people with the office's history.
REMINDER_RULE_LOOKBACK_DAYS = env.int("REMINDER_RULE_LOOKBACK_DAYS", default=365)
# A rule's follow-up is due at this hour in the assignee's own time zone ("due tomorrow at 9").
REMINDER_DUE_HOUR = env.int("REMINDER_DUE_HOUR", default=9)
# Still open this many days after it was due: a second reminder; later still: staff are told.
REMINDER_OVERDUE_DAYS = env.int("REMINDER_OVERDUE_DAYS", default=3)
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=7)
# Staff who get the follow-ups and escalations that have no staff owner of their own (a username;
# empty: the first active staff member).
REMINDER_DEFAULT_STAFF_USERNAME = env("REMINDER_DEFAULT_STAFF_USERNAME", default="")
# The weekly digest goes out on this weekday (0 = Monday; empty: no digest) after this hour, in
# each user's zone.
REMINDER_DIGEST_WEEKDAY = (
    env("REMINDER_DIGEST_WEEKDAY", cast=int, default=0)
    if env("REMINDER_DIGEST_WEEKDAY", default="0")
    else None
)
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", default=8)

# How the sweep runs (matching/services/reminders.py). Beat starts it every interval.
REMINDER_SWEEP_INTERVAL_SECONDS = env.float("REMINDER_SWEEP_INTERVAL_SECONDS", default=60)
# Rows one sweep step reads, writes or hands to tasks: bounded, so one sweep is short and its
# locks brief. A full batch starts the next sweep at once rather than waiting for beat.
REMINDER_SWEEP_BATCH_SIZE = env.int("REMINDER_SWEEP_BATCH_SIZE", default=500)
# A claimed row (status "sending") whose worker has not finished within the lease is released and
# sent again: late rather than never. Longer than a send can take (REMINDER_SEND_TIME_LIMIT), so a
# live worker is never overtaken; `manage.py check` says so when it is not.
REMINDER_CLAIM_LEASE_SECONDS = env.float("REMINDER_CLAIM_LEASE_SECONDS", default=5 * 60)
# A pending row handed to a task this long ago and still pending lost its message (broker restart,
# worker killed before it claimed): the sweep hands it out again. The claim makes a second copy
# of a message harmless.
REMINDER_REQUEUE_AFTER_SECONDS = env.float("REMINDER_REQUEUE_AFTER_SECONDS", default=5 * 60)
# Hard limit of one send (render, SMTP, commit); EMAIL_TIMEOUT bounds each SMTP read and write.
REMINDER_SEND_TIME_LIMIT = env.float("REMINDER_SEND_TIME_LIMIT", default=60)
# SMTP failures that may pass (4xx, connection refused, timeouts) are retried with exponential
# backoff and jitter: base × 2^(attempt-1), at most the cap, for at most this many attempts, then
# the reminder is marked failed and shown to staff, who may send it again. 5xx fails at once.
REMINDER_RETRY_BASE_SECONDS = env.float("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_MAX_SECONDS = env.float("REMINDER_RETRY_MAX_SECONDS", default=30 * 60)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=12)

# --- Celery ----------------------------------------------------------------------------------
# Redis re-delivers a message nobody acknowledged within the visibility timeout. It must be above
# the longest countdown we schedule (an SMTP retry, at most REMINDER_RETRY_MAX_SECONDS) and the
# longest task, or Redis would hand a waiting message to a second worker (`manage.py check`).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    # No server on a laptop: kombu's filesystem transport keeps messages as files under var/.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True  # the database records what a task did
# JSON only: a message can never make a worker unpickle code.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
# One message at a time per process: a killed worker strands little, and long tasks do not hold
# messages that an idle worker could run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a broker restart is waited out, never fatal
# When the broker connection drops, let running tasks finish: a send killed between the SMTP
# server's "250 OK" and the "sent" commit is the one way a reminder goes out twice, while a task
# that runs again after reconnecting finds its row claimed or sent and does nothing.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# acks_late is set on the reminder tasks themselves (matching/tasks.py): they are idempotent.
# A task whose process was killed is still acknowledged (task_reject_on_worker_lost stays off):
# re-running it would find the row claimed anyway; the claim lease, not the queue, brings the
# reminder back, and a task that kills its process cannot loop.
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-sweep": {
        "task": "matching.tasks.reminders_sweep",
        "schedule": REMINDER_SWEEP_INTERVAL_SECONDS,
        # A sweep that waited longer than an interval is dropped: the next one does its work.
        "options": {"expires": REMINDER_SWEEP_INTERVAL_SECONDS},
    },
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- The programme's own rules ---------------------------------------------------------------
# Korean provinces pay part of a sample's courier fee up to a yearly cap per company
# (research/domain.md §3.5: KRW 2,000,000 a year in Jeonnam's small-export programme).
SAMPLE_SUPPORT_YEARLY_CAP_KRW = env.int("SAMPLE_SUPPORT_YEARLY_CAP_KRW", default=2_000_000)
