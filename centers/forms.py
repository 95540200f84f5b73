from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import Buyer, Center
from jntp.forms import (
    CountryChoiceField,
    CurrencyChoiceField,
    HSCodeListField,
    TimeZoneChoiceField,
    VersionedModelForm,
)


class CenterForm(VersionedModelForm):
    country = CountryChoiceField(label=_("Country"))
    time_zone = TimeZoneChoiceField(
        label=_("Time zone"), help_text=_("Consultations are shown in this zone as the center's local time.")
    )
    currency = CurrencyChoiceField(label=_("Currency"))

    class Meta:
        model = Center
        fields = (
            "code",
            "name_ko",
            "name_en",
            "country",
            "city",
            "time_zone",
            "currency",
            "operating_partner",
            "head_name",
            "email",
            "phone",
            "business_hours_start",
            "business_hours_end",
            "is_active",
        )
        widgets = {
            "business_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "business_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocapitalize="characters", spellcheck="false")


class BuyerForm(VersionedModelForm):
    """A buyer's facts and HS interests. The pipeline status is not edited here (it moves through its
    own control, which keeps every move). A center manager's buyers always belong to their center:
    the form has no center field for them, so no posted value can move a buyer elsewhere."""

    country = CountryChoiceField(label=_("Country"))
    hs_codes = HSCodeListField(
        label=_("HS codes of interest"),
        help_text=_("6-digit HS codes separated by commas, like 2008.99, 0302.11."),
    )

    class Meta:
        model = Buyer
        fields = (
            "center",
            "name",
            "country",
            "city",
            "business_type",
            "contact_name",
            "email",
            "phone",
            "website",
            "annual_import_usd",
            "notes",
        )
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == "staff":
            self.fields["center"].queryset = Center.objects.visible_to(user).order_by("code")
        else:
            del self.fields["center"]
            if not self.instance.pk:
                # So the form's own checks (one buyer of a name per center) see the right center.
                self.instance.center_id = user.center_id
        if self.instance.pk:
            self.initial.setdefault("hs_codes", [i.hs_code for i in self.instance.interests.all()])
        self.fields["annual_import_usd"].widget.attrs.update(min=0, step="1")

    def model_data(self) -> dict:
        data = super().model_data()
        data.pop("center", None)
        return data
