"""Real-browser tests: Playwright for Python driving Debian's Chromium against the live test server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make between
# browser steps are still plain synchronous calls on the test database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
DEMO_PASSWORD = "jntp-demo-2021"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, live_server, transactional_db):
    # After transactional_db, so it closes before the database is flushed: a request still in
    # flight then would hold table locks that the flush's TRUNCATE waits on (a deadlock).
    context = chromium.new_context(
        base_url=live_server.url,
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        viewport={"width": 1360, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # a test that opens a page it expects to fail clears what it caused
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # Let the last requests (an htmx swap after the final check) finish on the live server before
    # the database is flushed: one still writing holds locks that the flush's TRUNCATE waits on.
    for _ in range(100):
        if not in_flight:
            break
        page.wait_for_timeout(50)
    assert errors == [], f"the browser reported errors: {errors}"


@pytest.fixture
def demo(transactional_db, settings):
    """The 2021 demo year, loaded into the live server's database."""
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", "--password", DEMO_PASSWORD, verbosity=0)
    settings.DEBUG = False


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
