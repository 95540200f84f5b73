"""One sample, from request to buyer feedback, as the three users live it (issue 4)."""

import io
import re

from PIL import Image

from tests.browser.conftest import sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _status(page) -> str:
    return page.locator(".page-header .badge-status").get_attribute("class").split("shipment-")[1].split()[0]


def _switch(page, username):
    page.context.clear_cookies()
    sign_in(page, username)


def test_a_sample_goes_from_request_to_feedback(page, demo, tmp_path):
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(PDF)
    photo = tmp_path / "laver.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 60)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    # 1. The company requests samples for its buyer in Osaka, with an invoice and a photo.
    sign_in(page, "demo-company")
    page.click("main a[href='/shipments/request/'] >> nth=0")
    page.wait_for_url(re.compile("/shipments/request/"))
    option = page.locator("#id_destination option", has_text="Kansai Korean Foods")
    page.select_option("#id_destination", option.get_attribute("value"))
    page.fill("#id_purpose", "Tasting samples for the new convenience-store line")
    page.select_option("#id_items-0-product", index=1)
    page.fill("#id_items-0-quantity", "12")
    page.fill("#id_items-0-declared_value_usd", "60")
    page.set_input_files("#id_invoice", str(invoice))
    page.set_input_files("#id_photos", str(photo))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/shipments/\d+/$"))
    shipment_url = page.url
    assert _status(page) == "requested"
    assert page.locator("text=invoice.pdf").count() == 1
    assert page.locator("form[action$='/step/approve/']").count() == 0  # not the company's step

    # The center sees it arrive in its list but cannot approve it either.
    _switch(page, "demo-center")
    page.goto(shipment_url)
    assert _status(page) == "requested"
    assert page.locator(".shipment-actions").count() == 0

    # 2. Staff see the request waiting on the dashboard and approve it with cost support.
    _switch(page, "demo-staff")
    page.goto("/dashboard/?year=2021")
    assert (
        page.locator(f".attention a[href='{shipment_url.split(page.url.split('/dashboard')[0])[1]}']").count()
        == 1
    )
    page.goto(shipment_url)
    page.fill("#id_cost_support_krw", "30000")
    page.click("form[action$='/step/approve/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert _status(page) == "approved"

    # 3. The company ships it by EMS; a wrong number is refused next to its field first.
    _switch(page, "demo-company")
    page.goto(shipment_url)
    page.select_option("#id_courier", "ems")
    page.fill("#id_tracking_number", "EE123456789KR")
    page.click("form[action$='/step/ship/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert _status(page) == "approved"
    assert page.locator(".alert-danger").count() == 1
    page.select_option("#id_courier", "ems")
    page.fill("#id_tracking_number", "EE123456785KR")
    page.click("form[action$='/step/ship/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert _status(page) == "shipped"
    assert page.locator("a[href*='EE123456785KR']").count() >= 1  # the tracking link

    # 4. The Osaka center confirms delivery and records the buyer's feedback.
    _switch(page, "demo-center")
    page.goto("/")
    assert page.locator(f"a[href$='{shipment_url.rsplit('/shipments/', 1)[1]}']").count() >= 1  # inbound
    page.goto(shipment_url)
    page.click("form[action$='/step/deliver/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert _status(page) == "delivered"
    page.check("input[name=rating][value='4']")
    page.select_option("#id_order_interest", "yes")
    page.fill("#id_comment", "Crispy, less salty than the local brand.")
    page.click("form[action$='/step/feedback/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert _status(page) == "feedback_received"

    # Everyone sees the same end state; another company does not see the shipment at all.
    for username in ("demo-company", "demo-staff"):
        _switch(page, username)
        page.goto(shipment_url)
        assert _status(page) == "feedback_received"
        assert page.locator("text=Crispy, less salty").count() == 1
    _switch(page, "demo-company2")
    assert page.goto(shipment_url).status == 404
    _switch(page, "demo-center2")
    assert page.goto(shipment_url).status == 404
    page.console_errors.clear()  # the two 404s above are the point
