"""Recommendations on the company and buyer pages: staff turn one into a match with one click or
dismiss it with a reason; a center manager proposes a match for a buyer of the center to staff.

The panels load with their own (htmx) request, so a detail page stays within its query budget.
Company users never see recommendations (matching.recommendations.may_see_recommendations)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from centers.models import Buyer
from jntp.forms import BootstrapFormMixin
from matching import services
from matching.models import Company, RecommendationDismissal
from matching.recommendations import may_see_recommendations, recommended_buyers, recommended_companies

PANEL_SIZE = 10


class DismissForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RecommendationDismissal.Reason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ProposeForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note for staff"), required=False, max_length=300)


def _panel(request, *, recommendations, side, subject, dismissals):
    return render(
        request,
        "matching/includes/_recommendations.html",
        {
            "recommendations": recommendations,
            "side": side,  # "buyers" (for a company) or "companies" (for a buyer)
            "subject": subject,
            "dismissals": dismissals,
            "dismiss_form": DismissForm(),
            "propose_form": ProposeForm(),
        },
    )


@login_required
def company_recommendations(request, pk: int):
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=pk)
    if not may_see_recommendations(request.user):
        raise PermissionDenied
    dismissals = (
        RecommendationDismissal.objects.visible_to(request.user)
        .filter(company=company)
        .select_related("buyer__center", "dismissed_by")
        .order_by("-dismissed_at")
    )
    return _panel(
        request,
        side="buyers",
        subject=company,
        recommendations=recommended_buyers(company=company, user=request.user, limit=PANEL_SIZE),
        dismissals=list(dismissals) if request.user.role == "staff" else [],
    )


@login_required
def buyer_recommendations(request, pk: int):
    buyer = get_object_or_404(Buyer.objects.visible_to(request.user), pk=pk)
    if not may_see_recommendations(request.user):
        raise PermissionDenied
    dismissals = (
        RecommendationDismissal.objects.visible_to(request.user)
        .filter(buyer=buyer)
        .select_related("company", "dismissed_by")
        .order_by("-dismissed_at")
    )
    return _panel(
        request,
        side="companies",
        subject=buyer,
        recommendations=recommended_companies(buyer=buyer, user=request.user, limit=PANEL_SIZE),
        dismissals=list(dismissals) if request.user.role == "staff" else [],
    )


def _pair(request, company_pk: int, buyer_pk: int, *, role: str) -> tuple[Company, Buyer]:
    """The pair of an action by `role`. The buyer must be the user's to see (another center's is a 404,
    before the role is looked at). A center
    manager sees the recommended companies of the center's buyers, so the company is looked up in the
    whole register for them; staff see every company anyway."""
    buyer = get_object_or_404(Buyer.objects.visible_to(request.user), pk=buyer_pk)
    if request.user.role != role:
        raise PermissionDenied
    company = get_object_or_404(Company.objects.all(), pk=company_pk)
    return company, buyer


def _row_result(request, *, company, buyer, kind: str, match=None, error=None, status=200) -> HttpResponse:
    return render(
        request,
        "matching/includes/_recommendation_result.html",
        {
            "company": company,
            "buyer": buyer,
            "kind": kind,
            "match": match,
            "error": error,
        },
        status=status,
    )


def _answer(request, fallback, **result):
    if request.htmx:
        return _row_result(request, **result)
    if result.get("error"):
        from django.contrib import messages

        messages.error(request, result["error"])
    return redirect(fallback)


@require_POST
@login_required
def recommendation_accept(request, company_pk: int, buyer_pk: int):
    company, buyer = _pair(request, company_pk, buyer_pk, role="staff")
    try:
        match = services.recommendation_accept(company=company, buyer=buyer, by=request.user)
    except ValidationError as error:
        return _answer(
            request, company, company=company, buyer=buyer, kind="error", error=" ".join(error.messages)
        )
    return _answer(request, match, company=company, buyer=buyer, kind="matched", match=match)


@require_POST
@login_required
def recommendation_dismiss(request, company_pk: int, buyer_pk: int):
    company, buyer = _pair(request, company_pk, buyer_pk, role="staff")
    form = DismissForm(request.POST)
    if not form.is_valid():
        message = " ".join(m for errors in form.errors.values() for m in errors)
        return _answer(request, company, company=company, buyer=buyer, kind="error", error=message)
    try:
        services.recommendation_dismiss(company=company, buyer=buyer, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _answer(
            request, company, company=company, buyer=buyer, kind="error", error=" ".join(error.messages)
        )
    return _answer(request, company, company=company, buyer=buyer, kind="dismissed")


@require_POST
@login_required
def match_propose(request, company_pk: int, buyer_pk: int):
    company, buyer = _pair(request, company_pk, buyer_pk, role="center")
    form = ProposeForm(request.POST)
    form.is_valid()
    try:
        services.match_proposal_create(
            company=company, buyer=buyer, by=request.user, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        return _answer(
            request, buyer, company=company, buyer=buyer, kind="error", error=" ".join(error.messages)
        )
    return _answer(request, buyer, company=company, buyer=buyer, kind="proposed")


@require_POST
@login_required
def recommendation_restore(request, pk: int):
    dismissal = get_object_or_404(RecommendationDismissal.objects.visible_to(request.user), pk=pk)
    services.recommendation_restore(dismissal=dismissal, by=request.user)
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/") else dismissal.company
    )
