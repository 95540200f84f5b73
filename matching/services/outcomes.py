from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching.models import ExchangeRate, Outcome

CENT = Decimal("0.01")


def exchange_rate_for(currency: str, day: date) -> Decimal:
    """Units of `currency` per USD in the month of `day`, as stored by staff."""
    if currency == "USD":
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=currency, month=ExchangeRate.month_of(day))
        .values_list("units_per_usd", flat=True)
        .first()
    )
    if rate is None:
        raise ValidationError(
            {
                "currency": _(
                    "No USD rate is stored for %(currency)s in %(month)s. Add it under exchange rates first."
                )
                % {"currency": currency, "month": day.strftime("%Y-%m")}
            },
            code="no_rate",
        )
    return rate


def to_usd(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def outcome_create(
    *,
    match,
    kind: str,
    signed_on: date,
    amount: Decimal | None = None,
    currency: str = "USD",
    event=None,
    consultation=None,
    title: str = "",
    notes: str = "",
    created_by=None,
) -> Outcome:
    outcome = Outcome(
        match=match,
        kind=kind,
        signed_on=signed_on,
        amount=amount,
        currency=currency,
        event=event,
        consultation=consultation,
        title=title,
        notes=notes,
        created_by=created_by,
    )
    if consultation is not None and consultation.match_id != match.pk:
        raise ValidationError({"consultation": _("This consultation belongs to another match.")})
    if amount is not None:
        outcome.usd_rate = exchange_rate_for(currency, signed_on)
        outcome.amount_usd = to_usd(amount, outcome.usd_rate)
    outcome.full_clean()
    outcome._history_user = created_by
    outcome.save()
    return outcome


OUTCOME_EDITABLE = frozenset(
    {"match", "kind", "signed_on", "amount", "currency", "event", "consultation", "title", "notes"}
)


@transaction.atomic
def outcome_update(*, outcome: Outcome, data: dict, expected_version: int, by) -> Outcome:
    """Save an edited outcome and count it in USD again, at the stored rate of the (possibly new)
    month of signing; a missing rate is refused next to the currency."""
    from jntp.services import model_update

    unknown = set(data) - OUTCOME_EDITABLE
    if unknown:
        raise ValueError(f"outcome fields a form may not write: {sorted(unknown)}")
    match = data.get("match", outcome.match)
    consultation = data.get("consultation", outcome.consultation)
    if consultation is not None and consultation.match_id != match.pk:
        raise ValidationError({"consultation": _("This consultation belongs to another match.")})
    amount = data.get("amount", outcome.amount)
    currency = data.get("currency", outcome.currency)
    signed_on = data.get("signed_on", outcome.signed_on)
    if amount is None:
        data = {**data, "usd_rate": None, "amount_usd": None}
    else:
        rate = exchange_rate_for(currency, signed_on)
        data = {**data, "usd_rate": rate, "amount_usd": to_usd(amount, rate)}
    return model_update(outcome, data=data, expected_version=expected_version, by=by)
