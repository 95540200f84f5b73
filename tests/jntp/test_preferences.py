import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_visitors_get_korean_whatever_their_browser_asks(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "ko"
    assert "로그인" in response.content.decode()


def test_a_visitor_can_switch_the_sign_in_page_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    page = client.get(reverse("login"))
    assert page.headers["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()


def test_a_signed_in_user_works_in_the_language_of_the_profile(client, center_user):
    center_user.language = "en"
    center_user.save()
    client.force_login(center_user)
    assert client.get(reverse("home")).headers["Content-Language"] == "en"


def test_switching_language_when_signed_in_is_kept_in_the_profile(client, company_user):
    client.force_login(company_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    company_user.refresh_from_db()
    assert company_user.language == "en"


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"


def test_times_are_shown_in_the_user_zone(client, center_user):
    client.force_login(center_user)
    response = client.get(reverse("home"))
    assert "Asia/Tokyo" in response.content.decode()
