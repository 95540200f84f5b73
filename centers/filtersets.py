from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Buyer, BuyerInterest, Center
from jntp import codes
from jntp.filters import ActiveYearFilter, BaseFilterSet, yes_no
from jntp.validators import normalize_hs_code


def _visible_centers(request):
    """The center select's choices, with only what their labels show."""
    return Center.objects.visible_to(getattr(request, "user", None)).only("code", "name_ko", "name_en")


class CenterFilterSet(BaseFilterSet):
    search_fields = ("code", "name_ko", "name_en", "city", "operating_partner", "head_name")

    country = django_filters.ChoiceFilter(choices=codes.country_choices, label=_("Country"))
    currency = django_filters.CharFilter(label=_("Currency"), method="filter_currency")
    is_active = yes_no(_("Active"))
    active_year = ActiveYearFilter(through="buyer__center_id")

    class Meta:
        model = Center
        fields = ()

    def filter_currency(self, queryset, name, value):
        return queryset.filter(currency=value.strip().upper())


class BuyerFilterSet(BaseFilterSet):
    search_fields = ("name", "city", "contact_name", "email", "notes")
    # A company user searches only what it may read of a buyer.
    company_search_fields = ("name", "city")

    center = django_filters.ModelChoiceFilter(queryset=_visible_centers, label=_("Center"))
    country = django_filters.ChoiceFilter(choices=codes.country_choices, label=_("Country"))
    business_type = django_filters.ChoiceFilter(choices=Buyer.BusinessType.choices, label=_("Business type"))
    status = django_filters.ChoiceFilter(choices=Buyer.Status.choices, label=_("Pipeline status"))
    hs = django_filters.CharFilter(label=_("HS code interest"), method="filter_hs")
    import_min = django_filters.NumberFilter(
        field_name="annual_import_usd", lookup_expr="gte", label=_("Yearly imports ≥ (USD)")
    )
    import_max = django_filters.NumberFilter(
        field_name="annual_import_usd", lookup_expr="lte", label=_("Yearly imports ≤ (USD)")
    )
    unchanged_days = django_filters.NumberFilter(
        label=_("Status unchanged for ≥ days"), method="filter_unchanged", min_value=0
    )
    active_year = ActiveYearFilter(through="buyer_id")

    class Meta:
        model = Buyer
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.user, "role", None) == "company":
            # The center's pipeline is internal: a company user neither sees nor filters by it.
            for name in ("status", "unchanged_days"):
                self.filters.pop(name)
            self.search_fields = self.company_search_fields

    def filter_hs(self, queryset, name, value):
        """Buyers interested in an HS code or a code starting with the digits given (20, 2008, 2008.99)."""
        prefix = normalize_hs_code(value)
        if not prefix:
            return queryset
        return queryset.filter(
            Exists(BuyerInterest.objects.filter(buyer=OuterRef("pk"), hs_code__startswith=prefix))
        )

    def filter_unchanged(self, queryset, name, value):
        return queryset.filter(status_changed_at__lte=timezone.now() - timedelta(days=int(value)))
