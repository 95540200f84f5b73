"""Staff open a company, accept its top recommendation, and the match appears everywhere (issue 6)."""

import re

from tests.browser.conftest import sign_in


def test_staff_accept_the_top_recommendation(page, demo):
    from centers.models import Buyer
    from matching.models import Company

    company = Company.objects.get(name_en="Gokseong Taro Foods")
    sign_in(page, "demo-staff")
    page.goto(f"/companies/{company.pk}/")
    first = page.locator("#recommendations .recommendation").first
    first.wait_for()
    buyer_name = first.locator("a.fw-semibold").inner_text()
    buyer_url = first.locator("a.fw-semibold").get_attribute("href")
    assert first.locator(".reasons li").count() >= 1  # it says why

    first.locator("button:has-text('매칭')").click()
    first.locator(".rec-actions .text-success").wait_for()
    match_url = first.locator(".rec-actions a").get_attribute("href")
    assert re.fullmatch(r"/matches/\d+/", match_url)

    page.reload()
    assert page.locator("section[aria-labelledby=matches-title]", has_text=buyer_name).count() == 1
    page.goto(buyer_url)
    assert page.locator("section[aria-labelledby=matches-title]", has_text=company.name_ko).count() == 1
    buyer = Buyer.objects.get(pk=int(buyer_url.strip("/").split("/")[-1]))
    page.goto(buyer.center.get_absolute_url())
    assert page.locator("main", has_text=company.name_ko).count() == 1
