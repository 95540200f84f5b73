"""A staff member's day in a real browser, on the 2021 demo year (issue 3)."""

import io
import re

from openpyxl import load_workbook

from tests.browser.conftest import sign_in


def _kpi(page, label_index):
    return page.locator(".kpi .kpi-value").nth(label_index).inner_text()


def test_staff_check_the_year_filter_open_create_export_import_and_switch_language(page, demo, tmp_path):
    sign_in(page, "demo-staff")

    # The dashboard opens on the demo year with the article's figures, computed from the records.
    page.wait_for_url(re.compile("/dashboard/"))
    assert page.locator("#year").input_value() == "2021"
    values = page.locator(".kpi .kpi-value").all_inner_texts()
    assert values[:5] == ["64", "16", values[2], "76", values[4]]
    assert "$2,730,000" in values and "$3,000,000" in values and "17" in values

    # Consultations of the Osaka center in the first half of 2021, refreshed by htmx.
    page.goto("/consultations/")
    page.select_option("#id_center", label="오사카 센터")
    page.fill("#id_held_from", "2021-01-01")
    page.fill("#id_held_to", "2021-06-30")
    page.locator("#id_held_to").dispatch_event("change")
    page.wait_for_url(re.compile("held_to=2021-06-30"))
    page.wait_for_load_state("networkidle")
    rows = page.locator("#results tbody tr")
    count = rows.count()
    assert count > 0
    assert all("OSA" in text for text in rows.all_inner_texts())

    # Export exactly these rows to XLSX and read them back.
    with page.expect_download() as download_info:
        page.click("#results a:has-text('XLSX')")
    download_info.value.save_as(tmp_path / "osaka.xlsx")
    sheet = load_workbook(tmp_path / "osaka.xlsx").active
    assert sheet.max_row == count + 1
    assert {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"OSA"}

    # Open one: both times are there.
    rows.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".fs-5").count() == 2  # Korea time and Osaka time side by side

    # Log a new consultation for a match; the center's local time is shown as it is typed.
    page.goto("/consultations/new/")
    page.select_option("#id_match", index=1)
    page.fill("#id_date", "2026-12-15")
    page.fill("#id_time", "10:00")
    page.locator("#id_time").dispatch_event("change")
    page.wait_for_selector("#time-preview .alert")
    page.select_option("#id_mode", "online_video")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/consultations/\d+/$", page.url)
    assert page.locator(".alert-success").count() == 1

    # Import buyers from a spreadsheet with one bad row: the row and column are named, nothing is saved.
    csv = "센터,바이어명,국가,업태\nOSA,Kobe Fine Foods,JP,importer\nXYZ,Nowhere Trading,JP,importer\n"
    path = tmp_path / "buyers.csv"
    path.write_text(csv, encoding="utf-8")
    page.goto("/import/")
    page.check("input[name=kind][value=buyers]")
    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".alert-danger li").all_inner_texts()
    assert any("3" in e and "XYZ" in e for e in errors)
    assert page.locator("button[name=confirm]").count() == 0

    # Switch to English in the profile.
    page.goto("/accounts/profile/")
    page.select_option("#id_language", "en")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/dashboard/?year=2021")
    assert page.locator("h1").inner_text() == "Export support in 2021"


def test_xlsx_bytes_helper_reads_back():  # keeps openpyxl's reader honest about our writer
    from jntp.spreadsheets import Column, xlsx_response

    response = xlsx_response("t", [Column("A", lambda r: r)], ["=1+1", "plain"])
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [("A",), ("'=1+1",), ("plain",)]
