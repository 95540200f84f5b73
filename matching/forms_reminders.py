"""Forms of the follow-up pages: they parse and validate, the services write."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Buyer
from jntp.users.models import User
from matching.models import Consultation, FollowUp, Match, Outcome, SampleShipment
from matching.services.followups import ACTIVE_STATES, hand_on_candidates

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def tomorrow_at_nine():
    """Tomorrow at 9 in the zone of the user (the middleware activates it)."""
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9)))


class FollowUpFilterSet(django_filters.FilterSet):
    ACTIVE = "active"
    STATES = [(ACTIVE, _("Open or snoozed")), *FollowUp.State.choices]

    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(
        choices=STATES, method="filter_state", label=_("State"), empty_label=_("Any")
    )
    rule = django_filters.ChoiceFilter(choices=FollowUp.Rule.choices, label=_("Created by"))
    mine = django_filters.BooleanFilter(
        method="filter_mine", label=_("Only mine"), widget=forms.CheckboxInput
    )
    assignee_id = django_filters.NumberFilter(field_name="assignee_id", widget=forms.HiddenInput)

    class Meta:
        model = FollowUp
        fields = ["q", "state", "rule", "mine", "assignee_id"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", self.ACTIVE)
        super().__init__(data, *args, **kwargs)
        for name in ("state", "rule"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        self.form.fields["mine"].widget.attrs["class"] = "form-check-input"

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(notes__icontains=value))

    def filter_state(self, queryset, name, value):
        if value == self.ACTIVE:
            return queryset.filter(state__in=ACTIVE_STATES)
        return queryset.filter(state=value)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset


class SnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Remind me again on"), input_formats=[DATETIME_LOCAL], widget=DateTimeLocalInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = tomorrow_at_nine


class HandOnForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Hand on to"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Note for them"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, follow_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = hand_on_candidates(user, follow_up).order_by("role", "username")
        if follow_up is not None:
            candidates = candidates.exclude(pk=follow_up.assignee_id)
        self.fields["to"].queryset = candidates


class FollowUpCreateForm(forms.Form):
    """A follow-up by hand. What it is about comes from the link that opened the form
    (e.g. /follow-ups/new/?consultation=12)."""

    title = forms.CharField(label=_("What is to be done"), max_length=200)
    due_at = forms.DateTimeField(label=_("Due"), input_formats=[DATETIME_LOCAL], widget=DateTimeLocalInput())
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.filter(is_active=True).order_by("role", "username")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    match = forms.ModelChoiceField(queryset=Match.objects.none(), required=False, widget=forms.HiddenInput)
    consultation = forms.ModelChoiceField(
        queryset=Consultation.objects.none(), required=False, widget=forms.HiddenInput
    )
    shipment = forms.ModelChoiceField(
        queryset=SampleShipment.objects.none(), required=False, widget=forms.HiddenInput
    )
    buyer = forms.ModelChoiceField(queryset=Buyer.objects.none(), required=False, widget=forms.HiddenInput)
    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.none(), required=False, widget=forms.HiddenInput
    )

    TARGETS = {
        "match": Match,
        "consultation": Consultation,
        "shipment": SampleShipment,
        "buyer": Buyer,
        "outcome": Outcome,
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_at"].initial = tomorrow_at_nine
        for field in self.visible_fields():
            field.field.widget.attrs["class"] = "form-select" if field.name == "assignee" else "form-control"
        for name, model in self.TARGETS.items():
            self.fields[name].queryset = model.objects.visible_to(user)
