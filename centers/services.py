from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Buyer, BuyerStatusChange


@transaction.atomic
def buyer_change_status(
    *, buyer_id: int, to_status: str, expected_status: str, by, note: str = "", at: datetime | None = None
) -> Buyer:
    """Move a buyer along the pipeline and keep the move in its history.

    `expected_status` is the status the user saw. The UPDATE only applies if the row still has it, so
    of two people moving the same buyer at once, the second is told instead of silently overwriting.
    """
    at = at or timezone.now()
    buyer = Buyer.objects.get(pk=buyer_id)
    if buyer.status != expected_status:
        raise _stale(buyer)
    if not buyer.can_move_to(to_status):
        raise ValidationError(
            _("A buyer cannot move from “%(from)s” to “%(to)s”.")
            % {"from": buyer.get_status_display(), "to": Buyer.Status(to_status).label},
            code="invalid_transition",
        )
    updated = Buyer.objects.filter(pk=buyer_id, status=expected_status).update(
        status=to_status, status_changed_at=at, version=F("version") + 1, updated_at=at
    )
    if updated != 1:
        buyer.refresh_from_db()
        raise _stale(buyer)
    BuyerStatusChange.objects.create(
        buyer_id=buyer_id,
        from_status=expected_status,
        to_status=to_status,
        note=note,
        changed_by=by,
        changed_at=at,
    )
    buyer.refresh_from_db()
    _record_history(buyer, by)
    return buyer


def _stale(buyer: Buyer) -> ValidationError:
    return ValidationError(
        _("Someone else changed this buyer's status to “%(status)s” in the meantime. Check it and try again.")
        % {"status": buyer.get_status_display()},
        code="stale",
    )


def _stale(buyer: Buyer) -> ValidationError:
    message = _(
        "Someone else changed this buyer's status to “%(status)s” in the meantime. Check it and try again."
    )
    return ValidationError(message % {"status": buyer.get_status_display()}, code="stale")


def _record_history(instance, user) -> None:
    """A conditional UPDATE bypasses save(); write the audit-history row ourselves."""
    instance._history_user = user
    instance.save(update_fields=["updated_at"])
