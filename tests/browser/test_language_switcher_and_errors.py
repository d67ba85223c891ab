"""A visitor switches language on a page without translation, and lands on a branded 404."""

import pytest
from playwright.sync_api import expect

from tests.helpers import publish_page

from .conftest import MOBILE

pytestmark = pytest.mark.browser


@pytest.fixture
def bilingual(help_center, locale_de, make_category, make_article):
    german_home = help_center.copy_for_translation(locale_de)
    german_home.title, german_home.headline = "Hilfe-Center", "Wie können wir helfen?"
    german_home = publish_page(german_home)
    orders = make_category("Orders", description="Delivery and tracking.", icon="truck")
    german_orders = orders.copy_for_translation(locale_de)
    german_orders.title = "Bestellungen"
    publish_page(german_orders)
    article = make_article("Can I pay with a voucher?", category=orders)
    return {"german_home": german_home, "article": article}


@pytest.mark.parametrize("viewport", [None, MOBILE], ids=["desktop", "mobile"])
def test_switching_to_german_on_an_untranslated_article_opens_the_german_help_home(
    live_server, open_page, screenshot, bilingual, viewport
):
    page = open_page(**({"viewport": viewport} if viewport else {}))
    page.goto(live_server.url + bilingual["article"].url)
    switcher = page.get_by_role("navigation", name="Language")
    expect(switcher).to_be_visible()
    screenshot(page, f"untranslated-article-{'mobile' if viewport else 'desktop'}")
    switcher.locator('a[hreflang="de"]').click()
    expect(page).to_have_url(live_server.url + bilingual["german_home"].url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie können wir helfen?")


@pytest.mark.parametrize("viewport", [None, MOBILE], ids=["desktop", "mobile"])
def test_unknown_german_address_shows_the_german_404_with_a_search_box(
    live_server, open_page, screenshot, bilingual, settings, viewport
):
    page = open_page(locale="de-DE", **({"viewport": viewport} if viewport else {}))
    response = page.goto(live_server.url + "/de/gibt-es-nicht/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Seite finden wir nicht")
    screenshot(page, f"not-found-de-{'mobile' if viewport else 'desktop'}")
    search = page.get_by_role("combobox", name="Hilfe-Center durchsuchen")
    search.fill("Gutschein")
    search.press("Enter")
    expect(page).to_have_url(live_server.url + "/de/search/?q=Gutschein")
