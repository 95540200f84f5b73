from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jntp.spreadsheets import Column
from jntp.timeline import Entry, history_entries, newest_first
from jntp.validators import format_hs_code
from jntp.views import (
    FilteredListView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    filtered_list_url,
)
from matching import services
from matching.filtersets import CompanyFilterSet
from matching.forms import CompanyForm, ProductFormSet, product_rows
from matching.models import Company, Consultation, FollowUp, Match, Outcome, Product, SampleShipment
from matching.timeline import (
    consultation_entries,
    follow_up_entries,
    match_entries,
    outcome_entries,
    shipment_entries,
)

RECENT = 10  # rows of each kind on a company's page; the lists behind the links have the rest


class CompanyListView(FilteredListView):
    model = Company
    filterset_class = CompanyFilterSet
    template_name = "matching/company_list.html"
    sort_fields = {
        "name": "name_ko",
        "city_county": "city_county",
        "industry": "industry",
        "export_experience": "export_experience",
        "employees": "employees",
        "matches": "match_count",
        "consultations": "consultation_count",
        "outcomes": "outcome_count",
    }
    default_sort = "name"
    export_name = "companies"
    export_columns = [
        Column(gettext_lazy("Name (Korean)"), lambda c: c.name_ko),
        Column(gettext_lazy("Name (English)"), lambda c: c.name_en),
        Column(gettext_lazy("Business registration number"), lambda c: c.formatted_registration_number),
        Column(gettext_lazy("City or county"), lambda c: c.get_city_county_display()),
        Column(gettext_lazy("Industry"), lambda c: c.get_industry_display()),
        Column(gettext_lazy("Export experience"), lambda c: c.get_export_experience_display()),
        Column(gettext_lazy("Employees"), lambda c: c.employees),
        Column(gettext_lazy("Yearly revenue (KRW)"), lambda c: c.annual_revenue_krw),
        Column(gettext_lazy("Representative"), lambda c: c.representative),
        Column(gettext_lazy("E-mail"), lambda c: c.email),
        Column(gettext_lazy("Phone"), lambda c: c.phone),
        Column(gettext_lazy("Website"), lambda c: c.website),
        Column(
            gettext_lazy("Products (HS code)"),
            lambda c: "; ".join(f"{p.name_ko} ({format_hs_code(p.hs_code)})" for p in c.products.all()),
        ),
        Column(
            gettext_lazy("Target countries"), lambda c: ", ".join(t.country for t in c.target_countries.all())
        ),
        Column(gettext_lazy("Matches"), lambda c: c.match_count),
        Column(gettext_lazy("Consultations"), lambda c: c.consultation_count),
        Column(gettext_lazy("Outcomes"), lambda c: c.outcome_count),
    ]

    def base_queryset(self):
        return Company.objects.with_relations().with_counts(self.request.user)


class CompanyDetailView(ScopedDetailView):
    model = Company
    template_name = "matching/company_detail.html"

    def get_queryset(self):
        user = self.request.user
        return super().get_queryset().with_profile(user).with_record_totals(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, company = self.request.user, self.object
        matches = list(
            Match.objects.visible_to(user)
            .filter(company=company)
            .with_relations()
            .with_counts(user)
            .order_by("-created_at", "-pk")[:RECENT]
        )
        consultations = list(
            Consultation.objects.visible_to(user)
            .filter(match__company=company)
            .with_relations()
            .order_by("-starts_at", "-pk")[:RECENT]
        )
        shipments = list(
            SampleShipment.objects.visible_to(user)
            .filter(company=company)
            .with_relations()
            .with_totals()
            .order_by("-created_at", "-pk")[:RECENT]
        )
        outcomes = list(
            Outcome.objects.visible_to(user)
            .filter(match__company=company)
            .with_relations()
            .order_by("-signed_on", "-pk")[:RECENT]
        )
        follow_ups = list(
            FollowUp.objects.visible_to(user)
            .filter(match__company=company)
            .select_related("assignee")
            .order_by(FollowUp.still_to_do().desc(), "due_at", "pk")[:RECENT]
        )
        context.update(
            matches=matches,
            consultations=consultations,
            shipments=shipments,
            outcomes=outcomes,
            follow_ups=follow_ups,
            target_countries=sorted(company.target_country_codes),
            account_names=sorted(company.account_names),
            can_edit=user.role == "staff" or user.company_id == company.pk,
            links={
                "matches": filtered_list_url("matching:match_list", company=company.pk),
                "consultations": filtered_list_url("matching:consultation_list", company_id=company.pk),
                "shipments": filtered_list_url("matching:shipment_list", company=company.pk),
                "outcomes": filtered_list_url("matching:outcome_list", company=company.pk),
            },
            timeline=newest_first(
                history_entries(company),
                _product_entries(company),
                match_entries(matches, name_of=lambda m: m.buyer),
                consultation_entries(consultations),
                shipment_entries(shipments),
                outcome_entries(outcomes),
                follow_up_entries(follow_ups),
            ),
        )
        return context


def _product_entries(company) -> list[Entry]:
    """Products added to and removed from the company (their own audit history)."""
    records = (
        Product.history.filter(company_id=company.pk, history_type__in=["+", "-"])
        .select_related("history_user")
        .order_by("history_date")
    )
    return [
        Entry(
            r.history_date,
            "plus-square" if r.history_type == "+" else "dash-square",
            (_("Product added: %(name)s") if r.history_type == "+" else _("Product removed: %(name)s"))
            % {"name": f"{r.name_ko} ({format_hs_code(r.hs_code)})"},
            actor=r.history_user,
        )
        for r in records
    ]


class CompanyFormView(ScopedFormView):
    """The company's profile with its products (a formset) and target countries, saved together."""

    model = Company
    form_class = CompanyForm
    template_name = "matching/company_form.html"
    created_message = gettext_lazy("Company saved.")

    def get_queryset(self):
        return super().get_queryset().with_relations()

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ProductFormSet(data, instance=self.object or Company(), prefix="products")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        self.formset = self.get_formset()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def save(self, form):
        user = self.request.user
        products = product_rows(self.formset)
        countries = form.cleaned_data["target_countries"]
        try:
            if self.object is None:
                return services.company_create(
                    data=form.model_data(), products=products, target_countries=countries, by=user
                )
            return services.company_update(
                company=self.object,
                data=form.model_data(),
                products=products,
                target_countries=countries,
                expected_version=form.cleaned_data["version"],
                by=user,
            )
        except ValidationError as error:
            # A product problem the formset could not see (e.g. removing a product that went out as
            # a sample) goes above the products; the rest next to the company's fields.
            if hasattr(error, "error_dict") and "products" in error.error_dict:
                self.formset.non_form_errors().extend(error.error_dict.pop("products"))
                if not error.error_dict:
                    raise ValidationError(_("Check the products below.")) from None
            raise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = getattr(self, "formset", None) or self.get_formset()
        return context


class CompanyCreateView(CompanyFormView):
    allowed_roles = ("staff",)


class CompanyUpdateView(CompanyFormView):
    """Staff, or a user of the company itself (its other companies are a 404 by visible_to)."""

    allowed_roles = ("staff", "company")
    updated_message = gettext_lazy("Company profile saved.")


class CompanyDeleteView(ScopedDeleteView):
    model = Company
    success_url = reverse_lazy("matching:company_list")
