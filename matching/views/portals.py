"""The home pages of company users and center managers: their own work, nothing else."""

from django.shortcuts import render
from django.utils import timezone

from centers.models import Buyer
from centers.status_views import status_context
from jntp.views import filtered_list_url
from matching.models import Consultation, Match, Outcome, SampleShipment
from matching.services.shipments import support_left_krw, support_used_krw

PORTAL_ROWS = 8  # rows per list on a home page; each list links to the full one
BOARD_CARDS = 6  # buyers per pipeline column on a center's home page, longest in the status first


def company_home(request):
    user = request.user
    now = timezone.now()
    consultations = Consultation.objects.visible_to(user).with_relations()
    year = timezone.localdate().year
    return render(
        request,
        "matching/portal_company.html",
        {
            "company": user.company,
            "upcoming": consultations.filter(starts_at__gte=now).order_by("starts_at")[:PORTAL_ROWS],
            "past": consultations.filter(starts_at__lt=now).order_by("-starts_at")[:PORTAL_ROWS],
            "matches": Match.objects.visible_to(user).select_related("buyer__center").order_by("-created_at"),
            "shipments": SampleShipment.objects.visible_to(user)
            .with_relations()
            .order_by("-created_at")[:PORTAL_ROWS],
            "outcomes": Outcome.objects.visible_to(user)
            .with_relations()
            .order_by("-signed_on")[:PORTAL_ROWS],
            "support": {
                "year": year,
                "used": support_used_krw(user.company_id, year),
                "left": support_left_krw(user.company_id, year),
            },
        },
    )


def center_home(request):
    user = request.user
    now = timezone.now()
    columns = Buyer.objects.visible_to(user).pipeline_board(per_status=BOARD_CARDS)
    for column in columns:
        column["buyers"] = [status_context(buyer, user) for buyer in column["buyers"]]
        column["more_url"] = filtered_list_url(
            "centers:buyer_list", center=user.center_id, status=column["status"].value, sort="status_changed"
        )
    on_the_way = [
        SampleShipment.Status.APPROVED,
        SampleShipment.Status.SHIPPED,
        SampleShipment.Status.DELIVERED,
    ]
    inbound = SampleShipment.objects.visible_to(user).filter(status__in=on_the_way)
    return render(
        request,
        "matching/portal_center.html",
        {
            "center": user.center,
            "columns": columns,
            "buyer_count": sum(column["total"] for column in columns),
            "upcoming": Consultation.objects.visible_to(user)
            .with_relations()
            .filter(starts_at__gte=now)
            .exclude(status=Consultation.Status.CANCELLED)
            .order_by("starts_at")[:PORTAL_ROWS],
            "unlogged": Consultation.objects.visible_to(user)
            .with_relations()
            .filter(starts_at__lt=now, status=Consultation.Status.SCHEDULED)
            .order_by("-starts_at")[:PORTAL_ROWS],
            "inbound": inbound.with_relations().order_by("status", "shipped_at", "pk")[:PORTAL_ROWS],
            "inbound_count": inbound.count(),
            "inbound_urls": [
                (
                    status,
                    filtered_list_url("matching:shipment_list", center=user.center_id, status=status.value),
                )
                for status in on_the_way
            ],
        },
    )
