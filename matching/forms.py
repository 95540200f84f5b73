from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Buyer
from jntp.forms import (
    BootstrapFormMixin,
    CountryChoiceField,
    CountryMultipleChoiceField,
    CurrencyChoiceField,
    DateInput,
    HSCodeField,
    VersionedModelForm,
)
from jntp.validators import normalize_business_registration_number, validate_business_registration_number
from matching.models import Company, Consultation, ExportEvent, Match, Outcome, Product


class MatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, match):
        return f"{match.company.name} ↔ {match.buyer.name} ({match.buyer.center.code})"


def business_hours_warning(starts_at: datetime, center) -> str | None:
    """A slot outside the center's opening hours is allowed (buyers meet late), but worth a warning."""
    local = timezone.localtime(starts_at, ZoneInfo(center.time_zone))
    if center.business_hours_start <= local.time() < center.business_hours_end and local.weekday() < 5:
        return None
    return _(
        "This slot is %(time)s on %(day)s in %(city)s, outside the center's business hours "
        "(%(start)s–%(end)s, Monday to Friday)."
    ) % {
        "time": local.strftime("%H:%M"),
        "day": local.strftime("%a %Y-%m-%d"),
        "city": center.city,
        "start": center.business_hours_start.strftime("%H:%M"),
        "end": center.business_hours_end.strftime("%H:%M"),
    }


class ConsultationForm(VersionedModelForm):
    """A consultation, with its time entered in Korea time or in the center's local time."""

    class TimeBasis:
        KOREA = "korea"
        CENTER = "center"

    match = MatchChoiceField(queryset=Match.objects.none(), label=_("Company and buyer"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    time_basis = forms.ChoiceField(
        label=_("Time entered in"),
        choices=[("korea", _("Korea time (KST)")), ("center", _("the center's local time"))],
        initial="korea",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Consultation
        fields = (
            "match",
            "duration_minutes",
            "mode",
            "event",
            "interpreter",
            "status",
            "consulted_amount_usd",
            "expected_contract_usd",
            "interest_level",
            "summary",
            "next_step",
            "follow_up_on",
        )
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "follow_up_on": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []
        self.fields["match"].queryset = (
            Match.objects.visible_to(user).with_relations().order_by("company__name_ko", "buyer__name")
        )
        if self.instance.pk:
            korea = timezone.localtime(self.instance.starts_at, ZoneInfo(settings.TIME_ZONE))
            self.initial.update(date=korea.date(), time=korea.time(), time_basis="korea")
        for name in ("consulted_amount_usd", "expected_contract_usd"):
            self.fields[name].widget.attrs.update(min=0, step="1")

    def clean(self):
        cleaned = super().clean()
        match, day, time = cleaned.get("match"), cleaned.get("date"), cleaned.get("time")
        if match and day and time:
            zone = (
                match.buyer.center.time_zone if cleaned.get("time_basis") == "center" else settings.TIME_ZONE
            )
            cleaned["starts_at"] = datetime.combine(day, time, tzinfo=ZoneInfo(zone))
            warning = business_hours_warning(cleaned["starts_at"], match.buyer.center)
            if warning:
                self.warnings.append(warning)
        return cleaned

    def model_data(self) -> dict:
        data = super().model_data()
        data["starts_at"] = self.cleaned_data["starts_at"]
        return data


# --- Companies -----------------------------------------------------------------------------------------
class BusinessRegistrationNumberField(forms.CharField):
    """사업자등록번호, typed with or without hyphens, shown as 124-81-00998, stored as its 10 digits."""

    default_validators = [validate_business_registration_number]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="numeric", placeholder="124-81-00998", autocomplete="off")

    def to_python(self, value):
        return normalize_business_registration_number(super().to_python(value))

    def prepare_value(self, value):
        if isinstance(value, str) and len(value) == 10 and value.isdigit():
            return f"{value[:3]}-{value[3:5]}-{value[5:]}"
        return value


class CompanyForm(VersionedModelForm):
    """A company's profile. Staff see every field; a company user edits its own company but not its
    business registration number (the field is not in its form, so a posted value is ignored)."""

    business_registration_number = BusinessRegistrationNumberField(
        label=_("Business registration number"), help_text=_("10 digits, like 124-81-00998.")
    )
    target_countries = CountryMultipleChoiceField(
        label=_("Target countries"),
        required=False,
        help_text=_("The markets the company wants to sell in; the ones chosen come first."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Company
        fields = (
            "name_ko",
            "name_en",
            "business_registration_number",
            "city_county",
            "industry",
            "export_experience",
            "employees",
            "annual_revenue_krw",
            "representative",
            "email",
            "phone",
            "website",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role != "staff":
            del self.fields["business_registration_number"]
        if self.instance.pk:
            self.initial.setdefault(
                "target_countries", [t.country for t in self.instance.target_countries.all()]
            )
        # The chosen countries first, then the rest by name: no scrolling through 250 to see them.
        field = self.fields["target_countries"]
        chosen = set(
            self.data.getlist("target_countries")
            if self.is_bound
            else self.initial.get("target_countries", [])
        )
        field.choices = sorted(field.choices, key=lambda choice: choice[0] not in chosen)
        for name in ("employees", "annual_revenue_krw"):
            self.fields[name].widget.attrs.update(min=0, step="1")


class ProductForm(BootstrapFormMixin, forms.ModelForm):
    hs_code = HSCodeField(label=_("HS code"))

    class Meta:
        model = Product
        fields = ("name_ko", "name_en", "hs_code", "unit_price_usd")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_price_usd"].widget.attrs.update(min=0, step="0.01")


ProductFormSet = forms.inlineformset_factory(
    Company, Product, form=ProductForm, extra=2, can_delete=True, max_num=200, validate_max=True
)


def product_rows(formset) -> list[dict]:
    """The products a valid formset describes, for company_create/company_update: every row kept
    (with its pk when it exists), blank extra rows and rows marked for deletion left out."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        row = {name: form.cleaned_data.get(name) for name in ProductForm._meta.fields}
        row["name_en"] = row["name_en"] or ""
        row["pk"] = form.instance.pk
        rows.append(row)
    return rows


# --- Matches -------------------------------------------------------------------------------------------
class BuyerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, buyer):
        return f"{buyer.name} · {buyer.center.code} · {buyer.country}"


class MatchCreateForm(VersionedModelForm):
    company = forms.ModelChoiceField(queryset=Company.objects.none(), label=_("Company"))
    buyer = BuyerChoiceField(queryset=Buyer.objects.none(), label=_("Buyer"))

    class Meta:
        model = Match
        fields = ("company", "buyer", "source", "contact_shared", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name_ko")
        self.fields["buyer"].queryset = (
            Buyer.objects.visible_to(user).select_related("center").order_by("center__code", "name")
        )


class MatchUpdateForm(VersionedModelForm):
    class Meta:
        model = Match
        fields = ("stage", "contact_shared", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        match = self.instance
        allowed = {match.stage, *(s for s in Match.Stage.values if match.can_move_to(s))}
        self.fields["stage"].choices = [(v, label) for v, label in Match.Stage.choices if v in allowed]
        self.fields["stage"].help_text = _("A match moves forward, or to won, lost or closed.")


# --- Outcomes ------------------------------------------------------------------------------------------
class ConsultationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, c):
        when = timezone.localtime(c.starts_at, ZoneInfo(settings.TIME_ZONE))
        return f"{when:%Y-%m-%d} · {c.match.company.name} ↔ {c.match.buyer.name}"


class OutcomeForm(VersionedModelForm):
    match = MatchChoiceField(queryset=Match.objects.none(), label=_("Company and buyer"))
    consultation = ConsultationChoiceField(
        queryset=Consultation.objects.none(),
        required=False,
        label=_("Consultation"),
        help_text=_("The consultation it came from, if any; it must belong to the same match."),
    )
    currency = CurrencyChoiceField(label=_("Currency"), initial="USD")

    class Meta:
        model = Outcome
        fields = (
            "match",
            "kind",
            "signed_on",
            "amount",
            "currency",
            "event",
            "consultation",
            "title",
            "notes",
        )
        widgets = {"signed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = (
            Match.objects.visible_to(user).with_relations().order_by("company__name_ko", "buyer__name")
        )
        self.fields["consultation"].queryset = (
            Consultation.objects.visible_to(user).with_relations().order_by("-starts_at")
        )
        self.fields["event"].queryset = ExportEvent.objects.visible_to(user)
        self.fields["amount"].widget.attrs.update(min=0, step="0.01")
        self.fields["amount"].help_text = _(
            "Counted in USD at the stored rate of the month of signing. An MOU may have no amount."
        )


# --- Export events -------------------------------------------------------------------------------------
class ExportEventForm(VersionedModelForm):
    country = CountryChoiceField(label=_("Country"))

    class Meta:
        model = ExportEvent
        fields = (
            "code",
            "name_ko",
            "name_en",
            "kind",
            "starts_on",
            "ends_on",
            "city",
            "country",
            "description",
        )
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
