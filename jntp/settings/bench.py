"""`make bench`: production-like settings on a local PostgreSQL with the national dataset.

DEBUG is off (DEBUG keeps every query in memory and slows every request), connections persist as
in production, and the in-process test client needs "testserver" among the hosts."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-not-secret")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": database(env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/jntp_bench")),
}
DATABASES["default"]["CONN_MAX_AGE"] = 600
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # force_login; nothing is hashed
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
# seed_scale may run here without --force: this database exists for synthetic data.
SYNTHETIC_DATA_ALLOWED = True
BENCH_RESULTS_DIR = BASE_DIR / "bench" / "results"
