"""Small things a visitor notices: the favicon and search boxes whose hint fits a phone."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE
from .test_autocomplete import german_articles, help_articles  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PLACEHOLDER_FITS = """input => {
    // The hint is typed into the box for a moment: what overflows scrolls the box sideways.
    const typed = input.value;
    input.value = input.placeholder;
    const measured = {text: input.placeholder, width: input.scrollWidth, room: input.clientWidth};
    input.value = typed;
    return measured;
}"""


def test_pages_have_a_favicon(live_server, open_page, help_articles):  # noqa: F811
    page = open_page()
    page.goto(live_server.url + help_articles["home"].url)
    icon = page.locator("link[rel=icon]")
    expect(icon).to_have_count(1)
    response = page.request.get(live_server.url + icon.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")

    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["phone", "desktop"])
def test_search_hints_fit_the_box_in_both_languages(
    live_server, open_page, screenshot, german_articles, viewport  # noqa: F811
):
    name = "phone" if viewport is MOBILE else "desktop"
    for locale, home in (("en-US", german_articles["home"]),
                         ("de-DE", german_articles["german home"])):
        page = open_page(viewport=viewport, locale=locale)
        language = locale[:2]
        for url in (home.url, f"/{language}/search/", home.get_children().first().url):
            page.goto(live_server.url + url)
            for box in page.locator("input[type=search]").all():
                measured = box.evaluate(PLACEHOLDER_FITS)
                assert measured["width"] <= measured["room"], (url, measured)
        page.goto(live_server.url + home.url)
        screenshot(page, f"search-hint-{language}-{name}")
        page.goto(f"{live_server.url}/{language}/search/?q=" + ("nose pads" if language == "en"
                                                                else "Nasenpads"))
        expect(page.locator(".hc-results")).to_be_visible()
        screenshot(page, f"search-results-{language}-{name}")
