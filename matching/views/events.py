from django.db.models import Count, Q, Sum
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from jntp.spreadsheets import Column
from jntp.timeline import history_entries, newest_first
from jntp.views import (
    FilteredListView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    filtered_list_url,
)
from matching import services
from matching.filtersets import ExportEventFilterSet
from matching.forms import ExportEventForm
from matching.models import Consultation, ExportEvent, Outcome
from matching.timeline import consultation_entries, outcome_entries

RECENT = 20  # rows of each kind on an event's page; the lists behind the links have the rest


class EventListView(FilteredListView):
    model = ExportEvent
    filterset_class = ExportEventFilterSet
    template_name = "matching/event_list.html"
    sort_fields = {
        "starts": "starts_on",
        "name": "name_ko",
        "kind": "kind",
        "country": "country",
        "consultations": "consultation_count",
        "outcomes": "outcome_count",
        "usd": "outcome_usd",
    }
    default_sort = "-starts"
    export_name = "export-events"
    export_columns = [
        Column(gettext_lazy("Code"), lambda e: e.code),
        Column(gettext_lazy("Name (Korean)"), lambda e: e.name_ko),
        Column(gettext_lazy("Name (English)"), lambda e: e.name_en),
        Column(gettext_lazy("Kind"), lambda e: e.get_kind_display()),
        Column(gettext_lazy("Starts"), lambda e: e.starts_on),
        Column(gettext_lazy("Ends"), lambda e: e.ends_on),
        Column(gettext_lazy("City"), lambda e: e.city),
        Column(gettext_lazy("Country"), lambda e: e.country),
        Column(gettext_lazy("Consultations"), lambda e: e.consultation_count),
        Column(gettext_lazy("Outcomes"), lambda e: e.outcome_count),
        Column(gettext_lazy("Signed (USD)"), lambda e: e.outcome_usd),
    ]

    def base_queryset(self):
        return ExportEvent.objects.with_counts(self.request.user)


class EventDetailView(ScopedDetailView):
    model = ExportEvent
    template_name = "matching/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.object
        consultations = Consultation.objects.visible_to(user).filter(event=event)
        outcomes = Outcome.objects.visible_to(user).filter(event=event)
        consultation_rows = list(consultations.with_relations().order_by("-starts_at", "-pk")[:RECENT])
        outcome_rows = list(outcomes.with_relations().order_by("-signed_on", "-pk")[:RECENT])
        counted = ~Q(status=Consultation.Status.CANCELLED)
        mou = Q(kind=Outcome.Kind.MOU)
        context.update(
            consultations=consultation_rows,
            outcomes=outcome_rows,
            totals={
                **consultations.aggregate(
                    rows=Count("pk"),
                    consultations=Count("pk", filter=counted),
                    held=Count("pk", filter=Q(status=Consultation.Status.HELD)),
                    consulted=Sum("consulted_amount_usd", filter=counted),
                    expected=Sum("expected_contract_usd", filter=counted),
                ),
                **outcomes.aggregate(
                    signed_usd=Sum("amount_usd"), mous=Count("pk", filter=mou), outcomes=Count("pk")
                ),
            },
            links={
                "consultations": filtered_list_url("matching:consultation_list", event=event.pk),
                "outcomes": filtered_list_url("matching:outcome_list", event=event.pk),
            },
            timeline=newest_first(
                history_entries(event),
                consultation_entries(consultation_rows),
                outcome_entries(outcome_rows),
            ),
        )
        return context


class EventFormView(ScopedFormView):
    allowed_roles = ("staff",)
    model = ExportEvent
    form_class = ExportEventForm
    template_name = "matching/event_form.html"
    created_message = gettext_lazy("Event saved.")

    def save(self, form):
        if self.object is None:
            return services.event_create(data=form.model_data(), by=self.request.user)
        return services.event_update(
            event=self.object,
            data=form.model_data(),
            expected_version=form.cleaned_data["version"],
            by=self.request.user,
        )


class EventDeleteView(ScopedDeleteView):
    model = ExportEvent
    success_url = reverse_lazy("matching:event_list")
