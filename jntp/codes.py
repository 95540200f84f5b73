"""ISO 3166 countries, ISO 4217 currencies and IANA time zones, with names in the user's language.

pycountry ships the ISO lists and their translations (gettext catalogues), so the names follow the
active Django language without us keeping a list of our own."""

import gettext
from functools import cache
from zoneinfo import available_timezones

import pycountry
from django.utils.translation import get_language


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language() -> str:
    return (get_language() or "ko").split("-")[0]


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code
    # "Taiwan" rather than ISO's "Taiwan, Province of China"; likewise Korea, Vietnam, ...
    name = getattr(country, "common_name", None) or country.name
    translated = _catalogue("iso3166-1", _language()).gettext(name)
    if translated == name and name != country.name:
        translated = _catalogue("iso3166-1", _language()).gettext(country.name)
    return translated


def currency_name(code: str) -> str:
    currency = pycountry.currencies.get(alpha_3=(code or "").upper())
    if currency is None:
        return code
    return _catalogue("iso4217", _language()).gettext(currency.name)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for a form field, sorted by name in the active language."""
    return sorted(((c, country_name(c)) for c in country_codes()), key=lambda pair: pair[1])


def currency_choices() -> list[tuple[str, str]]:
    return sorted((c, f"{c} · {currency_name(c)}") for c in currency_codes())


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names()) if "/" in name]


def country_code_from(value: str) -> str | None:
    """ "JP", "Japan" or "일본" → "JP"; None if it names no country."""
    text = (value or "").strip()
    if text.upper() in country_codes():
        return text.upper()
    wanted = "".join(text.lower().split())
    for code in country_codes():
        country = pycountry.countries.get(alpha_2=code)
        names = {
            country.name,
            getattr(country, "common_name", country.name),
            getattr(country, "official_name", ""),
        }
        names |= {_catalogue("iso3166-1", "ko").gettext(name) for name in list(names) if name}
        if wanted in {"".join(name.lower().split()) for name in names if name}:
            return code
    return None
