from django import forms
from django.utils.translation import gettext_lazy as _

from jntp.forms import BootstrapFormMixin, TimeZoneChoiceField
from jntp.users.models import User


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    time_zone = TimeZoneChoiceField(
        label=_("Time zone"), help_text=_("Times on every page are shown in this zone.")
    )

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "language", "time_zone")
