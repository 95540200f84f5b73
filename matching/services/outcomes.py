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
    outcome.save()
    return outcome
