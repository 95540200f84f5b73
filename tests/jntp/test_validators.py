import pytest
from django.core.exceptions import ValidationError

from jntp import validators
from matching.couriers import Courier, check_tracking_number, tracking_url


@pytest.mark.parametrize(
    "number",
    [
        "124-81-00998",  # Samsung Electronics
        "1248100998",
        "220-81-62517",  # NAVER
        "120-81-47521",  # Kakao
    ],
)
def test_valid_business_registration_numbers_pass(number):
    validators.validate_business_registration_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("124-81-00999", "brn_check_digit"),
        ("220-81-62518", "brn_check_digit"),
        ("124-81-0099", "brn_format"),
        ("12481009981", "brn_format"),
        ("abc-de-fghij", "brn_format"),
        ("", "brn_format"),
    ],
)
def test_invalid_business_registration_numbers_are_refused(number, code):
    with pytest.raises(ValidationError) as error:
        validators.validate_business_registration_number(number)
    assert error.value.code == code


def test_business_registration_number_check_digit_message_names_the_number():
    with pytest.raises(ValidationError) as error:
        validators.validate_business_registration_number("124-81-00999")
    assert "124-81-00999" in error.value.messages[0]
    assert "check digit" in error.value.messages[0]


@pytest.mark.parametrize("code", ["200899", "2008.99", "121221", "030783", "854143", "970110"])
def test_valid_hs_codes_pass(code):
    validators.validate_hs_code(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("2008", "hs_format"),
        ("20089", "hs_format"),
        ("2008991", "hs_format"),
        ("20O899", "hs_format"),
        ("000000", "hs_chapter"),
        ("980000", "hs_chapter"),
        ("770100", "hs_chapter"),  # chapter 77 is reserved
        ("200099", "hs_heading"),
    ],
)
def test_invalid_hs_codes_are_refused(code, error_code):
    with pytest.raises(ValidationError) as error:
        validators.validate_hs_code(code)
    assert error.value.code == error_code


def test_hs_codes_print_like_customs_forms():
    assert validators.format_hs_code("200899") == "2008.99"
    assert validators.normalize_hs_code(" 2008.99 ") == "200899"


@pytest.mark.parametrize("code", ["KR", "JP", "AE", "TW", "UZ", "US"])
def test_country_codes_pass(code):
    validators.validate_country_code(code)


@pytest.mark.parametrize("code", ["kr", "UK", "XX", "KOR", ""])
def test_unknown_country_codes_are_refused(code):
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        validators.validate_country_code(code)


@pytest.mark.parametrize("code", ["USD", "KRW", "JPY", "AED", "UZS", "EUR"])
def test_currency_codes_pass(code):
    validators.validate_currency_code(code)


@pytest.mark.parametrize("code", ["usd", "US", "WON", "XYZ", ""])
def test_unknown_currency_codes_are_refused(code):
    with pytest.raises(ValidationError, match="ISO 4217"):
        validators.validate_currency_code(code)


@pytest.mark.parametrize(
    "zone", ["Asia/Seoul", "America/New_York", "Australia/Sydney", "Asia/Ho_Chi_Minh", "UTC"]
)
def test_iana_time_zones_pass(zone):
    validators.validate_time_zone(zone)


@pytest.mark.parametrize("zone", ["KST", "Asia/Busan", "GMT+9", "asia/seoul", ""])
def test_unknown_time_zones_are_refused(zone):
    with pytest.raises(ValidationError, match="IANA"):
        validators.validate_time_zone(zone)


# --- Courier tracking numbers (research/domain.md §4) -------------------------------------------------
VALID_NUMBERS = [
    (Courier.EMS, "EE123456785KR"),
    (Courier.EMS, "EB542515717KR"),
    (Courier.EMS, "EM595227289KR"),
    (Courier.EMS, "ee 123 456 785 kr"),
    (Courier.DHL, "3318810025"),
    (Courier.DHL, "8487135506"),
    (Courier.DHL, "73891051146"),
    (Courier.DHL, "JJD0099999999"),
    (Courier.FEDEX, "986578788855"),
    (Courier.FEDEX, "477179081230"),
    (Courier.FEDEX, "041441760228964"),
    (Courier.FEDEX, "568283610012000"),
    (Courier.UPS, "1Z5R89390357567127"),
    (Courier.UPS, "1Z879E930346834440"),
    (Courier.UPS, "1Z 999 AA1 01 2345 6784"),
    (Courier.OTHER, "CJ1234567890"),
]


@pytest.mark.parametrize(("courier", "number"), VALID_NUMBERS)
def test_valid_tracking_numbers_pass_for_their_courier(courier, number):
    checked = check_tracking_number(courier, number)
    assert checked.warnings == []
    assert " " not in checked.number and checked.number == checked.number.upper()


@pytest.mark.parametrize(
    ("courier", "number", "code"),
    [
        (Courier.EMS, "EE123456789KR", "tracking_check_digit"),  # the research's warning example
        (Courier.EMS, "RB123456785GB", "tracking_service"),  # registered letter, not EMS
        (Courier.EMS, "EE123456785GB", "tracking_origin"),  # not sent from Korea
        (Courier.EMS, "EE12345678KR", "tracking_format"),
        (Courier.DHL, "123456789", "tracking_format"),
        (Courier.FEDEX, "996578788855", "tracking_check_digit"),
        (Courier.FEDEX, "12345", "tracking_format"),
        (Courier.UPS, "1Z1111111111111111", "tracking_check_digit"),
        (Courier.UPS, "2Z5R89390357567127", "tracking_format"),
        (Courier.OTHER, "AB", "tracking_format"),
    ],
)
def test_invalid_tracking_numbers_are_refused(courier, number, code):
    with pytest.raises(ValidationError) as error:
        check_tracking_number(courier, number)
    assert error.value.code == code


def test_a_dhl_number_with_a_wrong_check_digit_only_warns():
    # DHL does not publish its check digit; the community rule may be wrong, so it is a warning.
    checked = check_tracking_number(Courier.DHL, "3318810010")
    assert checked.number == "3318810010"
    assert checked.warnings


def test_a_number_is_checked_against_the_chosen_courier_only():
    with pytest.raises(ValidationError):
        check_tracking_number(Courier.UPS, "EE123456785KR")


def test_tracking_links_point_to_the_courier():
    assert "EE123456785KR" in tracking_url(Courier.EMS, "EE123456785KR")
    assert tracking_url(Courier.UPS, "1Z999AA10123456784").startswith("https://www.ups.com/")
    assert tracking_url(Courier.OTHER, "CJ1234567890") is None
