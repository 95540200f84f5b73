"""Sample shipments: the list and the page of one shipment. The request form and the workflow steps
(approve, ship, deliver, feedback) and document uploads are built on these pages by the workflow UI."""

from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jntp.spreadsheets import Column
from jntp.timeline import history_entries, newest_first
from jntp.views import FilteredListView, ScopedDeleteView, ScopedDetailView
from matching.filtersets import ShipmentFilterSet
from matching.models import FollowUp, SampleShipment, ShipmentStatusChange
from matching.timeline import follow_up_entries, status_change_entries
from matching.views.shipment_workflow import step_forms

# Fields the workflow sets step by step: their changes are the status history, not edits.
WORKFLOW_FIELDS = (
    "updated_at",
    "version",
    "status",
    "approved_at",
    "shipped_at",
    "delivered_at",
    "feedback_at",
    "courier",
    "tracking_number",
    "cost_support_krw",
    "rejection_reason",
    "feedback_rating",
    "feedback_comment",
    "feedback_order_interest",
    "feedback_next_step",
)


class ShipmentListView(FilteredListView):
    model = SampleShipment
    filterset_class = ShipmentFilterSet
    template_name = "matching/shipment_list.html"
    sort_fields = {
        "requested": "created_at",
        "shipped": "shipped_at",
        "company": "company__name_ko",
        "center": "center__code",
        "status": "status",
        "value": "declared_total",
        "support": "cost_support_krw",
    }
    default_sort = "-requested"
    export_name = "sample-shipments"
    export_columns = [
        Column(gettext_lazy("Requested"), lambda s: s.created_at),
        Column(gettext_lazy("Company"), lambda s: s.company.name),
        Column(gettext_lazy("Center"), lambda s: s.center.code),
        Column(gettext_lazy("Buyer"), lambda s: s.match.buyer.name if s.match_id else ""),
        Column(gettext_lazy("Status"), lambda s: s.get_status_display()),
        Column(gettext_lazy("Items"), lambda s: s.item_count),
        Column(gettext_lazy("Declared value (USD)"), lambda s: s.declared_total),
        Column(gettext_lazy("Courier"), lambda s: s.get_courier_display()),
        Column(gettext_lazy("Tracking number"), lambda s: s.tracking_number),
        Column(gettext_lazy("Shipped"), lambda s: s.shipped_at),
        Column(gettext_lazy("Delivered"), lambda s: s.delivered_at),
        Column(gettext_lazy("Cost support (KRW)"), lambda s: s.cost_support_krw),
        Column(gettext_lazy("Buyer's rating"), lambda s: s.feedback_rating),
        Column(gettext_lazy("Purpose"), lambda s: s.purpose),
    ]

    def base_queryset(self):
        return SampleShipment.objects.with_relations().with_totals()


class ShipmentDetailView(ScopedDetailView):
    model = SampleShipment
    template_name = "matching/shipment_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_relations()
            .with_totals()
            .select_related("match__buyer__center", "consultation", "requested_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, shipment = self.request.user, self.object
        steps = list(
            ShipmentStatusChange.objects.visible_to(user)
            .filter(shipment=shipment)
            .select_related("changed_by")
        )
        follow_ups = list(
            FollowUp.objects.visible_to(user)
            .filter(shipment=shipment)
            .select_related("assignee")
            .order_by("due_at")
        )
        context.update(
            items=list(shipment.items.select_related("product").order_by("pk")),
            documents=list(shipment.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")),
            steps=steps,
            follow_ups=follow_ups,
            step_forms=step_forms(shipment, user),
            timeline=newest_first(
                history_entries(shipment, skip=WORKFLOW_FIELDS),
                status_change_entries(steps, title=_("Status")),
                follow_up_entries(follow_ups),
            ),
        )
        return context


class ShipmentDeleteView(ScopedDeleteView):
    model = SampleShipment
    success_url = reverse_lazy("matching:shipment_list")
