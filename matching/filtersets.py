from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from centers.models import Buyer, Center
from jntp import codes
from jntp.filters import ActiveYearFilter, BaseFilterSet, date_from, date_to, yes_no
from jntp.validators import normalize_hs_code
from matching.couriers import Courier
from matching.models import (
    Company,
    CompanyTargetCountry,
    Consultation,
    ExportEvent,
    Match,
    Outcome,
    Product,
    SampleShipment,
)


# The choices of a filter's select read only what their labels show: a select of 300 companies
# built from whole rows cost more than the page of results (jntp.filters.MAX_SELECT_CHOICES).
def _visible_centers(request):
    return Center.objects.visible_to(getattr(request, "user", None)).only("code", "name_ko", "name_en")


def _events(request):
    return ExportEvent.objects.only("name_ko", "name_en")


class ConsultationFilterSet(BaseFilterSet):
    search_fields = (
        "match__company__name_ko",
        "match__company__name_en",
        "match__buyer__name",
        "summary",
        "next_step",
        "interpreter",
    )

    center = django_filters.ModelChoiceFilter(
        field_name="center", queryset=_visible_centers, label=_("Center")
    )
    mode = django_filters.ChoiceFilter(choices=Consultation.Mode.choices, label=_("Mode"))
    status = django_filters.ChoiceFilter(
        choices=[("counted", _("Scheduled or held")), *Consultation.Status.choices],
        method="filter_status",
        label=_("Status"),
    )
    event = django_filters.ModelChoiceFilter(queryset=_events, label=_("Event"))
    interest_level = django_filters.ChoiceFilter(choices=Consultation.Interest.choices, label=_("Interest"))
    held_from = date_from("starts_at__date", _("From"))
    held_to = date_to("starts_at__date", _("To"))
    consulted_min = django_filters.NumberFilter(
        field_name="consulted_amount_usd", lookup_expr="gte", label=_("Consulted ≥ (USD)")
    )
    consulted_max = django_filters.NumberFilter(
        field_name="consulted_amount_usd", lookup_expr="lte", label=_("Consulted ≤ (USD)")
    )
    company_id = django_filters.NumberFilter(field_name="match__company", widget=forms.HiddenInput)
    buyer_id = django_filters.NumberFilter(field_name="match__buyer", widget=forms.HiddenInput)

    class Meta:
        model = Consultation
        fields = ()

    def filter_status(self, queryset, name, value):
        # "counted" is what the yearly figures count: every consultation that was not cancelled.
        if value == "counted":
            return queryset.exclude(status=Consultation.Status.CANCELLED)
        return queryset.filter(status=value)


def _visible_companies(request):
    return (
        Company.objects.visible_to(getattr(request, "user", None))
        .only("name_ko", "name_en")
        .order_by("name_ko")
    )


def _visible_buyers(request):
    return (
        Buyer.objects.visible_to(getattr(request, "user", None))
        .select_related("center")
        .only("name", "center__code")
        .order_by("name")
    )


class BuyerChoiceField(ModelChoiceField):
    def label_from_instance(self, buyer):
        return f"{buyer.name} ({buyer.center.code})"


class BuyerChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BuyerChoiceField


class CompanyFilterSet(BaseFilterSet):
    search_fields = (
        "name_ko",
        "name_en",
        "business_registration_number",
        "representative",
        "description",
    )

    city_county = django_filters.ChoiceFilter(choices=Company.CityCounty.choices, label=_("City or county"))
    industry = django_filters.ChoiceFilter(choices=Company.Industry.choices, label=_("Industry"))
    export_experience = django_filters.ChoiceFilter(
        choices=Company.ExportExperience.choices, label=_("Export experience")
    )
    hs = django_filters.CharFilter(label=_("HS code (first digits)"), method="filter_hs")
    target_country = django_filters.ChoiceFilter(
        choices=codes.country_choices, label=_("Target country"), method="filter_target_country"
    )
    has_matches = yes_no(_("Has matches"), method="filter_has_matches")
    active_year = ActiveYearFilter(through="company_id")

    class Meta:
        model = Company
        fields = ()

    def search(self, queryset, name, value):
        """Names, registration number (with or without hyphens) and the products' names."""
        for term in value.split():
            digits = term.replace("-", "")
            products = Product.objects.filter(company=OuterRef("pk")).filter(
                Q(name_ko__icontains=term) | Q(name_en__icontains=term)
            )
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{f}__icontains": term}) for f in self.search_fields))
                | Q(business_registration_number__contains=digits)
                | Exists(products)
            )
        return queryset

    def filter_hs(self, queryset, name, value):
        prefix = normalize_hs_code(value)
        if not prefix:
            return queryset
        return queryset.filter(
            Exists(Product.objects.filter(company=OuterRef("pk"), hs_code__startswith=prefix))
        )

    def filter_target_country(self, queryset, name, value):
        return queryset.filter(
            Exists(CompanyTargetCountry.objects.filter(company=OuterRef("pk"), country=value))
        )

    def filter_has_matches(self, queryset, name, value):
        matched = Exists(Match.objects.visible_to(self.user).filter(company=OuterRef("pk")))
        return queryset.filter(matched if value else ~matched)


class MatchFilterSet(BaseFilterSet):
    search_fields = ("company__name_ko", "company__name_en", "buyer__name", "notes")

    center = django_filters.ModelChoiceFilter(
        field_name="center", queryset=_visible_centers, label=_("Center")
    )
    company = django_filters.ModelChoiceFilter(queryset=_visible_companies, label=_("Company"))
    buyer = BuyerChoiceFilter(queryset=_visible_buyers, label=_("Buyer"))
    stage = django_filters.ChoiceFilter(choices=Match.Stage.choices, label=_("Stage"))
    source = django_filters.ChoiceFilter(choices=Match.Source.choices, label=_("How it came about"))
    contact_shared = yes_no(_("Contact shared"))
    created_from = date_from("created_at__date", _("Created from"))
    created_to = date_to("created_at__date", _("Created to"))

    class Meta:
        model = Match
        fields = ()


class ShipmentFilterSet(BaseFilterSet):
    search_fields = (
        "company__name_ko",
        "company__name_en",
        "match__buyer__name",
        "purpose",
        "tracking_number",
    )

    status = django_filters.ChoiceFilter(choices=SampleShipment.Status.choices, label=_("Status"))
    center = django_filters.ModelChoiceFilter(queryset=_visible_centers, label=_("Center"))
    company = django_filters.ModelChoiceFilter(queryset=_visible_companies, label=_("Company"))
    courier = django_filters.ChoiceFilter(choices=Courier.choices, label=_("Courier"))
    requested_from = date_from("created_at__date", _("Requested from"))
    requested_to = date_to("created_at__date", _("Requested to"))
    shipped_from = date_from("shipped_at__date", _("Shipped from"))
    shipped_to = date_to("shipped_at__date", _("Shipped to"))
    value_min = django_filters.NumberFilter(
        field_name="declared_total", lookup_expr="gte", label=_("Declared ≥ (USD)")
    )
    value_max = django_filters.NumberFilter(
        field_name="declared_total", lookup_expr="lte", label=_("Declared ≤ (USD)")
    )
    match = django_filters.NumberFilter(field_name="match", widget=forms.HiddenInput)
    buyer = django_filters.NumberFilter(field_name="match__buyer", widget=forms.HiddenInput)

    class Meta:
        model = SampleShipment
        fields = ()


class OutcomeFilterSet(BaseFilterSet):
    search_fields = (
        "title",
        "notes",
        "match__company__name_ko",
        "match__company__name_en",
        "match__buyer__name",
    )

    kind = django_filters.ChoiceFilter(choices=Outcome.Kind.choices, label=_("Kind"))
    center = django_filters.ModelChoiceFilter(
        field_name="center", queryset=_visible_centers, label=_("Center")
    )
    company = django_filters.ModelChoiceFilter(
        field_name="match__company", queryset=_visible_companies, label=_("Company")
    )
    event = django_filters.ModelChoiceFilter(queryset=_events, label=_("Event"))
    signed_from = date_from("signed_on", _("Signed from"))
    signed_to = date_to("signed_on", _("Signed to"))
    usd_min = django_filters.NumberFilter(field_name="amount_usd", lookup_expr="gte", label=_("USD ≥"))
    usd_max = django_filters.NumberFilter(field_name="amount_usd", lookup_expr="lte", label=_("USD ≤"))
    match = django_filters.NumberFilter(field_name="match", widget=forms.HiddenInput)
    buyer = django_filters.NumberFilter(field_name="match__buyer", widget=forms.HiddenInput)

    class Meta:
        model = Outcome
        fields = ()


class ExportEventFilterSet(BaseFilterSet):
    search_fields = ("code", "name_ko", "name_en", "city", "description")

    kind = django_filters.ChoiceFilter(choices=ExportEvent.Kind.choices, label=_("Kind"))
    country = django_filters.ChoiceFilter(choices=codes.country_choices, label=_("Country"))
    starts_from = date_from("ends_on", _("From"))
    starts_to = date_to("starts_on", _("To"))

    class Meta:
        model = ExportEvent
        fields = ()
