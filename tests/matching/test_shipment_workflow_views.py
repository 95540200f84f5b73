import io
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jntp.uploads import clean_pdf
from matching import services
from matching.models import SampleShipment, ShipmentDocument
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def setup(company, center):
    match = f.MatchFactory(company=company, buyer=f.BuyerFactory(center=center, name="Kansai Foods"))
    return {"match": match, "product": f.ProductFactory(company=company)}


def _request_data(setup, **files):
    return {
        "idempotency_key": str(uuid.uuid4()),
        "destination": f"match:{setup['match'].pk}",
        "purpose": "Tasting",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
        "items-0-product": setup["product"].pk,
        "items-0-quantity": "5",
        "items-0-declared_value_usd": "40",
        **files,
    }


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_company_requests_samples_with_an_invoice_and_photos(client, company_user, setup, settings):
    client.force_login(company_user)
    data = _request_data(
        setup,
        invoice=SimpleUploadedFile("invoice.pdf", PDF),
        photos=[SimpleUploadedFile("a.png", png()), SimpleUploadedFile("b.png", png())],
    )
    response = client.post(reverse("matching:shipment_request"), data)
    shipment = SampleShipment.objects.get()
    assert response.status_code == 302 and response.url == shipment.get_absolute_url()
    assert (shipment.match, shipment.center, shipment.requested_by) == (
        setup["match"],
        setup["match"].buyer.center,
        company_user,
    )
    assert sorted(shipment.documents.values_list("kind", flat=True)) == ["invoice", "photo", "photo"]
    assert len(_media_files(settings)) == 3
    assert all("invoice" not in p.name for p in _media_files(settings))  # stored under generated names


def test_the_same_form_sent_twice_creates_one_shipment(client, company_user, setup):
    client.force_login(company_user)
    data = _request_data(setup)
    client.post(reverse("matching:shipment_request"), data)
    client.post(reverse("matching:shipment_request"), data)
    assert SampleShipment.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("invoice", SimpleUploadedFile("invoice.pdf", b"<html><body>hi</body></html>"), "is not a PDF"),
        ("invoice", SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200), "is not a PDF"),
        (
            "photos",
            SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            "JPEG or PNG",
        ),
        ("photos", SimpleUploadedFile("setup.png", b"MZ\x90\x00" + b"\x00" * 200), "JPEG or PNG"),
        ("invoice", SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "the limit is 10 MB"),
    ],
    ids=["html-named-pdf", "renamed-executable", "svg", "executable-named-png", "oversized"],
)
def test_bad_files_are_refused_next_to_their_field_and_leave_nothing_behind(
    client, company_user, setup, settings, english, field, upload, message
):
    client.force_login(company_user)
    response = client.post(reverse("matching:shipment_request"), _request_data(setup, **{field: upload}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SampleShipment.objects.exists()
    assert not ShipmentDocument.objects.exists()
    assert _media_files(settings) == []


def test_a_company_cannot_send_to_another_company_buyer(client, company_user, setup):
    client.force_login(company_user)
    foreign = f.MatchFactory()
    response = client.post(
        reverse("matching:shipment_request"), {**_request_data(setup), "destination": f"match:{foreign.pk}"}
    )
    assert response.status_code == 200
    assert "destination" in response.context["form"].errors
    assert not SampleShipment.objects.exists()


def test_staff_request_on_behalf_of_a_company_and_are_recorded_as_the_requester(
    client, staff_user, setup, company
):
    client.force_login(staff_user)
    assert "companies" in client.get(reverse("matching:shipment_request")).context  # pick the company first
    data = {**_request_data(setup), "company": company.pk}
    client.post(reverse("matching:shipment_request") + f"?company={company.pk}", data)
    assert SampleShipment.objects.get().requested_by == staff_user


@pytest.fixture
def shipment(company, company_user, setup):
    return services.shipment_request(
        company=company,
        center=setup["match"].buyer.center,
        match=setup["match"],
        purpose="x",
        requested_by=company_user,
        idempotency_key=uuid.uuid4(),
        items=[{"product": setup["product"], "quantity": 1, "declared_value_usd": 5}],
    )


def _step(client, shipment, action, **data):
    return client.post(reverse("matching:shipment_step", args=[shipment.pk, action]), data)


def test_each_step_by_its_role_through_the_pages(client, shipment, staff_user, company_user, center_user):
    client.force_login(staff_user)
    assert _step(client, shipment, "approve", cost_support_krw="25000").status_code == 302
    client.force_login(company_user)
    assert (
        _step(client, shipment, "ship", courier="ups", tracking_number="1Z999AA10123456784").status_code
        == 302
    )
    client.force_login(center_user)
    assert _step(client, shipment, "deliver").status_code == 302
    assert _step(client, shipment, "feedback", rating="5", order_interest="yes").status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "feedback_received"
    assert shipment.cost_support_krw == 25000


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("company_user", "approve"),
        ("center_user", "approve"),
        ("center_user", "cancel"),
        ("company_user", "deliver"),
    ],
)
def test_a_step_that_is_not_the_users_is_a_403(client, shipment, request, who, action):
    client.force_login(request.getfixturevalue(who))
    assert _step(client, shipment, action).status_code == 403
    shipment.refresh_from_db()
    assert shipment.status == "requested"


def test_a_step_taken_twice_shows_a_message_and_changes_nothing(client, shipment, staff_user, english):
    client.force_login(staff_user)
    _step(client, shipment, "approve", cost_support_krw="0")
    response = client.post(
        reverse("matching:shipment_step", args=[shipment.pk, "approve"]),
        {"cost_support_krw": "0"},
        follow=True,
    )
    assert "cannot become" in response.content.decode()
    assert shipment.status_changes.filter(to_status="approved").count() == 1


def test_over_the_yearly_cap_is_refused_with_what_is_left(client, shipment, staff_user, settings, english):
    settings.SAMPLE_SUPPORT_YEARLY_CAP_KRW = 10_000
    client.force_login(staff_user)
    response = client.post(
        reverse("matching:shipment_step", args=[shipment.pk, "approve"]),
        {"cost_support_krw": "20000"},
        follow=True,
    )
    assert "10,000" in response.content.decode()
    shipment.refresh_from_db()
    assert shipment.status == "requested"


def test_documents_are_served_only_through_the_access_check(
    client, shipment, company_user, other_company_user, center_user, company
):
    invoice = clean_pdf(SimpleUploadedFile("inv.pdf", PDF))
    services.shipment_add_documents(shipment=shipment, by=company_user, documents=[("invoice", invoice)])
    document = shipment.documents.get()
    url = reverse("matching:shipment_document", args=[shipment.pk, document.pk])
    for user in (company_user, center_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="inv.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    client.force_login(other_company_user)
    assert client.get(url).status_code == 404
    # A document of another shipment through this shipment's URL is a 404 too.
    other = f.ShipmentDocumentFactory(shipment=f.ShipmentFactory(company=company))
    client.force_login(company_user)
    assert client.get(reverse("matching:shipment_document", args=[shipment.pk, other.pk])).status_code == 404


def test_the_shipment_page_offers_each_user_only_their_next_steps(
    client, shipment, staff_user, company_user, center_user
):
    page = {}
    for user in (staff_user, company_user, center_user):
        client.force_login(user)
        page[user.role] = client.get(shipment.get_absolute_url()).context["step_forms"]
    assert set(page["staff"]) >= {"approve", "reject", "cancel"}
    assert set(page["company"]) == {"cancel", "documents"}
    assert page["center"] == {}
