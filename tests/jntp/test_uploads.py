import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jntp import uploads

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(kind="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 90, 138)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_a_real_pdf_is_accepted_under_its_display_name():
    clean = uploads.clean_pdf(upload("../../etc/invoice 2021.pdf", PDF))
    assert clean.content_type == "application/pdf"
    assert clean.name == "invoice 2021.pdf"  # no folders: the name is for display, never a path


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "not_pdf"),  # an HTML file named .pdf
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "not_pdf"),  # a renamed Windows program
        ("invoice.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "not_pdf"),  # a renamed Linux program
        (
            "invoice.pdf",
            PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript /JS (x) >>"),
            "active_pdf",
        ),
        ("invoice.pdf", b"%PDF-1.4\n truncated", "broken_pdf"),
    ],
)
def test_what_is_not_a_plain_pdf_is_refused(name, data, code):
    with pytest.raises(ValidationError) as error:
        uploads.clean_pdf(upload(name, data))
    assert error.value.code == code


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    big = upload("invoice.pdf", PDF + b"0" * (uploads.MAX_PDF_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        uploads.clean_pdf(big)
    assert error.value.code == "too_large"
    assert "10 MB" in error.value.messages[0]


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_photos_are_decoded_and_re_encoded(kind, content_type):
    data = image_bytes(kind) + b"<script>trailing html</script>"
    clean = uploads.clean_image(upload("photo.bin", data))
    assert clean.content_type == content_type
    assert b"<script>" not in clean.content  # only the picture survives


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.png", b"<html>not an image</html>"),
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100),
        ("photo.gif", b"GIF89a" + b"\x00" * 100),
    ],
)
def test_anything_but_jpeg_or_png_is_refused_as_a_photo(name, data):
    with pytest.raises(ValidationError) as error:
        uploads.clean_image(upload(name, data))
    assert error.value.code == "not_image"


def test_a_pixel_flood_is_refused_without_decoding_it(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        uploads.clean_image(upload("flood.png", image_bytes(size=(100, 100))))
    assert error.value.code == "too_many_pixels"
