"""A buyer's pipeline status, changed inline (htmx) by its center's manager or staff."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from centers.models import Buyer
from centers.services import buyer_change_status
from jntp.forms import BootstrapFormMixin


class BuyerStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Buyer.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    expected_status = forms.ChoiceField(choices=Buyer.Status.choices, widget=forms.HiddenInput)


def can_change_status(user, buyer: Buyer) -> bool:
    return user.role == "staff" or (user.role == "center" and user.center_id == buyer.center_id)


def status_context(buyer: Buyer, user, **extra) -> dict:
    """What the inline status form shows. No Form object: a center's board draws dozens at once, and
    the template writes the few fields itself (BuyerStatusForm checks what comes back)."""
    return {
        "buyer": buyer,
        "next_statuses": buyer.allowed_statuses(),
        "can_change": can_change_status(user, buyer),
        **extra,
    }


@require_POST
@login_required
def buyer_status(request, pk: int):
    buyer = get_object_or_404(Buyer.objects.visible_to(request.user), pk=pk)
    if not can_change_status(request.user, buyer):
        raise PermissionDenied
    form = BuyerStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            buyer = buyer_change_status(
                buyer_id=buyer.pk,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_status=form.cleaned_data["expected_status"],
                by=request.user,
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
            buyer.refresh_from_db()
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if not request.htmx:
        if error:
            from django.contrib import messages

            messages.error(request, error)
        return redirect(buyer)
    context = status_context(buyer, request.user, error=error, saved=error is None)
    return render(request, "centers/includes/_buyer_status.html", context)
