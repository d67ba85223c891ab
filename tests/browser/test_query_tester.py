import re

import pytest
from playwright.sync_api import expect

from faq.models import ArticlePage
from search.models import Synonym

from .conftest import MOBILE

pytestmark = pytest.mark.browser

RETURNS = "Wie funktioniert die Rückgabe und Erstattung?"
QUERY = "Wie funktionirt das Zurückschicken?"  # stop words, a typo, an umlaut, a synonym


@pytest.fixture
def german_help_center(help_center, locale_de, make_category):
    german = help_center.copy_for_translation(locale_de)
    german.save_revision().publish()
    german.refresh_from_db()
    articles = [
        ("Rücksendung", RETURNS, "Drucken Sie das Rücksendeetikett im Kundenkonto aus.", "Retoure"),
        (
            "Rücksendung",
            "Meine Brille ist kaputt – wie reklamiere ich?",
            "Schicken Sie uns ein Foto über das Reklamationsformular.",
            "defekt, Garantie",
        ),
        (
            "Versand",
            "Wo ist mein Paket?",
            "Folgen Sie dem Link zur Sendungsverfolgung.",
            "Lieferung",
        ),
    ]
    categories = {}
    for category, title, short_answer, keywords in articles:
        if category not in categories:
            categories[category] = make_category(category, parent=german)
        article = categories[category].add_child(
            instance=ArticlePage(
                title=title, short_answer=short_answer, keywords=keywords, locale=locale_de
            )
        )
        article.save_revision().publish()
    Synonym.objects.create(locale=locale_de, line="Zurückschicken, Rückgabe")
    return german


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))


def test_editor_tests_a_query_from_the_menu(
    live_server, open_page, screenshot, german_help_center, editor
):
    page = open_page()
    log_in(page, live_server, editor.username)

    page.get_by_role("button", name="Help search").click()
    page.get_by_role("link", name="Query tester").click()
    expect(page).to_have_title(re.compile("^Query tester"))

    page.get_by_role("textbox", name=re.compile("^Query")).fill(QUERY)
    page.get_by_label("Language").select_option(label="German")
    page.get_by_role("button", name="Test").click()

    expect(page).to_have_url(re.compile(r"\?q=Wie\+funktionirt.*&locale=de"))
    summary = page.get_by_role("heading", name=re.compile(r"results? for “Wie funktionirt"))
    expect(summary).to_be_visible()
    normalised = page.locator("[data-step=normalised]")
    expect(normalised).to_have_text("wie funktionirt das zuruckschicken?")
    expect(page.locator("[data-step=words] .qt-token--stop")).to_have_count(2)
    typos = page.locator("[data-step=typos]")
    expect(typos.get_by_role("row").nth(1)).to_contain_text("funktionirt")
    expect(typos.get_by_role("row").nth(1)).to_contain_text("funktioniert")
    synonyms = page.locator("[data-step=synonyms]")
    expect(synonyms.get_by_role("link", name="Zurückschicken, Rückgabe")).to_be_visible()
    expect(page.locator("[data-step=query]")).to_contain_text("ruckgab^0.8")
    results = page.locator("[data-results]")
    expect(results.get_by_role("row").nth(1)).to_contain_text(RETURNS)
    expect(page.get_by_role("link", name="Did you mean")).to_have_count(0)
    expect(page.get_by_text("Did you mean")).to_be_visible()
    screenshot(page, "admin-query-tester")
    page.locator("#step-query").scroll_into_view_if_needed()
    screenshot(page, "admin-query-tester-plan")
    results.scroll_into_view_if_needed()
    screenshot(page, "admin-query-tester-results")

    results.get_by_role("link", name=RETURNS).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))


def test_query_tester_fits_a_narrow_screen(
    live_server, open_page, screenshot, german_help_center, editor
):
    page = open_page(viewport=MOBILE)
    log_in(page, live_server, editor.username)
    page.goto(live_server.url + "/admin/help-search/query-tester/?q=Rückgabe&locale=de")
    expect(page.locator("[data-results]")).to_contain_text(RETURNS)
    screenshot(page, "admin-query-tester-mobile")


def test_the_category_list_follows_the_chosen_language(
    live_server, open_page, german_help_center, make_category, make_article, editor
):
    make_article("Where is my parcel?", category=make_category("Shipping"))  # English
    page = open_page()
    log_in(page, live_server, editor.username)
    page.goto(live_server.url + "/admin/help-search/query-tester/")
    category = page.get_by_label("Category")
    offered = category.locator("option:not([hidden])")

    page.get_by_label("Language").select_option(label="German")
    expect(offered).to_have_text(["All categories", "Rücksendung", "Versand"])
    category.select_option(label="Versand")
    page.get_by_label("Language").select_option(label="English")
    expect(offered).to_have_text(["All categories", "Shipping"])
    expect(category).to_have_value("")
