from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers import services
from centers.filtersets import BuyerFilterSet, CenterFilterSet
from centers.forms import BuyerForm, CenterForm
from centers.models import Buyer, BuyerStatusChange, Center
from centers.status_views import status_context
from jntp.spreadsheets import Column
from jntp.timeline import history_entries, newest_first
from jntp.validators import format_hs_code
from jntp.views import (
    FilteredListView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    filtered_list_url,
)
from matching.models import Company, Consultation, FollowUp, Match, Outcome, SampleShipment
from matching.timeline import (
    consultation_entries,
    follow_up_entries,
    match_entries,
    outcome_entries,
    shipment_entries,
    status_change_entries,
)

RECENT = 10  # rows of each kind on a center's page; the lists behind the links have the rest
PIPELINE_CARDS = 5  # buyers per pipeline status on a center's page, longest in the status first


# --- Centers -------------------------------------------------------------------------------------------
class CenterListView(FilteredListView):
    model = Center
    filterset_class = CenterFilterSet
    template_name = "centers/center_list.html"
    sort_fields = {
        "code": "code",
        "name": "name_ko",
        "country": "country",
        "city": "city",
        "buyers": "buyer_count",
        "matches": "open_match_count",
        "consultations": "consultation_count",
        "samples": "shipment_count",
    }
    default_sort = "code"
    export_name = "centers"
    export_columns = [
        Column(gettext_lazy("Code"), lambda c: c.code),
        Column(gettext_lazy("Name (Korean)"), lambda c: c.name_ko),
        Column(gettext_lazy("Name (English)"), lambda c: c.name_en),
        Column(gettext_lazy("Country"), lambda c: c.country),
        Column(gettext_lazy("City"), lambda c: c.city),
        Column(gettext_lazy("Time zone"), lambda c: c.time_zone),
        Column(gettext_lazy("Currency"), lambda c: c.currency),
        Column(gettext_lazy("Operating partner"), lambda c: c.operating_partner),
        Column(gettext_lazy("Head of center"), lambda c: c.head_name),
        Column(gettext_lazy("E-mail"), lambda c: c.email),
        Column(gettext_lazy("Phone"), lambda c: c.phone),
        Column(gettext_lazy("Buyers"), lambda c: c.buyer_count),
        Column(gettext_lazy("Open matches"), lambda c: c.open_match_count),
        Column(gettext_lazy("Consultations"), lambda c: c.consultation_count),
        Column(gettext_lazy("Sample shipments"), lambda c: c.shipment_count),
        Column(gettext_lazy("Active"), lambda c: c.is_active),
    ]

    def base_queryset(self):
        return Center.objects.with_counts(self.request.user)


class CenterDetailView(ScopedDetailView):
    model = Center
    template_name = "centers/center_detail.html"

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().with_figures(user).with_manager_names(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, center = self.request.user, self.object

        show_pipeline = user.role != "company"
        buyers = Buyer.objects.visible_to(user).filter(center=center)
        if show_pipeline:
            pipeline = buyers.pipeline_board(per_status=PIPELINE_CARDS)
            for column in pipeline:
                column["more_url"] = filtered_list_url(
                    "centers:buyer_list",
                    center=center.pk,
                    status=column["status"].value,
                    sort="status_changed",
                )
            buyer_rows = []
        else:  # a company user: its own buyers here, without the center's internal pipeline
            pipeline, buyer_rows = [], list(buyers.order_by("name", "pk")[:RECENT])
        companies = Company.objects.most_matched(
            Match.objects.visible_to(user).filter(center=center), limit=RECENT
        )
        recent_consultations = list(
            Consultation.objects.visible_to(user)
            .filter(center=center)
            .with_relations(center=False)
            .order_by("-starts_at", "-pk")[:RECENT]
        )
        recent_shipments = list(
            SampleShipment.objects.visible_to(user)
            .filter(center=center)
            .with_relations()
            .with_totals()
            .order_by("-created_at", "-pk")[:RECENT]
        )
        recent_outcomes = list(
            Outcome.objects.visible_to(user)
            .filter(center=center)
            .with_relations(center=False)
            .order_by("-signed_on", "-pk")[:RECENT]
        )
        figures = {
            "consultations": {
                "count": center.consultation_count,
                "consulted": center.consulted_usd,
                "expected": center.expected_usd,
            },
            "outcomes": {"usd": center.signed_usd, "mous": center.mou_count},
            "samples": {"total": center.shipment_count, "received": center.received_count},
        }

        context.update(
            links={
                "buyers": filtered_list_url("centers:buyer_list", center=center.pk),
                "new_buyer": filtered_list_url("centers:buyer_create", center=center.pk),
                "matches": filtered_list_url("matching:match_list", center=center.pk),
                "consultations": filtered_list_url("matching:consultation_list", center=center.pk),
                "shipments": filtered_list_url("matching:shipment_list", center=center.pk),
                "outcomes": filtered_list_url("matching:outcome_list", center=center.pk),
            },
            pipeline=pipeline,
            buyers=buyer_rows,
            buyer_count=center.buyer_count,
            show_pipeline=show_pipeline,
            companies=companies,
            company_count=center.company_count,
            open_match_count=center.open_match_count,
            recent_consultations=recent_consultations,
            recent_shipments=recent_shipments,
            recent_outcomes=recent_outcomes,
            figures=figures,
            manager_names=sorted(center.manager_names),
            timeline=newest_first(
                history_entries(center),
                consultation_entries(recent_consultations),
                shipment_entries(recent_shipments),
                outcome_entries(recent_outcomes),
            ),
        )
        return context


class CenterFormView(ScopedFormView):
    allowed_roles = ("staff",)
    model = Center
    form_class = CenterForm
    template_name = "centers/center_form.html"
    created_message = gettext_lazy("Center saved.")

    def save(self, form):
        if self.object is None:
            return services.center_create(data=form.model_data(), by=self.request.user)
        return services.center_update(
            center=self.object,
            data=form.model_data(),
            expected_version=form.cleaned_data["version"],
            by=self.request.user,
        )


class CenterDeleteView(ScopedDeleteView):
    model = Center
    success_url = reverse_lazy("centers:center_list")


# --- Buyers --------------------------------------------------------------------------------------------
def _contact(buyer, field):
    return getattr(buyer, field) if buyer.contact_visible else ""


class BuyerListView(FilteredListView):
    model = Buyer
    filterset_class = BuyerFilterSet
    template_name = "centers/buyer_list.html"
    default_sort = "name"
    export_name = "buyers"

    @property
    def sort_fields(self):
        fields = {
            "name": "name",
            "center": "center__code",
            "country": "country",
            "business_type": "business_type",
            "imports": "annual_import_usd",
            "matches": "match_count",
        }
        if self.request.user.role != "company":
            fields.update(status="status", status_changed="status_changed_at")
        return fields

    def base_queryset(self):
        user = self.request.user
        return Buyer.objects.with_relations().with_contact_visibility(user).with_match_count(user)

    export_columns = [
        Column(gettext_lazy("Name"), lambda b: b.name),
        Column(gettext_lazy("Center"), lambda b: b.center.code),
        Column(gettext_lazy("Country"), lambda b: b.country),
        Column(gettext_lazy("City"), lambda b: b.city),
        Column(gettext_lazy("Business type"), lambda b: b.get_business_type_display()),
        Column(
            gettext_lazy("HS codes"),
            lambda b: ", ".join(format_hs_code(i.hs_code) for i in b.interests.all()),
        ),
        Column(gettext_lazy("Yearly imports (USD)"), lambda b: b.annual_import_usd),
        Column(gettext_lazy("Website"), lambda b: b.website),
        # A company user gets these only for buyers whose contact a match shares with it.
        Column(gettext_lazy("Contact person"), lambda b: _contact(b, "contact_name")),
        Column(gettext_lazy("E-mail"), lambda b: _contact(b, "email")),
        Column(gettext_lazy("Phone"), lambda b: _contact(b, "phone")),
        Column(gettext_lazy("Matches"), lambda b: b.match_count),
    ]
    pipeline_columns = [
        Column(gettext_lazy("Pipeline status"), lambda b: b.get_status_display()),
        Column(gettext_lazy("Status since"), lambda b: b.status_changed_at),
        Column(gettext_lazy("Notes"), lambda b: b.notes),
    ]

    def get_export_columns(self):
        if self.request.user.role == "company":
            return self.export_columns
        return self.export_columns + self.pipeline_columns

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "show_pipeline": self.request.user.role != "company"}


class BuyerDetailView(ScopedDetailView):
    model = Buyer
    template_name = "centers/buyer_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_relations().with_contact_visibility(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, buyer = self.request.user, self.object
        show_pipeline = user.role != "company"
        status_changes = list(
            BuyerStatusChange.objects.visible_to(user).filter(buyer=buyer).select_related("changed_by")
        )
        matches = list(Match.objects.visible_to(user).filter(buyer=buyer).with_relations().with_counts(user))
        consultations = list(
            Consultation.objects.visible_to(user)
            .filter(match__buyer=buyer)
            .with_relations()
            .order_by("-starts_at", "-pk")
        )
        shipments = list(
            SampleShipment.objects.visible_to(user)
            .filter(match__buyer=buyer)
            .with_relations()
            .with_totals()
            .order_by("-created_at", "-pk")
        )
        outcomes = list(
            Outcome.objects.visible_to(user)
            .filter(match__buyer=buyer)
            .with_relations()
            .order_by("-signed_on", "-pk")
        )
        follow_ups = list(
            FollowUp.objects.visible_to(user)
            .filter(buyer=buyer)
            .select_related("assignee")
            .order_by("due_at")
        )
        skip = ("updated_at", "version", "status", "status_changed_at")
        context.update(
            show_pipeline=show_pipeline,
            status_changes=status_changes,
            matches=matches,
            consultations=consultations,
            shipments=shipments,
            outcomes=outcomes,
            follow_ups=follow_ups,
            can_edit=user.role in BuyerFormView.allowed_roles,
            **(status_context(buyer, user) if show_pipeline else {}),
            timeline=newest_first(
                history_entries(buyer, skip=skip),
                status_change_entries(status_changes, title=_("Pipeline status")),
                match_entries(matches, name_of=lambda m: m.company),
                consultation_entries(consultations),
                shipment_entries(shipments),
                outcome_entries(outcomes),
                follow_up_entries(follow_ups),
            ),
        )
        return context


class BuyerFormView(ScopedFormView):
    """Staff register buyers of any center; a center manager those of their own center only."""

    allowed_roles = ("staff", "center")
    model = Buyer
    form_class = BuyerForm
    template_name = "centers/buyer_form.html"
    created_message = gettext_lazy("Buyer saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("center").prefetch_related("interests")

    def get_initial(self):
        initial = super().get_initial()
        if self.object is not None:
            return initial
        user, requested = self.request.user, self.request.GET.get("center", "")
        center = user.center if user.role == "center" else None
        if center is None and requested.isdigit():
            center = Center.objects.visible_to(user).filter(pk=requested).first()
        if center is not None:
            # Most buyers of a center are in its country.
            initial.update(center=center, country=center.country)
        return initial

    def save(self, form):
        user = self.request.user
        hs_codes = form.cleaned_data["hs_codes"]
        center = form.cleaned_data["center"] if user.role == "staff" else None
        if self.object is None:
            return services.buyer_create(
                center=center or user.center, data=form.model_data(), hs_codes=hs_codes, by=user
            )
        return services.buyer_update(
            buyer=self.object,
            data=form.model_data(),
            hs_codes=hs_codes,
            expected_version=form.cleaned_data["version"],
            by=user,
            center=center,
        )


class BuyerDeleteView(ScopedDeleteView):
    model = Buyer
    success_url = reverse_lazy("centers:buyer_list")
