"""Uploaded documents: the type is read from the content, never from the name or the browser.

PDF invoices must start with the PDF signature and must not carry active content; photos must be
JPEG or PNG that Pillow can decode within a pixel budget, and are re-encoded so that nothing but
the picture is kept (a PNG header followed by HTML, EXIF metadata, ...). Everything else, including
SVG, HTML and executables, is refused with a message that says what is allowed."""

import io
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; a "decompression bomb" is refused before decoding
PDF_ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    name: str


def _read(upload, limit: int) -> bytes:
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("%(name)s is too large.") % {"name": upload.name}, code="too_large")
    return data


def _display_name(name: str) -> str:
    """The user's file name, kept for display only (never as a path): no folders, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "document"
    return base[-150:]


def clean_pdf(upload) -> CleanFile:
    data = _read(upload, MAX_PDF_BYTES)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("%(name)s is not a PDF file. Upload the commercial invoice as a PDF.") % {"name": upload.name},
            code="not_pdf",
        )
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("%(name)s is a damaged PDF file.") % {"name": upload.name}, code="broken_pdf")
    if PDF_ACTIVE_CONTENT.search(data):
        raise ValidationError(
            _("%(name)s contains scripts or embedded files; save it again as a plain PDF.")
            % {"name": upload.name},
            code="active_pdf",
        )
    return CleanFile(data, "application/pdf", "pdf", _display_name(upload.name))


def clean_image(upload) -> CleanFile:
    data = _read(upload, MAX_IMAGE_BYTES)
    refused = ValidationError(
        _("%(name)s is not a JPEG or PNG photo. Upload product photos as JPEG or PNG.")
        % {"name": upload.name},
        code="not_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("%(name)s has too many pixels (%(w)d × %(h)d).")
                        % {"name": upload.name, "w": probe.width, "h": probe.height},
                        code="too_many_pixels",
                    )
                kind = probe.format
                probe.load()
                image = probe.copy()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds for what is not a picture
        raise refused from error
    output = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(output, format="JPEG", quality=90)
        return CleanFile(output.getvalue(), "image/jpeg", "jpg", _display_name(upload.name))
    image.save(output, format="PNG")
    return CleanFile(output.getvalue(), "image/png", "png", _display_name(upload.name))
