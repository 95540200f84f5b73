"""Where a follow-up and the record it is about live in the web app: one place builds every link.

E-mails are rendered in a worker, with no request to build an address from, so links are
settings.SITE_URL plus a path. The staff web app serves these exact paths."""

from django.conf import settings

RECORD_PATHS = {
    "consultation": "/consultations/{pk}/",
    "shipment": "/shipments/{pk}/",
    "outcome": "/outcomes/{pk}/",
    "buyer": "/buyers/{pk}/",
    "match": "/matches/{pk}/",
}


def follow_up_path(follow_up) -> str:
    return f"/follow-ups/{follow_up.pk}/"


def record_path(follow_up) -> str:
    """The page of the record the follow-up is about (the most specific one), else its own page."""
    for name, path in RECORD_PATHS.items():
        pk = getattr(follow_up, f"{name}_id")
        if pk:
            return path.format(pk=pk)
    return follow_up_path(follow_up)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def follow_up_url(follow_up) -> str:
    """The link a reminder carries: straight to the record the follow-up is about."""
    return absolute(record_path(follow_up))
