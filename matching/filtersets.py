import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from jntp.filters import BaseFilterSet, date_from, date_to
from matching.models import Consultation, ExportEvent


def _visible_centers(request):
    return Center.objects.visible_to(getattr(request, "user", None))


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
        field_name="match__buyer__center", queryset=_visible_centers, label=_("Center")
    )
    mode = django_filters.ChoiceFilter(choices=Consultation.Mode.choices, label=_("Mode"))
    status = django_filters.ChoiceFilter(
        choices=[("counted", _("Scheduled or held")), *Consultation.Status.choices],
        method="filter_status",
        label=_("Status"),
    )
    event = django_filters.ModelChoiceFilter(queryset=ExportEvent.objects.all(), label=_("Event"))
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
