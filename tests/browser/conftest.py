"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HELPCENTER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}


def _keep_serialized_database_contents():
    """Playwright's sync API runs the test in a greenlet with its own context, where Django's
    context-local `connections` opens new connection objects. Give them the serialized contents
    that serialized rollback restores from, or the next test starts from an empty database."""
    from django.db import connections
    from django.db.utils import ConnectionHandler

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is None or getattr(ConnectionHandler, "_keeps_serialized_contents", False):
        return
    create_connection = ConnectionHandler.create_connection

    def create_connection_with_contents(self, alias):
        wrapper = create_connection(self, alias)
        if alias == "default":
            wrapper._test_serialized_contents = contents
        return wrapper

    ConnectionHandler.create_connection = create_connection_with_contents
    ConnectionHandler._keeps_serialized_contents = True


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
    # body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    _keep_serialized_database_contents()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a new page: `open_page(viewport=MOBILE, locale="de-DE")`."""
    contexts = []

    def open_(viewport=DESKTOP, locale="en-US"):
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
