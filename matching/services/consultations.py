from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Consultation


@transaction.atomic
def consultation_create(*, match, starts_at: datetime, mode: str, created_by=None, **fields) -> Consultation:
    """Schedule a consultation, or record one that was held (then with its result)."""
    consultation = Consultation(match=match, starts_at=starts_at, mode=mode, created_by=created_by, **fields)
    if consultation.status == Consultation.Status.HELD:
        if starts_at > timezone.now():
            raise ValidationError({"status": _("A consultation in the future cannot be marked as held.")})
        consultation.result_logged_at = timezone.now()
        consultation.result_logged_by = created_by
    consultation.full_clean()
    consultation._history_user = created_by
    consultation.save()
    return consultation


@transaction.atomic
def consultation_log_result(
    *,
    consultation: Consultation,
    by,
    consulted_amount_usd: Decimal | None,
    expected_contract_usd: Decimal | None,
    interest_level: str,
    summary: str = "",
    next_step: str = "",
    follow_up_on: date | None = None,
    at: datetime | None = None,
) -> Consultation:
    """Record what was said and agreed. A cancelled consultation has no result."""
    at = at or timezone.now()
    if consultation.status == Consultation.Status.CANCELLED:
        raise ValidationError(
            _("This consultation was cancelled; it has no result to log."), code="cancelled"
        )
    if consultation.starts_at > at:
        raise ValidationError(_("This consultation has not happened yet."), code="future")
    consultation.status = Consultation.Status.HELD
    consultation.consulted_amount_usd = consulted_amount_usd
    consultation.expected_contract_usd = expected_contract_usd
    consultation.interest_level = interest_level
    consultation.summary = summary
    consultation.next_step = next_step
    consultation.follow_up_on = follow_up_on
    consultation.result_logged_at = at
    consultation.result_logged_by = by
    consultation.version = F("version") + 1
    consultation.full_clean(exclude=["version"])
    consultation._history_user = by
    consultation.save()
    consultation.refresh_from_db()
    return consultation


@transaction.atomic
def consultation_cancel(*, consultation: Consultation, by) -> Consultation:
    updated = Consultation.objects.filter(pk=consultation.pk, status=Consultation.Status.SCHEDULED).update(
        status=Consultation.Status.CANCELLED, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError(_("Only a scheduled consultation can be cancelled."), code="invalid_transition")
    consultation.refresh_from_db()
    consultation._history_user = by
    consultation.save(update_fields=["updated_at"])
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, data: dict, expected_version: int, by) -> Consultation:
    """Save an edited consultation. Marking it held logs who entered the result and when."""
    from jntp.services import model_update

    now = timezone.now()
    if data.get("status") == Consultation.Status.HELD:
        if data.get("starts_at", consultation.starts_at) > now:
            raise ValidationError({"status": _("A consultation in the future cannot be marked as held.")})
        if consultation.result_logged_at is None:
            data = {**data, "result_logged_at": now, "result_logged_by": by}
    return model_update(consultation, data=data, expected_version=expected_version, by=by)
