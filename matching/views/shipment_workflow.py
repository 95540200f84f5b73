"""The sample-shipment workflow: a company (or staff on its behalf) requests, staff approve or
reject, the company or staff mark it shipped, the destination center confirms delivery and records
the buyer's feedback. Each step is one service; these views only fetch, parse and answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import services
from matching.models import Company, SampleShipment, ShipmentDocument
from matching.services.shipments import shipment_may
from matching.shipment_forms import (
    ApproveForm,
    CancelForm,
    DeliverForm,
    DocumentsForm,
    FeedbackForm,
    RejectForm,
    ShipForm,
    ShipmentItemFormSet,
    ShipmentRequestForm,
)

# action → (form, service, the keyword the form fields become, success message)
ACTIONS = {
    "approve": (
        ApproveForm,
        services.shipment_approve,
        lambda d: {"cost_support_krw": d["cost_support_krw"], "note": d["note"]},
    ),
    "reject": (RejectForm, services.shipment_reject, lambda d: {"reason": d["reason"]}),
    "ship": (
        ShipForm,
        services.shipment_ship,
        lambda d: {"courier": d["courier"], "tracking_number": d["tracking_number"]},
    ),
    "deliver": (DeliverForm, services.shipment_deliver, lambda d: {"note": d["note"]}),
    "feedback": (
        FeedbackForm,
        services.shipment_record_feedback,
        lambda d: {
            "rating": d["rating"],
            "comment": d["comment"],
            "order_interest": d["order_interest"],
            "next_step": d["next_step"],
        },
    ),
    "cancel": (CancelForm, services.shipment_cancel, lambda d: {"reason": d["reason"]}),
}


def _requesting_company(request) -> Company:
    user = request.user
    if user.role == "company":
        return user.company
    if user.role == "staff":
        company_id = request.POST.get("company") or request.GET.get("company")
        if not (company_id or "").isdigit():
            raise Http404
        return get_object_or_404(Company.objects.visible_to(user), pk=company_id)
    raise PermissionDenied


@login_required
def shipment_request(request):
    """The request form. Staff pick the company first (?company=<id>) and act on its behalf."""
    if request.user.role == "staff" and not (request.GET.get("company") or request.POST.get("company")):
        companies = (
            Company.objects.visible_to(request.user).order_by("name_ko").only("pk", "name_ko", "name_en")
        )
        return render(request, "matching/shipment_request_pick_company.html", {"companies": companies})
    company = _requesting_company(request)
    form = ShipmentRequestForm(
        request.POST or None, request.FILES or None, company=company, user=request.user
    )
    items = ShipmentItemFormSet(request.POST or None, prefix="items", form_kwargs={"company": company})
    if request.method == "POST" and form.is_valid() and items.is_valid():
        center, match = form.cleaned_data["destination"]
        lines = [line.cleaned_data for line in items.forms if line.cleaned_data]
        try:
            shipment = services.shipment_request(
                company=company,
                center=center,
                match=match,
                purpose=form.cleaned_data["purpose"],
                items=lines,
                requested_by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                documents=form.documents(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your sample request was sent to JNTP for approval."))
            return redirect(shipment)
    return render(
        request, "matching/shipment_request.html", {"form": form, "items": items, "company": company}
    )


@require_POST
@login_required
def shipment_step(request, pk: int, action: str):
    """One step of the workflow. Another tenant's shipment is a 404; a step not theirs is a 403."""
    shipment = get_object_or_404(SampleShipment.objects.visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    if not shipment_may(request.user, shipment, action):
        raise PermissionDenied
    form_class, service, arguments = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(shipment=shipment, by=request.user, **arguments(form.cleaned_data))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Saved: %(status)s.") % {"status": shipment_status_label(shipment.pk)}
            )
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(shipment)


def shipment_status_label(pk: int) -> str:
    return SampleShipment.objects.get(pk=pk).get_status_display()


@require_POST
@login_required
def shipment_documents_add(request, pk: int):
    shipment = get_object_or_404(SampleShipment.objects.visible_to(request.user), pk=pk)
    if not shipment_may(request.user, shipment, "documents"):
        raise PermissionDenied
    form = DocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.shipment_add_documents(shipment=shipment, documents=form.documents(), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The documents were added."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(shipment)


@login_required
def shipment_document(request, pk: int, document_pk: int):
    """Documents are served only here, after the access check, as attachments."""
    shipment = get_object_or_404(SampleShipment.objects.visible_to(request.user), pk=pk)
    document = get_object_or_404(ShipmentDocument, pk=document_pk, shipment=shipment)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def step_forms(shipment: SampleShipment, user) -> dict:
    """The forms of the steps this user may take now, for the shipment's detail page."""
    Status = SampleShipment.Status
    may = {step: shipment_may(user, shipment, step) for step in ("approve", "ship", "deliver", "cancel")}
    forms = {}
    if shipment.status == Status.REQUESTED and may["approve"]:
        from matching.services.shipments import support_left_krw, support_used_krw

        year = timezone.localdate().year
        forms["approve"] = ApproveForm()
        forms["reject"] = RejectForm()
        forms["support"] = {
            "used": support_used_krw(shipment.company_id, year),
            "left": support_left_krw(shipment.company_id, year),
            "year": year,
        }
    if shipment.status == Status.APPROVED and may["ship"]:
        forms["ship"] = ShipForm()
    if shipment.status == Status.SHIPPED and may["deliver"]:
        forms["deliver"] = DeliverForm()
    if shipment.status == Status.DELIVERED and may["deliver"]:
        forms["feedback"] = FeedbackForm()
    if shipment.status in (Status.REQUESTED, Status.APPROVED) and may["cancel"]:
        forms["cancel"] = CancelForm()
        forms["documents"] = DocumentsForm()
    return forms
