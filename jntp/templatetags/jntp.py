from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

from jntp import codes
from jntp.validators import format_hs_code

register = template.Library()


@register.filter
def in_zone(value, zone: str):
    """A datetime in another zone, e.g. a consultation in the center's local time."""
    if not value:
        return value
    return timezone.localtime(value, ZoneInfo(zone))


@register.filter
def hs(code: str) -> str:
    return format_hs_code(code)


@register.filter
def country(code: str) -> str:
    return codes.country_name(code)


@register.filter
def usd(amount) -> str:
    if amount in (None, ""):
        return "–"
    return f"${intcomma(int(Decimal(amount).quantize(Decimal(1))))}"


@register.filter
def money(amount, currency: str = "") -> str:
    if amount in (None, ""):
        return "–"
    value = Decimal(amount)
    text = intcomma(int(value)) if value == value.to_integral_value() else intcomma(f"{value:.2f}")
    return f"{text} {currency}".strip()


@register.inclusion_tag("includes/_sort_th.html", takes_context=True)
def sort_th(context, key: str, label: str, css: str = ""):
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    next_sort = key if active and descending else f"-{key}" if active else key
    return {
        "request": context["request"],
        "label": label,
        "next_sort": next_sort,
        "active": active,
        "descending": descending,
        "css": css,
    }


@register.simple_tag(takes_context=True)
def nav_active(context, *prefixes: str) -> str:
    """ "active" when the current view's name starts with one of the prefixes (e.g. "matching:company_")."""
    match = getattr(context.get("request"), "resolver_match", None)
    view_name = match.view_name if match else ""
    return "active" if any(view_name.startswith(prefix) for prefix in prefixes) else ""
