"""The sample-shipment workflow.

requested → approved | rejected; approved → shipped → delivered → feedback received; requested or
approved → cancelled. Each step checks the current state in the same UPDATE that changes it, so a
step taken twice or out of order changes nothing and is refused with a message, and each step is
kept with who took it and when.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jntp.uploads import CleanFile
from matching.couriers import check_tracking_number
from matching.models import Company, SampleShipment, ShipmentDocument, ShipmentItem, ShipmentStatusChange

Status = SampleShipment.Status

STAFF, COMPANY, CENTER = "staff", "company", "center"


def _check_actor(user, shipment: SampleShipment, allowed: set[str], action: str) -> None:
    """Who may take each step: staff always; the requesting company or the destination center if allowed."""
    role = getattr(user, "role", None)
    if role == STAFF:
        return
    if role == COMPANY and COMPANY in allowed and user.company_id == shipment.company_id:
        return
    if role == CENTER and CENTER in allowed and user.center_id == shipment.center_id:
        return
    raise PermissionDenied(_("You may not %(action)s this shipment.") % {"action": action})


# Who besides staff may take each step (DESIGN.md "States").
STEP_ACTORS = {
    "approve": set(),
    "reject": set(),
    "ship": {COMPANY},
    "deliver": {CENTER},
    "feedback": {CENTER},
    "cancel": {COMPANY},
    "documents": {COMPANY},
}


def shipment_may(user, shipment: SampleShipment, step: str) -> bool:
    try:
        _check_actor(user, shipment, STEP_ACTORS[step], step)
    except PermissionDenied:
        return False
    return True


def _transition(
    shipment: SampleShipment, *, to: str, by, at: datetime, note: str = "", **fields
) -> SampleShipment:
    current = shipment.status
    if not shipment.can_move_to(to):
        raise ValidationError(
            _("This shipment is “%(status)s”; it cannot become “%(to)s”.")
            % {"status": shipment.get_status_display(), "to": Status(to).label},
            code="invalid_transition",
        )
    updated = SampleShipment.objects.filter(pk=shipment.pk, status=current).update(
        status=to, version=F("version") + 1, updated_at=at, **fields
    )
    if updated != 1:
        shipment.refresh_from_db()
        raise ValidationError(
            _("Someone else moved this shipment to “%(status)s” in the meantime; nothing was changed.")
            % {"status": shipment.get_status_display()},
            code="stale",
        )
    ShipmentStatusChange.objects.create(
        shipment=shipment, from_status=current, to_status=to, note=note, changed_by=by, changed_at=at
    )
    shipment.refresh_from_db()
    shipment._history_user = by
    shipment.save(update_fields=["updated_at"])  # one audit-history row per step
    return shipment


def support_used_krw(company_id: int, year: int) -> Decimal:
    total = (
        SampleShipment.objects.filter(company_id=company_id, approved_at__year=year)
        .exclude(status=Status.CANCELLED)
        .aggregate(total=Sum("cost_support_krw"))["total"]
    )
    return total or Decimal(0)


def support_left_krw(company_id: int, year: int) -> Decimal:
    return max(
        Decimal(settings.SAMPLE_SUPPORT_YEARLY_CAP_KRW) - support_used_krw(company_id, year), Decimal(0)
    )


def _attach(shipment: SampleShipment, documents: list[tuple[str, CleanFile]], by) -> list[ShipmentDocument]:
    """Store documents under generated names; if anything fails, remove the files already written so
    that a refused or rolled-back request leaves no file behind."""
    saved: list[ShipmentDocument] = []
    try:
        for kind, clean in documents:
            document = ShipmentDocument(
                shipment=shipment,
                kind=kind,
                original_name=clean.name,
                content_type=clean.content_type,
                size=len(clean.content),
                uploaded_by=by,
            )
            document.file.save(f"document.{clean.extension}", ContentFile(clean.content), save=False)
            saved.append(document)
            document.full_clean()
            document._history_user = by
            document.save()
    except Exception:
        for document in saved:
            document.file.delete(save=False)
        raise
    return saved


@transaction.atomic
def shipment_add_documents(*, shipment: SampleShipment, documents: list[tuple[str, CleanFile]], by):
    """Add an invoice or photos to a request that has not been shipped yet."""
    _check_actor(by, shipment, {COMPANY}, _("add documents to"))
    if shipment.status not in (Status.REQUESTED, Status.APPROVED):
        raise ValidationError(_("Documents can be added until the samples are shipped."), code="too_late")
    return _attach(shipment, documents, by)


@transaction.atomic
def shipment_request(
    *,
    company,
    center,
    purpose: str,
    items: list[dict],
    requested_by,
    idempotency_key: uuid.UUID,
    match=None,
    consultation=None,
    documents: list[tuple[str, CleanFile]] = (),
    at: datetime | None = None,
) -> SampleShipment:
    """File a sample request. The same idempotency key (a double click, a resent form) returns the
    shipment the first submission created."""
    role = getattr(requested_by, "role", None)
    if role != STAFF and not (role == COMPANY and requested_by.company_id == company.pk):
        raise PermissionDenied(
            _("Only the company itself, or JNTP staff on its behalf, may request samples.")
        )
    existing = SampleShipment.objects.filter(company=company, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    errors = {}
    if match is not None and match.company_id != company.pk:
        errors["match"] = _("This buyer is not matched with your company.")
    elif match is not None and match.buyer.center_id != center.pk:
        errors["center"] = _("This buyer belongs to another center.")
    if consultation is not None and (match is None or consultation.match_id != match.pk):
        errors["consultation"] = _("This consultation belongs to another match.")
    if not items:
        errors["items"] = _("Add at least one product to send.")
    for item in items:
        if item["product"].company_id != company.pk:
            errors["items"] = _("Only your own products can be sent as samples.")
    if errors:
        raise ValidationError(errors)

    shipment = SampleShipment(
        company=company,
        center=center,
        match=match,
        consultation=consultation,
        purpose=purpose,
        requested_by=requested_by,
        idempotency_key=idempotency_key,
        created_at=at,
    )
    shipment.full_clean()
    try:
        with transaction.atomic():
            shipment._history_user = requested_by
            shipment.save()
    except IntegrityError:
        # The same request won a race with this one: hand back what it created.
        return SampleShipment.objects.get(company=company, idempotency_key=idempotency_key)
    for item in items:
        line = ShipmentItem(shipment=shipment, **item)
        line.full_clean()
        line.save()
    ShipmentStatusChange.objects.create(
        shipment=shipment, from_status="", to_status=Status.REQUESTED, changed_by=requested_by, changed_at=at
    )
    _attach(shipment, list(documents), requested_by)
    return shipment


@transaction.atomic
def shipment_approve(
    *,
    shipment: SampleShipment,
    by,
    cost_support_krw: Decimal = Decimal(0),
    note: str = "",
    at: datetime | None = None,
) -> SampleShipment:
    _check_actor(by, shipment, set(), _("approve"))
    at = at or timezone.now()
    if cost_support_krw < 0:
        raise ValidationError({"cost_support_krw": _("Cost support cannot be negative.")})
    # Lock the company so two approvals at once cannot both spend the last of its yearly cap.
    Company.objects.select_for_update().filter(pk=shipment.company_id).first()
    left = support_left_krw(shipment.company_id, at.year)
    if cost_support_krw > left:
        raise ValidationError(
            {
                "cost_support_krw": _(
                    "Only KRW %(left)s of this year's cost support is left for this company."
                )
                % {"left": f"{left:,.0f}"}
            },
            code="over_cap",
        )
    return _transition(
        shipment,
        to=Status.APPROVED,
        by=by,
        at=at,
        note=note,
        approved_at=at,
        cost_support_krw=cost_support_krw,
    )


@transaction.atomic
def shipment_reject(
    *, shipment: SampleShipment, by, reason: str, at: datetime | None = None
) -> SampleShipment:
    _check_actor(by, shipment, set(), _("reject"))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the company why the request is rejected.")})
    return _transition(
        shipment,
        to=Status.REJECTED,
        by=by,
        at=at or timezone.now(),
        note=reason,
        rejection_reason=reason.strip(),
    )


@transaction.atomic
def shipment_ship(
    *, shipment: SampleShipment, by, courier: str, tracking_number: str, at: datetime | None = None
) -> SampleShipment:
    _check_actor(by, shipment, {COMPANY}, _("mark as shipped"))
    try:
        checked = check_tracking_number(courier, tracking_number)
    except ValidationError as error:
        raise ValidationError({"tracking_number": error.messages}) from error
    at = at or timezone.now()
    return _transition(
        shipment,
        to=Status.SHIPPED,
        by=by,
        at=at,
        note=" ".join(checked.warnings),
        courier=courier,
        tracking_number=checked.number,
        shipped_at=at,
    )


@transaction.atomic
def shipment_deliver(
    *, shipment: SampleShipment, by, note: str = "", at: datetime | None = None
) -> SampleShipment:
    _check_actor(by, shipment, {CENTER}, _("confirm delivery of"))
    at = at or timezone.now()
    return _transition(shipment, to=Status.DELIVERED, by=by, at=at, note=note, delivered_at=at)


@transaction.atomic
def shipment_record_feedback(
    *,
    shipment: SampleShipment,
    by,
    rating: int,
    comment: str = "",
    order_interest: str = "",
    next_step: str = "",
    at: datetime | None = None,
) -> SampleShipment:
    _check_actor(by, shipment, {CENTER}, _("record feedback on"))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("A rating is from 1 to 5.")})
    if order_interest and order_interest not in SampleShipment.OrderInterest.values:
        raise ValidationError({"order_interest": _("Choose one of the listed answers.")})
    at = at or timezone.now()
    return _transition(
        shipment,
        to=Status.FEEDBACK_RECEIVED,
        by=by,
        at=at,
        feedback_at=at,
        feedback_rating=rating,
        feedback_comment=comment,
        feedback_order_interest=order_interest,
        feedback_next_step=next_step,
    )


@transaction.atomic
def shipment_cancel(
    *, shipment: SampleShipment, by, reason: str = "", at: datetime | None = None
) -> SampleShipment:
    _check_actor(by, shipment, {COMPANY}, _("cancel"))
    return _transition(shipment, to=Status.CANCELLED, by=by, at=at or timezone.now(), note=reason)
