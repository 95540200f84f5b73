from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from jntp.spreadsheets import Column
from jntp.timeline import history_entries, newest_first
from jntp.views import FilteredListView, ScopedDeleteView, ScopedDetailView, ScopedFormView
from matching import services
from matching.filtersets import OutcomeFilterSet
from matching.forms import OutcomeForm
from matching.models import FollowUp, Match, Outcome
from matching.timeline import follow_up_entries


class OutcomeListView(FilteredListView):
    model = Outcome
    filterset_class = OutcomeFilterSet
    template_name = "matching/outcome_list.html"
    sort_fields = {
        "signed": "signed_on",
        "kind": "kind",
        "company": "match__company__name_ko",
        "buyer": "match__buyer__name",
        "center": "match__buyer__center__code",
        "usd": "amount_usd",
    }
    default_sort = "-signed"
    export_name = "outcomes"
    export_columns = [
        Column(gettext_lazy("Signed"), lambda o: o.signed_on),
        Column(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
        Column(gettext_lazy("Title"), lambda o: o.title),
        Column(gettext_lazy("Company"), lambda o: o.match.company.name),
        Column(gettext_lazy("Buyer"), lambda o: o.match.buyer.name),
        Column(gettext_lazy("Country"), lambda o: o.match.buyer.country),
        Column(gettext_lazy("Center"), lambda o: o.match.buyer.center.code),
        Column(gettext_lazy("Amount"), lambda o: o.amount),
        Column(gettext_lazy("Currency"), lambda o: o.currency),
        Column(gettext_lazy("Units per USD"), lambda o: o.usd_rate),
        Column(gettext_lazy("Amount (USD)"), lambda o: o.amount_usd),
        Column(gettext_lazy("Event"), lambda o: o.event.name if o.event_id else ""),
        Column(gettext_lazy("Notes"), lambda o: o.notes),
    ]

    def base_queryset(self):
        return Outcome.objects.with_relations()


class OutcomeDetailView(ScopedDetailView):
    model = Outcome
    template_name = "matching/outcome_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_relations().select_related("consultation", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        follow_ups = list(
            FollowUp.objects.visible_to(self.request.user)
            .filter(outcome=self.object)
            .select_related("assignee")
            .order_by("due_at")
        )
        context.update(
            follow_ups=follow_ups,
            timeline=newest_first(history_entries(self.object), follow_up_entries(follow_ups)),
        )
        return context


class OutcomeFormView(ScopedFormView):
    """Staff record what came of a match; the amount counts in USD at the stored rate of its month."""

    allowed_roles = ("staff",)
    model = Outcome
    form_class = OutcomeForm
    template_name = "matching/outcome_form.html"
    created_message = gettext_lazy("Outcome saved.")

    def get_queryset(self):
        return super().get_queryset().with_relations()

    def get_initial(self):
        initial = super().get_initial()
        match_id = self.request.GET.get("match", "")
        if self.object is None and match_id.isdigit():
            initial["match"] = Match.objects.visible_to(self.request.user).filter(pk=match_id).first()
        return initial

    def save(self, form):
        if self.object is None:
            return services.outcome_create(**form.model_data(), created_by=self.request.user)
        return services.outcome_update(
            outcome=self.object,
            data=form.model_data(),
            expected_version=form.cleaned_data["version"],
            by=self.request.user,
        )


class OutcomeDeleteView(ScopedDeleteView):
    model = Outcome
    success_url = reverse_lazy("matching:outcome_list")
