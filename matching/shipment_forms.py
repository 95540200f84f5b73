"""Forms of the sample-shipment workflow: the request with its items and documents, and each step."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centers.models import Center
from jntp.forms import BootstrapFormMixin
from jntp.uploads import clean_image, clean_pdf
from matching.couriers import Courier, check_tracking_number
from matching.models import Match, Product, SampleShipment

MAX_PHOTOS = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ShipmentRequestForm(BootstrapFormMixin, forms.Form):
    """Where the samples go, why, and the invoice and photos. Items come in a formset beside it."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    destination = forms.ChoiceField(label=_("Send to"))
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the buyer or center will do with the samples (tasting, certification, showroom, ...)."
        ),
    )
    invoice = forms.FileField(
        label=_("Commercial invoice (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("PDF, up to 10 MB."),
    )
    photos = MultipleFileField(
        label=_("Product photos (JPEG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": "image/jpeg,image/png"}),
        help_text=_("Up to 6 photos, 8 MB each."),
    )

    def __init__(self, *args, company, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["idempotency_key"].initial = uuid.uuid4()
        matches = (
            Match.objects.visible_to(user)
            .filter(company=company)
            .exclude(stage__in=[Match.Stage.LOST, Match.Stage.CLOSED])
            .select_related("buyer__center")
            .order_by("buyer__name")
        )
        centers = Center.objects.visible_to(user).filter(is_active=True).order_by("code")
        self._matches = {f"match:{m.pk}": m for m in matches}
        self._centers = {f"center:{c.pk}": c for c in centers}
        self.fields["destination"].choices = [
            ("", "---------"),
            (
                _("A buyer you are matched with"),
                [
                    (key, f"{m.buyer.name} · {m.buyer.country} ({m.buyer.center.code})")
                    for key, m in self._matches.items()
                ],
            ),
            (
                _("A center (for its showroom or buyers it will find)"),
                [(key, f"{c.name} · {c.city}") for key, c in self._centers.items()],
            ),
        ]

    def clean_destination(self):
        key = self.cleaned_data["destination"]
        if key in self._matches:
            match = self._matches[key]
            return match.buyer.center, match
        if key in self._centers:
            return self._centers[key], None
        raise ValidationError(_("Choose a buyer or a center from the list."))

    def clean_invoice(self):
        upload = self.cleaned_data.get("invoice")
        return clean_pdf(upload) if upload else None

    def clean_photos(self):
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
        return [clean_image(upload) for upload in uploads]

    def documents(self) -> list:
        found = [("invoice", self.cleaned_data["invoice"])] if self.cleaned_data.get("invoice") else []
        return found + [("photo", photo) for photo in self.cleaned_data.get("photos", [])]


class ShipmentItemForm(BootstrapFormMixin, forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Product"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000)
    declared_value_usd = forms.DecimalField(
        label=_("Declared value (USD)"), min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = company.products.order_by("name_ko")


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms if not self._should_delete_form(form)):
            raise ValidationError(_("Add at least one product to send."))


ShipmentItemFormSet = forms.formset_factory(
    ShipmentItemForm, formset=BaseItemFormSet, extra=3, max_num=20, validate_max=True
)


class DocumentsForm(BootstrapFormMixin, forms.Form):
    invoice = ShipmentRequestForm.base_fields["invoice"]
    photos = ShipmentRequestForm.base_fields["photos"]
    clean_invoice = ShipmentRequestForm.clean_invoice
    clean_photos = ShipmentRequestForm.clean_photos
    documents = ShipmentRequestForm.documents

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("invoice") and not cleaned.get("photos") and not self.errors:
            raise ValidationError(_("Choose a file to add."))
        return cleaned


# --- The steps --------------------------------------------------------------------------------------
class ApproveForm(BootstrapFormMixin, forms.Form):
    cost_support_krw = forms.DecimalField(
        label=_("Cost support granted (KRW)"), min_value=0, max_digits=12, decimal_places=0, initial=0
    )
    note = forms.CharField(label=_("Note"), required=False)


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ShipForm(BootstrapFormMixin, forms.Form):
    courier = forms.ChoiceField(label=_("Courier"), choices=Courier.choices, initial=Courier.EMS)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("courier") and cleaned.get("tracking_number"):
            try:
                self.tracking = check_tracking_number(cleaned["courier"], cleaned["tracking_number"])
            except ValidationError as error:
                self.add_error("tracking_number", error)
        return cleaned


class DeliverForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False)


class FeedbackForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Buyer's rating"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(n, f"{n}") for n in range(1, 6)],
    )
    order_interest = forms.ChoiceField(
        label=_("Interest in ordering"), choices=SampleShipment.OrderInterest.choices
    )
    comment = forms.CharField(
        label=_("Buyer's comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)
