"""A real Chromium, driven through Playwright's sync API, against pytest-django's live server.

Debian's Chromium is used (Playwright's own browser download is not available
everywhere Roundtable is built). Without it the browser tests are skipped,
unless ROUNDTABLE_REQUIRE_BROWSER=1 (CI sets it), where a missing browser fails.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in the test's thread, and Django
# refuses ORM calls from a thread with a running loop unless told otherwise.
# The tests only touch the ORM between browser steps, never concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing outside the live server is reachable; these keep Chromium from trying.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine, short enough to fail a broken page quickly.
TIMEOUT_MS = 15_000


def _browser_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return None


# Without Playwright the test modules cannot even be imported: leave them out
# (or, where the browser tests are required, let the import error say why).
if os.environ.get("ROUNDTABLE_REQUIRE_BROWSER") != "1":
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        collect_ignore_glob = ["test_*.py"]


def pytest_report_header(config):
    reason = _browser_missing_reason()
    if reason:
        return f"browser tests: not run ({reason})"
    return f"browser tests: {CHROMIUM}"


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    if reason is None:
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("ROUNDTABLE_REQUIRE_BROWSER") == "1":
        return  # The `browser` fixture fails each of them, saying why.
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason is not None:
        if os.environ.get("ROUNDTABLE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ROUNDTABLE_REQUIRE_BROWSER=1 but {reason}.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_context(browser, **options):
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """`new_context(user=None, **options)`: a fresh browser context, logged in as `user` if given.

    Every context opened through it is closed at the end of the test.
    """
    contexts = []

    def open_context(user=None, **options):
        context = _new_context(browser, base_url=live_server.url, **options)
        contexts.append(context)
        if user is not None:
            log_in(context, live_server, user)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh, logged-out context with JavaScript on."""
    return new_context().new_page()


def log_in(context, live_server, user):
    """Log `user` in by handing the browser a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie.value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
