from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jntp.forms import DateInput, VersionedModelForm
from matching.models import Consultation, Match


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
