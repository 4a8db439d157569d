"""One Chromium per test, driven by Playwright: Debian's `chromium`, never a browser
downloaded at run time. A missing Chromium fails the browser tests; only
`BROWSER_TESTS=off` leaves them out (see `tests/conftest.py`)."""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.checks import AXE_SOURCE

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run `make browser` as "
            "root (or `sudo apt-get install chromium`), or set BROWSER_TESTS=off to leave "
            "them out on purpose.", pytrace=False)
    # Playwright's sync API keeps an event loop running in this thread while the browser
    # is up; the tests' own ORM calls (factories, live server set-up) stay synchronous.
    # One browser per test: the loop is gone before the database is flushed and restored
    # for the next transactional test, whichever module it belongs to.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser):
    """`open_page(viewport, javascript=True)`: a new page in a fresh context (French, no
    cookies), which records in `page.external_requests` every request that leaves the
    site."""
    contexts = []

    def open_page(viewport=PHONE, *, javascript=True):
        context = browser.new_context(locale="fr-FR", viewport=viewport,
                                      java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        if javascript:
            context.add_init_script(AXE_SOURCE)
        contexts.append(context)
        page = context.new_page()
        page.external_requests = []
        page.on("request", lambda request: page.external_requests.append(request.url)
                if not request.url.startswith(("http://localhost", "data:")) else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
