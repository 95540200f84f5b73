from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Buyer, BuyerInterest, BuyerStatusChange, Center
from jntp.services import model_create, model_update

# What a buyer form may write. The pipeline status moves only through buyer_change_status, which
# keeps every move; the center is passed on its own (a center manager's is forced to theirs).
BUYER_FIELDS = frozenset(
    {
        "name",
        "country",
        "city",
        "business_type",
        "contact_name",
        "email",
        "phone",
        "website",
        "annual_import_usd",
        "notes",
    }
)


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
    message = _(
        "Someone else changed this buyer's status to “%(status)s” in the meantime. Check it and try again."
    )
    return ValidationError(message % {"status": buyer.get_status_display()}, code="stale")


def _record_history(instance, user) -> None:
    """A conditional UPDATE bypasses save(); write the audit-history row ourselves."""
    instance._history_user = user
    instance.save(update_fields=["updated_at"])


# --- Centers -----------------------------------------------------------------------------------------
def center_create(*, data: dict, by) -> Center:
    return model_create(Center, data=data, by=by)


def center_update(*, center: Center, data: dict, expected_version: int, by) -> Center:
    return model_update(center, data=data, expected_version=expected_version, by=by)


# --- Buyers ------------------------------------------------------------------------------------------
def _buyer_data(data: dict) -> dict:
    unknown = set(data) - BUYER_FIELDS
    if unknown:
        raise ValueError(f"buyer fields a form may not write: {sorted(unknown)}")
    return data


@transaction.atomic
def buyer_create(*, center: Center, data: dict, hs_codes: list[str], by) -> Buyer:
    """Register a buyer of a center with the HS codes it imports; all or nothing."""
    buyer = model_create(Buyer, data={**_buyer_data(data), "center": center}, by=by)
    _set_interests(buyer, hs_codes, by=by)
    return buyer


@transaction.atomic
def buyer_update(
    *, buyer: Buyer, data: dict, hs_codes: list[str], expected_version: int, by, center: Center | None = None
) -> Buyer:
    """Save an edited buyer and its HS codes, unless someone saved it (or moved its status) since the
    form was shown. `center` moves the buyer to another center (staff only, decided by the view)."""
    data = _buyer_data(data)
    if center is not None:
        data = {**data, "center": center}
    buyer = model_update(buyer, data=data, expected_version=expected_version, by=by)
    _set_interests(buyer, hs_codes, by=by)
    return buyer


def _set_interests(buyer: Buyer, hs_codes: list[str], *, by) -> None:
    """Make the buyer's HS codes exactly `hs_codes`, keeping the notes of the codes that stay."""
    wanted = set(hs_codes)
    current = {interest.hs_code: interest for interest in buyer.interests.all()}
    for code in sorted(wanted - set(current)):
        interest = BuyerInterest(buyer=buyer, hs_code=code)
        interest.full_clean()
        interest._history_user = by
        interest.save()
    for code in sorted(set(current) - wanted):
        interest = current[code]
        interest._history_user = by
        interest.delete()
