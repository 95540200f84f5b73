"""Validators for the codes JNTP's records carry. Each one names the problem in words a user can act on."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jntp import codes

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_business_registration_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_business_registration_number(value: str) -> None:
    """Korean business registration number (사업자등록번호): 10 digits, the last a check digit.

    The check: weigh the first nine digits by 1,3,7,1,3,7,1,3,5, add the tens of 5 × the ninth
    digit, and the tenth digit must bring the sum to a multiple of ten.
    """
    digits = normalize_business_registration_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            _("A business registration number has 10 digits, like 124-81-00998."), code="brn_format"
        )
    numbers = [int(d) for d in digits]
    total = sum(n * w for n, w in zip(numbers, BRN_WEIGHTS, strict=False)) + numbers[8] * 5 // 10
    if (10 - total % 10) % 10 != numbers[9]:
        raise ValidationError(
            _("%(value)s is not a valid business registration number: its check digit does not match."),
            code="brn_check_digit",
            params={"value": value},
        )


def normalize_hs_code(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_hs_code(value: str) -> None:
    """A 6-digit HS subheading (chapter 01–97, chapter 77 is reserved; heading 00 does not exist)."""
    code = normalize_hs_code(value)
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError(_("An HS code has 6 digits, like 2008.99 (seasoned laver)."), code="hs_format")
    chapter = int(code[:2])
    if not 1 <= chapter <= 97 or chapter == 77:
        raise ValidationError(
            _("%(value)s is not an HS code: chapter %(chapter)s does not exist."),
            code="hs_chapter",
            params={"value": value, "chapter": code[:2]},
        )
    if code[2:4] == "00":
        raise ValidationError(
            _("%(value)s is not an HS code: heading %(heading)s does not exist."),
            code="hs_heading",
            params={"value": value, "heading": code[:4]},
        )


def format_hs_code(code: str) -> str:
    """'200899' → '2008.99', the way customs forms print it."""
    return f"{code[:4]}.{code[4:]}" if code and len(code) == 6 else code


def validate_country_code(value: str) -> None:
    if value not in codes.country_codes():
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 country code (two capital letters, like JP or AE)."),
            code="country",
            params={"value": value},
        )


def validate_currency_code(value: str) -> None:
    if value not in codes.currency_codes():
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (three capital letters, like USD or JPY)."),
            code="currency",
            params={"value": value},
        )


def validate_time_zone(value: str) -> None:
    if value not in codes.time_zone_names():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (like Asia/Seoul or America/New_York)."),
            code="time_zone",
            params={"value": value},
        )
