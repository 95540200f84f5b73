"""Companies with their products and target markets, written together or not at all."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jntp.services import model_create, model_update
from matching.models import Company, CompanyTargetCountry, Product, ShipmentItem

PRODUCT_FIELDS = ("name_ko", "name_en", "hs_code", "unit_price_usd")


@transaction.atomic
def company_create(*, data: dict, products: list[dict], target_countries: list[str], by) -> Company:
    """Register a company with its products ({name_ko, name_en, hs_code, unit_price_usd}) and the
    countries it wants to sell in."""
    company = model_create(Company, data=data, by=by)
    _set_products(company, products, by=by)
    _set_target_countries(company, target_countries, by=by)
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    data: dict,
    products: list[dict],
    target_countries: list[str],
    expected_version: int,
    by,
) -> Company:
    """Save an edited company. `products` is the whole list after the edit: a row with a `pk` updates
    that product, a row without one adds a product, and a product left out is removed (unless it
    went out as a sample). The company's version guards the whole edit, products included."""
    company = model_update(company, data=data, expected_version=expected_version, by=by)
    _set_products(company, products, by=by)
    _set_target_countries(company, target_countries, by=by)
    return company


def _set_products(company: Company, rows: list[dict], *, by) -> None:
    existing = {product.pk: product for product in company.products.all()}
    kept = set()
    for row in rows:
        pk = row.get("pk")
        if pk is not None:
            if pk not in existing:
                raise ValidationError(
                    {"products": _("One of the products belongs to another company.")}, code="foreign"
                )
            product = existing[pk]
            kept.add(pk)
            changed = {f: row.get(f) for f in PRODUCT_FIELDS if getattr(product, f) != row.get(f)}
            if not changed:
                continue
            for field, value in changed.items():
                setattr(product, field, value)
            product.version += 1
        else:
            product = Product(company=company, **{f: row.get(f) for f in PRODUCT_FIELDS})
            if product.name_en is None:
                product.name_en = ""
        product.full_clean()
        product._history_user = by
        product.save()

    removed = [product for pk, product in existing.items() if pk not in kept]
    in_use = set(ShipmentItem.objects.filter(product__in=removed).values_list("product", flat=True))
    shipped = sorted(str(product) for product in removed if product.pk in in_use)
    if shipped:
        raise ValidationError(
            {
                "products": _("%(products)s went out as samples, so they stay on the list.")
                % {"products": ", ".join(shipped)}
            },
            code="shipped",
        )
    for product in removed:
        product._history_user = by
        product.delete()


def _set_target_countries(company: Company, countries: list[str], *, by) -> None:
    current = {target.country: target for target in company.target_countries.all()}
    wanted = set(countries)
    for country in sorted(wanted - set(current)):
        target = CompanyTargetCountry(company=company, country=country)
        target.full_clean()
        target._history_user = by
        target.save()
    for country in sorted(set(current) - wanted):
        target = current[country]
        target._history_user = by
        target.delete()
