"""The shared form pieces: Bootstrap classes, invalid marks, HS code fields."""

import pytest
from django import forms
from django.urls import reverse

from jntp.forms import BootstrapFormMixin, HSCodeField, HSCodeListField
from matching.models import Consultation
from tests import factories as f

pytestmark = pytest.mark.django_db


class _ChoiceForm(BootstrapFormMixin, forms.Form):
    pick = forms.ChoiceField(choices=[])
    gone = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pick"].choices = [("a", "A")]
        del self.fields["gone"]


def test_a_bound_form_validates_after_its_subclass_has_set_its_fields():
    form = _ChoiceForm({"pick": "a"})
    assert form.is_valid(), form.errors
    assert form.fields["pick"].widget.attrs["class"] == "form-select"


def test_fields_with_errors_are_marked_invalid_once_including_errors_added_later():
    form = _ChoiceForm({"pick": "zzz"})
    assert not form.is_valid()
    form.add_error("pick", "Another problem")
    assert form.fields["pick"].widget.attrs["class"].split() == ["form-select", "is-invalid"]


def test_the_consultation_form_saves_a_consultation(client, staff_user):
    """It validated before its match queryset was set, and refused every match."""
    match = f.MatchFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:consultation_create"),
        {
            "match": match.pk,
            "date": "2030-01-10",
            "time": "10:00",
            "time_basis": "korea",
            "duration_minutes": 60,
            "mode": "online_video",
            "status": "scheduled",
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.filter(match=match).exists()


@pytest.mark.parametrize(
    ("typed", "code"), [("2008.99", "200899"), ("2008-99", "200899"), (" 030211 ", "030211")]
)
def test_an_hs_code_is_typed_as_people_write_it(typed, code):
    assert HSCodeField().clean(typed) == code


def test_an_hs_code_list_cleans_to_distinct_sorted_codes_and_names_each_bad_one():
    field = HSCodeListField()
    assert field.clean("2008.99, 0302.11; 200899\n8507.60") == ["030211", "200899", "850760"]
    assert field.clean("") == []
    with pytest.raises(forms.ValidationError) as error:
        field.clean("2008.99, 7701.10, 12")
    assert len(error.value.messages) == 2
    assert "7701.10" in error.value.messages[0]


# --- Selects written in Python ----------------------------------------------------------------------
class _Selects(forms.Form):
    one = forms.ChoiceField(
        choices=[("", "---"), ("x", 'Seoul <&> "Busan"'), ("Japan", [("osa", "Osaka"), ("tyo", "Tokyo")])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two"), ("3", "three")], required=False)
    flag = forms.NullBooleanField(widget=forms.NullBooleanSelect)
    plain = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


class _QuickSelects(BootstrapFormMixin, _Selects):
    pass


def _normalised(html) -> str:
    import re

    return re.sub(r">\s+<", "><", str(html).replace(' class="form-select"', "")).strip()


@pytest.mark.parametrize("data", [None, {"one": "tyo", "many": ["1", "3"], "flag": "false"}])
def test_selects_write_the_same_html_as_djangos_templates(data):
    django_form, quick_form = _Selects(data), _QuickSelects(data)
    for name in ("one", "many", "flag"):
        assert _normalised(quick_form[name]) == _normalised(django_form[name])
    assert "Seoul &lt;&amp;&gt; &quot;Busan&quot;" in str(quick_form["one"])
    if data:
        assert '<option value="tyo" selected>Tokyo</option>' in str(quick_form["one"])
        assert str(quick_form["many"]).count(" selected") == 2


def test_a_widget_with_its_own_template_keeps_it():
    class Custom(forms.Select):
        template_name = "django/forms/widgets/radio.html"

    class Form(BootstrapFormMixin, forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=Custom)

    html = str(Form()["pick"])
    assert html.startswith('<div id="id_pick"') and "<select" not in html
