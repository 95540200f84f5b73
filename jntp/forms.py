from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jntp import codes


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes, and mark fields with errors as invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = " ".join(c for c in (widget.attrs.get("class", ""), css) if c)

    def full_clean(self):
        # Mark invalid fields only after validation: reading self.errors in __init__ would validate
        # before a subclass has set its querysets.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
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
