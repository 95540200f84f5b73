import re

from tests.browser.conftest import sign_in
from tests.factories import UserFactory


def test_a_company_user_signs_in_and_out_in_korean_then_english(page, transactional_db, company):
    UserFactory(username="wando", role="company", company=company, first_name="바다", language="ko")
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "JNTP 수출 매칭"
    page.fill("#id_password", "wrong")
    page.fill("#id_username", "wando")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").is_visible()

    sign_in(page, "wando", "correct horse battery staple")
    assert page.locator(".user-name").inner_text() == "바다"
    assert page.locator(".role-badge").inner_text() == "기업 사용자"

    page.click(".user-menu")
    page.click("text=로그아웃")
    page.wait_for_url(re.compile("/accounts/login/"))
    page.click("button[value=en]")
    assert page.locator("h1").inner_text() == "JNTP Export Match"
