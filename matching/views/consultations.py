from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from jntp.spreadsheets import Column
from jntp.timeline import Entry, history_entries, newest_first
from jntp.views import FilteredListView, RoleRequiredMixin, ScopedDeleteView, ScopedDetailView
from matching import services
from matching.filtersets import ConsultationFilterSet
from matching.forms import ConsultationForm, business_hours_warning
from matching.models import Consultation, Match

KST = ZoneInfo(settings.TIME_ZONE)


class ConsultationListView(FilteredListView):
    model = Consultation
    filterset_class = ConsultationFilterSet
    template_name = "matching/consultation_list.html"
    sort_fields = {
        "starts_at": "starts_at",
        "company": "match__company__name_ko",
        "buyer": "match__buyer__name",
        "center": "match__buyer__center__code",
        "consulted": "consulted_amount_usd",
        "expected": "expected_contract_usd",
    }
    default_sort = "-starts_at"
    export_name = "consultations"
    export_columns = [
        Column(
            gettext_lazy("Date and time (KST)"), lambda c: c.starts_at.astimezone(KST).replace(tzinfo=None)
        ),
        Column(
            gettext_lazy("Center local time"),
            lambda c: c.starts_at.astimezone(ZoneInfo(c.match.buyer.center.time_zone)).replace(tzinfo=None),
        ),
        Column(gettext_lazy("Company"), lambda c: c.match.company.name),
        Column(gettext_lazy("Buyer"), lambda c: c.match.buyer.name),
        Column(gettext_lazy("Country"), lambda c: c.match.buyer.country),
        Column(gettext_lazy("Center"), lambda c: c.match.buyer.center.code),
        Column(gettext_lazy("Mode"), lambda c: c.get_mode_display()),
        Column(gettext_lazy("Event"), lambda c: c.event.name if c.event else ""),
        Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
        Column(gettext_lazy("Consulted (USD)"), lambda c: c.consulted_amount_usd),
        Column(gettext_lazy("Expected contract (USD)"), lambda c: c.expected_contract_usd),
        Column(gettext_lazy("Interest"), lambda c: c.interest_level),
        Column(gettext_lazy("Summary"), lambda c: c.summary),
        Column(gettext_lazy("Next step"), lambda c: c.next_step),
    ]

    def base_queryset(self):
        return Consultation.objects.with_relations()


class ConsultationDetailView(ScopedDetailView):
    model = Consultation
    template_name = "matching/consultation_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_relations().select_related("created_by", "result_logged_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.object
        shipments = list(consultation.shipments.visible_to(self.request.user).select_related("center"))
        outcomes = list(consultation.outcomes.all())
        context.update(
            shipments=shipments,
            outcomes=outcomes,
            warning=business_hours_warning(consultation.starts_at, consultation.match.buyer.center),
            timeline=newest_first(
                history_entries(consultation),
                [
                    Entry(
                        s.created_at,
                        "box-seam",
                        _("Sample request: %(status)s") % {"status": s.get_status_display()},
                        url=s.get_absolute_url(),
                    )
                    for s in shipments
                ],
                [
                    Entry(o.created_at, "award", o.get_kind_display(), body=o.title, url=o.get_absolute_url())
                    for o in outcomes
                ],
            ),
        )
        return context


class ConsultationFormView(RoleRequiredMixin, FormView):
    """Create (no pk) or edit a consultation. Staff and center managers; a company user reads only."""

    allowed_roles = ("staff", "center")
    form_class = ConsultationForm
    template_name = "matching/consultation_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs and request.user.is_authenticated:
            from django.shortcuts import get_object_or_404

            self.object = get_object_or_404(Consultation.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        match_id = self.request.GET.get("match")
        if self.object is None and match_id and match_id.isdigit():
            match = Match.objects.visible_to(self.request.user).filter(pk=match_id).first()
            if match:
                initial["match"] = match
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def form_valid(self, form):
        try:
            if self.object is None:
                data = form.model_data()
                consultation = services.consultation_create(created_by=self.request.user, **data)
                messages.success(self.request, _("Consultation saved."))
            else:
                consultation = services.consultation_update(
                    consultation=self.object,
                    data=form.model_data(),
                    expected_version=form.cleaned_data["version"],
                    by=self.request.user,
                )
                messages.success(self.request, _("Changes saved."))
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        for warning in form.warnings:
            messages.warning(self.request, warning)
        return redirect(consultation)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}


class ConsultationDeleteView(ScopedDeleteView):
    model = Consultation

    def get_success_url(self):
        from django.urls import reverse

        return reverse("matching:consultation_list")


@login_required
def consultation_time_preview(request):
    """htmx: the chosen slot in Korea time and in the center's local time, with any warning."""
    form = ConsultationForm(request.GET, user=request.user)
    form.is_valid()  # only the time fields matter here
    starts_at = form.cleaned_data.get("starts_at")
    match = form.cleaned_data.get("match")
    return render(
        request,
        "matching/includes/_time_preview.html",
        {
            "starts_at": starts_at,
            "center": match.buyer.center if match else None,
            "warning": form.warnings[0] if form.warnings else None,
        },
    )
