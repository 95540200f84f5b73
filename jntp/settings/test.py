"""pytest. PostgreSQL when DATABASE_URL is set (always in CI), otherwise an SQLite file."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database, env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}"))
}
# Hashing is not what these tests test; Argon2 is checked in tests/users/test_security.py.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests never reach a broker; tests/integration starts real workers with their own settings.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
