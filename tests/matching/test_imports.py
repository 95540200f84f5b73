import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from centers.imports import BuyerImporter
from centers.models import Buyer
from matching.imports import CompanyImporter
from matching.models import Company, Product
from tests import factories as f
from tests.factories import valid_brn

pytestmark = pytest.mark.django_db

COMPANY_HEADER = ["사업자등록번호", "기업명", "영문 기업명", "시군", "업종", "목표 국가", "제품명", "HS 코드"]


def xlsx(rows, name="companies.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text: str, encoding="utf-8", name="buyers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def test_a_good_company_file_imports_companies_products_and_markets(staff_user):
    brn = valid_brn(7001)
    upload = xlsx(
        [
            COMPANY_HEADER,
            [brn, "완도김", "Wando Gim", "완도군", "수산식품", "일본, US", "조미김", "2008.99"],
            [brn, "", "", "", "", "", "마른김", "121221"],
            [valid_brn(7002), "나주배", "Naju Pear", "naju", "agri_food", "TW", "배", "080830"],
        ]
    )
    preview = CompanyImporter().read(upload)
    assert preview.errors == [] and preview.ok

    assert CompanyImporter().save(preview, by=staff_user) == 2
    company = Company.objects.get(business_registration_number=brn)
    assert company.city_county == "wando" and company.industry == "seafood"
    assert sorted(company.products.values_list("hs_code", flat=True)) == ["121221", "200899"]
    assert sorted(company.target_countries.values_list("country", flat=True)) == ["JP", "US"]
    assert company.history.first().history_user == staff_user


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written():
    f.CompanyFactory(business_registration_number=valid_brn(7010), name_ko="기존기업")
    upload = xlsx(
        [
            COMPANY_HEADER,
            ["124-81-00999", "나쁜번호", "", "완도군", "수산식품", "", "조미김", "2008.99"],
            [valid_brn(7010), "중복", "", "완도군", "수산식품", "", "", ""],
            [valid_brn(7011), "좋은기업", "", "서울", "수산식품", "Atlantis", "김", "2008"],
        ]
    )
    preview = CompanyImporter().read(upload)

    found = {(e.row, e.column) for e in preview.errors}
    assert (2, "사업자등록번호") in found  # check digit
    assert (3, "사업자등록번호") in found  # already registered
    assert (4, "시군") in found  # not a Jeonnam city or county
    assert (4, "목표 국가") in found  # no such country
    assert not preview.ok
    assert Company.objects.count() == 1 and Product.objects.count() == 0


def test_a_second_row_that_contradicts_the_first_is_an_error():
    brn = valid_brn(7020)
    preview = CompanyImporter().read(
        xlsx(
            [
                COMPANY_HEADER,
                [brn, "완도김", "", "완도군", "수산식품", "", "조미김", "200899"],
                [brn, "다른이름", "", "", "", "", "마른김", "121221"],
            ]
        )
    )
    assert [(e.row, e.column) for e in preview.errors] == [(3, "기업명")]


def test_missing_and_unknown_columns_are_reported_before_any_row():
    preview = CompanyImporter().read(xlsx([["기업명", "이상한열"], ["완도김", "x"]]))
    assert any("사업자등록번호" in error for error in preview.file_errors)
    assert any("이상한열" in error for error in preview.file_errors)
    assert not preview.ok


def test_buyers_import_from_a_korean_excel_csv_in_cp949(staff_user, center):
    text = (
        "센터,바이어명,국가,업태,관심 HS 코드,연간 수입액(USD)\n"
        'OSA,간사이 식품,일본,수입업체,"2008.99, 1212.21","1,200,000"\n'
    )
    preview = BuyerImporter().read(csv_file(text, encoding="cp949"))
    assert preview.errors == []
    assert BuyerImporter().save(preview, by=staff_user) == 1
    buyer = Buyer.objects.get(name="간사이 식품")
    assert (buyer.center, buyer.country, buyer.business_type) == (center, "JP", "importer")
    assert buyer.annual_import_usd == 1_200_000
    assert sorted(buyer.interests.values_list("hs_code", flat=True)) == ["121221", "200899"]


def test_duplicate_buyers_in_the_database_or_in_the_file_are_found(center):
    f.BuyerFactory(center=center, name="Naniwa Foods", country="JP")
    text = (
        "Center,Buyer,Country,Business type\n"
        "OSA,naniwa foods,JP,importer\n"
        "OSA,Umeda Mart,JP,retailer\n"
        "OSA,Umeda Mart,Japan,Retailer / supermarket chain\n"
    )
    preview = BuyerImporter().read(csv_file(text))
    assert [(e.row, e.column) for e in preview.errors] == [(2, "바이어명"), (4, "바이어명")]
    assert Buyer.objects.count() == 1


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly():
    preview = BuyerImporter().read(SimpleUploadedFile("buyers.csv", b"\x00\x01\x02binary"))
    assert preview.file_errors and not preview.rows


# --- Through the pages ---------------------------------------------------------------------------------
def test_staff_preview_then_confirm_an_import(client, staff_user, center):
    client.force_login(staff_user)
    upload = csv_file("센터,바이어명,국가,업태\nOSA,Osaka Trading,JP,importer\n")
    preview = client.post(reverse("matching:import"), {"kind": "buyers", "file": upload})
    assert preview.status_code == 200
    assert "Osaka Trading" in preview.content.decode()
    assert not Buyer.objects.exists()  # nothing before the confirmation

    done = client.post(reverse("matching:import"), {"confirm": "1"})
    assert done.status_code == 302
    assert Buyer.objects.filter(name="Osaka Trading").exists()


def test_a_bad_file_shows_its_errors_and_offers_no_import_button(client, staff_user, center):
    client.force_login(staff_user)
    upload = csv_file("센터,바이어명,국가,업태\nXXX,Osaka Trading,JP,importer\n")
    page = client.post(reverse("matching:import"), {"kind": "buyers", "file": upload}).content.decode()
    assert "XXX" in page and 'name="confirm"' not in page
    assert client.post(reverse("matching:import"), {"confirm": "1"}).status_code == 302
    assert not Buyer.objects.exists()


def test_the_import_template_has_the_importer_columns(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("matching:import_template", args=["companies"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["사업자등록번호", "기업명"]
