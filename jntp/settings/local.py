"""A laptop: SQLite under var/, the filesystem broker, e-mail written to var/mail."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-6b0d1c0e8f6b4f0e9f7a")
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The SQLite file, the broker's queue and the mail folder live here; create them on first use.
for folder in (
    VAR_DIR / "broker" / "queue",
    VAR_DIR / "broker" / "processed",
    VAR_DIR / "broker" / "control",
    VAR_DIR / "mail",
):
    folder.mkdir(parents=True, exist_ok=True)
