from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from centers.models import Buyer
from jntp.views import StaffRequiredMixin
from matching import selectors
from matching.models import FollowUp, SampleShipment

ATTENTION_ROWS = 6  # rows per "needs attention" list; each links to the full filtered list
CENTER_ROWS = 20  # centers in the chart and table, most signed first; JNTP's 16 all fit
STALE_BUYER_DAYS = 30


class DashboardView(StaffRequiredMixin, TemplateView):
    """The year at a glance for staff: the reported figures, where they come from, and what needs doing."""

    template_name = "matching/dashboard.html"

    def get(self, request, *args, **kwargs):
        requested = request.GET.get("year", "")
        overview = selectors.year_overview(int(requested) if requested.isdigit() else None)
        year, figures = overview["year"], overview["figures"]
        signed = ("agreements_usd", "contracts_usd", "purchase_orders_usd")
        centers = sorted(
            ({**row, "signed_usd": sum(row[name] for name in signed)} for row in figures["by_center"]),
            key=lambda row: (-row["signed_usd"], -row["consultations"], row["center"]),
        )
        waiting = SampleShipment.objects.filter(status=SampleShipment.Status.REQUESTED)
        stale = Buyer.objects.stale(days=STALE_BUYER_DAYS)
        overdue = FollowUp.objects.overdue()
        context = {
            "year": year,
            "years": overview["years"],
            "first_day": date(year, 1, 1).isoformat(),
            "last_day": date(year, 12, 31).isoformat(),
            "figures": figures,
            "centers": centers[:CENTER_ROWS],
            "more_centers": max(len(centers) - CENTER_ROWS, 0),
            "funnel": overview["funnel"],
            "funnel_labels": {
                "matches": _("Matches with activity"),
                "consultations": _("Consultations held"),
                "samples": _("Samples requested"),
                "outcomes": _("Outcomes signed"),
            },
            "chart_data": {
                "months": [date(year, m, 1).strftime("%m") for m in range(1, 13)],
                **overview["monthly"],
                "centers": [row["center"] for row in centers[:CENTER_ROWS]],
                "center_consultations": [row["consultations"] for row in centers[:CENTER_ROWS]],
                "center_signed_usd": [float(row["signed_usd"]) for row in centers[:CENTER_ROWS]],
                "labels": {
                    "consultations": _("Consultations"),
                    "signed_usd": _("Agreements and contracts (USD)"),
                },
            },
            "waiting": waiting.select_related("company", "center").order_by("created_at")[:ATTENTION_ROWS],
            "waiting_count": waiting.count(),
            "stale": stale.select_related("center").order_by("status_changed_at")[:ATTENTION_ROWS],
            "stale_count": stale.count(),
            "stale_days": STALE_BUYER_DAYS,
            "overdue": overdue.select_related("assignee").order_by("due_at")[:ATTENTION_ROWS],
            "overdue_count": overdue.count(),
        }
        return render(request, self.template_name, context)
