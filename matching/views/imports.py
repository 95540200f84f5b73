"""Staff import companies (with products) or buyers from XLSX or CSV: upload, preview, confirm.

The uploaded file is kept under MEDIA_ROOT/imports/ (private, never served) between the preview and
the confirmation, and read again at confirmation: nothing is written unless every row is good."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from centers.imports import BuyerImporter
from jntp.forms import BootstrapFormMixin
from jntp.spreadsheets import Column, xlsx_response
from jntp.views import StaffRequiredMixin, staff_required
from matching.imports import CompanyImporter

IMPORTERS = {"companies": CompanyImporter, "buyers": BuyerImporter}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "import_upload"


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[("companies", gettext_lazy("Companies with products")), ("buyers", gettext_lazy("Buyers"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


def _store(upload) -> str:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    with open(folder / f"{token}{suffix}", "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return f"{token}{suffix}"


def _stored(name: str) -> SimpleUploadedFile:
    path = Path(settings.MEDIA_ROOT) / "imports" / Path(name).name
    if not path.is_file():
        raise Http404
    return SimpleUploadedFile(path.name, path.read_bytes())


def _forget(request) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        (Path(settings.MEDIA_ROOT) / "imports" / Path(stored["file"]).name).unlink(missing_ok=True)


class ImportView(StaffRequiredMixin, View):
    template_name = "matching/import.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": ImportForm(initial={"kind": "companies"}), "importers": IMPORTERS},
        )

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "importers": IMPORTERS})
        _forget(request)
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        preview = IMPORTERS[kind]().read(upload)
        if preview.ok:
            upload.seek(0)
            request.session[SESSION_KEY] = {"kind": kind, "file": _store(upload), "name": upload.name}
        return render(
            request,
            "matching/import_preview.html",
            {"preview": preview, "kind": kind, "importer": IMPORTERS[kind], "name": upload.name},
        )

    def confirm(self, request):
        stored = request.session.get(SESSION_KEY)
        if not stored:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("matching:import")
        importer = IMPORTERS[stored["kind"]]()
        preview = importer.read(_stored(stored["file"]))
        if not preview.ok:  # the data changed since the preview (e.g. someone added the same company)
            return render(
                request,
                "matching/import_preview.html",
                {
                    "preview": preview,
                    "kind": stored["kind"],
                    "importer": type(importer),
                    "name": stored["name"],
                },
            )
        count = importer.save(preview, by=request.user)
        _forget(request)
        messages.success(
            request, _("Imported %(count)d records from %(name)s.") % {"count": count, "name": stored["name"]}
        )
        target = "matching:company_list" if stored["kind"] == "companies" else "centers:buyer_list"
        return redirect(reverse(target))


@staff_required
def import_template(request, kind: str):
    """An empty spreadsheet with the columns the importer reads."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    columns = [Column(c.label, lambda row: "") for c in importer.columns]
    return xlsx_response(f"jntp-{kind}-template", columns, [], title=kind)
