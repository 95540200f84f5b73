import re
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jntp import codes
from jntp.validators import format_hs_code, normalize_hs_code, validate_hs_code

SELECT_TEMPLATE = forms.Select.template_name


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True alone, False and None left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class QuickOptionsMixin:
    """A select that writes its options in Python. Django renders each <option> through a template;
    a filter over the national register holds a few hundred, and that alone took 40% of a list
    page's time. Same HTML, from the same optgroups(); a widget with its own template is left to it."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != SELECT_TEMPLATE:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else o["value"], _attributes(o["attrs"]), o["label"])
                    for o in options
                ),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, rendered) if group else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("".join(groups)),
        )


@cache
def _quick(widget_class: type) -> type:
    return type(widget_class.__name__, (QuickOptionsMixin, widget_class), {"__module__": __name__})


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes, and mark fields with errors as invalid.

    Fields are marked invalid as errors are added, not in __init__: reading `errors` there would
    validate a bound form before a subclass has set its fields' querysets or removed fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
                if not isinstance(widget, QuickOptionsMixin):
                    widget.__class__ = _quick(type(widget))
            else:
                css = "form-control"
            widget.attrs["class"] = " ".join(c for c in (widget.attrs.get("class", ""), css) if c)

    def add_error(self, field, error):
        # Every error passes here: a field's own, clean()'s, the model's, and a service's afterwards.
        super().add_error(field, error)
        for name in self._errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class VersionedModelForm(BootstrapFormMixin, forms.ModelForm):
    """A model form that carries the version of the row it was opened on (see jntp.services.model_update)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise ValidationError(_("The form is incomplete; reload the page."))
        return version

    def model_data(self) -> dict:
        """The cleaned values of the model's own fields, for a service."""
        return {name: value for name, value in self.cleaned_data.items() if name in self._meta.fields}

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the fields it names, or on top of the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class CountryChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=lambda: [("", "---------"), *codes.country_choices()], **kwargs)


class CountryMultipleChoiceField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=codes.country_choices, **kwargs)


class CurrencyChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=codes.currency_choices, **kwargs)


class TimeZoneChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=codes.time_zone_choices, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HSCodeField(forms.CharField):
    """A 6-digit HS subheading, typed as 200899, 2008.99 or 2008-99; cleaned to its 6 digits."""

    default_validators = [validate_hs_code]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("placeholder", "2008.99")

    def to_python(self, value):
        return normalize_hs_code(super().to_python(value))

    def prepare_value(self, value):
        return format_hs_code(value) if isinstance(value, str) else value


class HSCodeListField(forms.CharField):
    """Several HS codes in one box, separated by commas, semicolons, spaces or lines. Cleans to a
    sorted list of distinct 6-digit codes; each bad code is named in the error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "2008.99, 0302.11")

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(format_hs_code(code) for code in value)
        return value

    def clean(self, value):
        parts = [part for part in re.split(r"[,;\s]+", super().clean(value) or "") if part]
        codes_, errors = set(), []
        for part in parts:
            try:
                validate_hs_code(part)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                codes_.add(normalize_hs_code(part))
        if errors:
            raise ValidationError(errors)
        return sorted(codes_)
