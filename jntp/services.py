"""Writes shared by every app."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

STALE = "stale"


def stale_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else saved this record after you opened the form, so your changes were not saved. "
            "Reload the page to see the current version, then make your changes again."
        ),
        code=STALE,
    )


@transaction.atomic
def model_update(instance: models.Model, *, data: dict, expected_version: int, by) -> models.Model:
    """Apply form data to a versioned row, unless someone saved it since the form was shown.

    The version is claimed with a conditional UPDATE before anything is written, so of two people
    saving the same form at once exactly one wins; the other gets a clear message, not a silent
    overwrite. A validation error rolls the claim back with everything else."""
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if claimed != 1:
        raise stale_error()
    for field, value in data.items():
        setattr(instance, field, value)
    instance.version = expected_version + 1
    instance.full_clean()
    instance._history_user = by
    instance.save()
    return instance


@transaction.atomic
def model_create(model: type[models.Model], *, data: dict, by) -> models.Model:
    instance = model(**data)
    instance.full_clean()
    instance._history_user = by
    instance.save()
    return instance
