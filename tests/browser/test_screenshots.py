"""Screenshots of the main pages, in Korean and English, with the demo year.

Every run checks that these pages render in a real browser without a console error (a CSP
violation is one). `make screenshots` keeps the pictures in docs/screenshots/ for the README."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

PAGES = [
    ("dashboard", "demo-staff", "/dashboard/?year=2021"),
    ("consultations", "demo-staff", "/consultations/?held_from=2021-01-01&held_to=2021-12-31"),
    ("companies", "demo-staff", "/companies/"),
    ("company-home", "demo-company", "/"),
    ("center-home", "demo-center", "/"),
]


@pytest.fixture
def shots_dir(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", ["ko", "en"])
def test_main_pages_render_for_the_screenshots(page, demo, shots_dir, language):
    from jntp.users.models import User

    User.objects.filter(username__startswith="demo-").update(language=language)
    signed_in = None
    for name, username, url in PAGES:
        if username != signed_in:
            page.context.clear_cookies()
            sign_in(page, username)
            signed_in = username
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("main h1").first.is_visible()
        page.screenshot(path=shots_dir / f"{name}-{language}.png", full_page=name != "dashboard")
