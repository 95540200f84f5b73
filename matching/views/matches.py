from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers.models import Buyer
from jntp.spreadsheets import Column
from jntp.timeline import field_change_entries, history_entries, newest_first
from jntp.views import (
    FilteredListView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    filtered_list_url,
)
from matching import services
from matching.filtersets import MatchFilterSet
from matching.forms import MatchCreateForm, MatchUpdateForm
from matching.models import Company, Consultation, FollowUp, Match, Outcome, SampleShipment
from matching.timeline import consultation_entries, follow_up_entries, outcome_entries, shipment_entries


class MatchListView(FilteredListView):
    model = Match
    filterset_class = MatchFilterSet
    template_name = "matching/match_list.html"
    sort_fields = {
        "created": "created_at",
        "company": "company__name_ko",
        "buyer": "buyer__name",
        "center": "buyer__center__code",
        "stage": "stage",
        "stage_changed": "stage_changed_at",
        "consultations": "consultation_count",
        "shipments": "shipment_count",
        "outcomes": "outcome_count",
    }
    default_sort = "-created"
    export_name = "matches"
    export_columns = [
        Column(gettext_lazy("Created"), lambda m: m.created_at),
        Column(gettext_lazy("Company"), lambda m: m.company.name),
        Column(gettext_lazy("Buyer"), lambda m: m.buyer.name),
        Column(gettext_lazy("Country"), lambda m: m.buyer.country),
        Column(gettext_lazy("Center"), lambda m: m.buyer.center.code),
        Column(gettext_lazy("How it came about"), lambda m: m.get_source_display()),
        Column(gettext_lazy("Stage"), lambda m: m.get_stage_display()),
        Column(gettext_lazy("Stage since"), lambda m: m.stage_changed_at),
        Column(gettext_lazy("Contact shared"), lambda m: m.contact_shared),
        Column(gettext_lazy("Consultations"), lambda m: m.consultation_count),
        Column(gettext_lazy("Sample shipments"), lambda m: m.shipment_count),
        Column(gettext_lazy("Outcomes"), lambda m: m.outcome_count),
    ]
    # JNTP's notes on a match are for staff and the center, not for the company.
    notes_column = Column(gettext_lazy("Notes"), lambda m: m.notes)

    def get_export_columns(self):
        if self.request.user.role == "company":
            return self.export_columns
        return [*self.export_columns, self.notes_column]

    def base_queryset(self):
        return Match.objects.with_relations().with_counts(self.request.user)


class MatchDetailView(ScopedDetailView):
    model = Match
    template_name = "matching/match_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_relations().select_related("created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, match = self.request.user, self.object
        consultations = list(
            Consultation.objects.visible_to(user)
            .filter(match=match)
            .with_relations()
            .order_by("-starts_at", "-pk")
        )
        shipments = list(
            SampleShipment.objects.visible_to(user)
            .filter(match=match)
            .with_relations()
            .with_totals()
            .order_by("-created_at", "-pk")
        )
        outcomes = list(
            Outcome.objects.visible_to(user)
            .filter(match=match)
            .with_relations()
            .order_by("-signed_on", "-pk")
        )
        follow_ups = list(
            FollowUp.objects.visible_to(user)
            .filter(match=match)
            .select_related("assignee")
            .order_by("due_at")
        )
        skip = ("updated_at", "version", "stage", "stage_changed_at")
        context.update(
            consultations=consultations,
            shipments=shipments,
            outcomes=outcomes,
            outcome_usd=sum(o.amount_usd or 0 for o in outcomes),
            follow_ups=follow_ups,
            # The company sees the buyer's contact only when staff or the center share it.
            contact_visible=user.role != "company" or match.contact_shared,
            links={
                "consultations": filtered_list_url("matching:consultation_list", company_id=match.company_id)
                + f"&buyer_id={match.buyer_id}",
                "new_consultation": filtered_list_url("matching:consultation_create", match=match.pk),
                "new_outcome": filtered_list_url("matching:outcome_create", match=match.pk),
            },
            timeline=newest_first(
                history_entries(match, skip=skip),
                field_change_entries(match, "stage", icon="signpost-split", title=_("Stage")),
                consultation_entries(consultations, with_pair=False),
                shipment_entries(shipments),
                outcome_entries(outcomes),
                follow_up_entries(follow_ups),
            ),
        )
        return context


class MatchCreateView(ScopedFormView):
    """Staff link a company with a buyer; the same pair twice is refused by the service."""

    allowed_roles = ("staff",)
    model = Match
    form_class = MatchCreateForm
    template_name = "matching/match_form.html"
    created_message = gettext_lazy("Match saved.")

    def get_initial(self):
        initial = super().get_initial()
        user = self.request.user
        for name, model in (("company", Company), ("buyer", Buyer)):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = model.objects.visible_to(user).filter(pk=value).first()
        return initial

    def save(self, form):
        data = form.cleaned_data
        return services.match_create(
            company=data["company"],
            buyer=data["buyer"],
            source=data["source"],
            contact_shared=data["contact_shared"],
            notes=data["notes"],
            created_by=self.request.user,
        )


class MatchUpdateView(ScopedFormView):
    allowed_roles = ("staff",)
    model = Match
    form_class = MatchUpdateForm
    template_name = "matching/match_form.html"

    def get_queryset(self):
        return super().get_queryset().with_relations()

    def save(self, form):
        return services.match_update(
            match=self.object,
            data=form.model_data(),
            expected_version=form.cleaned_data["version"],
            by=self.request.user,
        )


class MatchDeleteView(ScopedDeleteView):
    model = Match
    success_url = reverse_lazy("matching:match_list")
