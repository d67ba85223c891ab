"""An editor reads the search report and hides a search term from autocomplete."""

import re

import pytest
from playwright.sync_api import expect

from search import analytics
from search.models import Query

from .conftest import MOBILE
from .test_query_tester import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def searched(db):
    people = [analytics.Searcher(visitor=f"v{n}", address=f"a{n}") for n in range(6)]
    spellings = ["Brille drückt"] * 4 + ["brille druckt", "BRILLE DRÜCKT"]
    for person, spelling in zip(people, spellings, strict=True):
        analytics.log_search(spelling, "de", 3, searcher=person)
    analytics.log_click("Brille drückt", "de", None, "/de/hilfe/", "Hilfe")
    for person in people[:5]:
        analytics.log_search("refund via evil-refunds.example", "en", 2, searcher=person)
    analytics.log_click("refund via evil-refunds.example", "en", None, "/en/", "Help")
    analytics.log_search("Rückerstattung", "de", 0)


@pytest.mark.parametrize("viewport", [None, MOBILE], ids=["desktop", "phone"])
def test_editor_reads_top_searches_and_hides_one(
    live_server, open_page, screenshot, editor, searched, viewport
):
    page = open_page(viewport=viewport) if viewport else open_page()
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/help-search/top-searches/")
    table = page.locator("table.listing")
    expect(table).to_contain_text("Brille drückt")
    expect(table).not_to_contain_text("brille druckt")
    expect(table).to_contain_text("Rückerstattung")
    screenshot(page, f"search-report-top-searches-{'phone' if viewport else 'desktop'}")
    assert analytics.popular_queries("refund", "en") == ["refund via evil-refunds.example"]

    row = table.locator("tr", has_text="refund via evil-refunds.example")
    row.get_by_role("button", name="Hide").click()
    expect(page.get_by_text("Hidden from autocomplete.")).to_be_visible()
    expect(table.locator("tr", has_text="refund via evil-refunds.example")).to_contain_text(
        re.compile("Hidden")
    )
    assert Query.objects.get(text="refund via evil-refunds.example").hidden
    assert analytics.popular_queries("refund", "en") == []
