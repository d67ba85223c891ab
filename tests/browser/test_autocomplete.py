"""The live suggestions under the search boxes (helpcenter/static/helpcenter/autocomplete.js)."""

import contextlib
import re

import pytest
from playwright.sync_api import Error, expect

from search import analytics

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

# Suggestions match titles and keywords: the articles share words there on purpose.
ENGLISH = [
    ("Frames & nose pads", "How do I replace the nose pads?",
     "Order a set of nose pads in your account and click them onto the pad arms.",
     "Nose pads wear out. Pull the old pad off the metal arm and press the new one on.",
     "pads, spare parts, account"),
    ("Frames & nose pads", "How do I clean my glasses?",
     "Rinse them under lukewarm water and dry them with the microfibre cloth.",
     "Never use paper tissues: they scratch the lenses.",
     "cleaning, lens cloth"),
    ("Returns", "How do I return my order and get a refund?",
     "Print the return label in your account; the refund follows within 5 days.",
     "Pack the glasses in the original case. Refunds go back to the original payment.",
     "send back, money, account"),
    ("Returns", "My glasses are broken - how do I file a complaint?",
     "Send us a photo through the complaint form; under guarantee we repair them free.",
     "Our 2-year guarantee covers material and manufacturing defects.",
     "defect, guarantee"),
    ("Shipping", "Where is my parcel?",
     "Follow the tracking link in your shipping confirmation e-mail.",
     "Parcels travel with DHL and arrive within 2 to 3 working days.",
     "tracking, delivery"),
]
GERMAN = [
    ("Fassungen & Nasenpads", "Wie tausche ich die Nasenpads aus?",
     "Bestellen Sie Ersatz-Nasenpads im Kundenkonto und stecken Sie sie auf.",
     "Die Nasenpads Ihrer Brille nutzen sich ab. Ziehen Sie das alte Pad vom Bügel ab.",
     "Pads, Ersatzteile"),
    ("Versand", "Wo ist mein Paket?",
     "Folgen Sie dem Link zur Sendungsverfolgung in der Versandbestätigung.",
     "Pakete reisen mit DHL und kommen in 2 bis 3 Werktagen an.",
     "Sendungsverfolgung, Lieferung"),
]


def _add_articles(pages, home, articles, make_category, make_article):
    for category_title, title, short_answer, text, keywords in articles:
        if category_title not in pages:
            pages[category_title] = make_category(category_title, parent=home)
        pages[title] = make_article(
            title, category=pages[category_title], short_answer=short_answer,
            keywords=keywords, body=[{"type": "rich_text", "value": f"<p>{text}</p>"}],
        )
    return pages


@pytest.fixture
def help_articles(help_center, make_category, make_article):
    """Published English articles; the live server's commits index them."""
    return _add_articles({"home": help_center}, help_center, ENGLISH, make_category, make_article)


@pytest.fixture
def german_articles(help_articles, locale_de, make_category, make_article):
    """The help center in German as well."""
    german_home = help_articles["home"].copy_for_translation(locale_de)
    german_home.save_revision().publish()
    german_home.refresh_from_db()
    return _add_articles(
        {**help_articles, "german home": german_home}, german_home, GERMAN,
        make_category, make_article,
    )


def search_box(page):
    return page.get_by_role("combobox", name="Search the help center")


def suggestions(page):
    return page.get_by_role("listbox", name="Suggestions")


def live_region(page):
    return page.get_by_role("search").get_by_role("status")


def type_into(page, box, text):
    box.click()
    page.keyboard.type(text)


def test_keyboard_chooses_an_article_on_the_help_home(
    live_server, open_page, screenshot, help_articles
):
    page = open_page(viewport=DESKTOP)
    page.goto(live_server.url + help_articles["home"].url)
    box = search_box(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")

    type_into(page, box, "glases br")
    options = suggestions(page).get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("My glasses are broken - how do I file a complaint?")
    expect(options.nth(1)).to_contain_text("How do I clean my glasses?")
    broken = options.nth(0)
    expect(broken).to_contain_text("Returns")
    expect(broken).to_contain_text("Send us a photo through the complaint form")
    expect(broken.locator(".hc-autocomplete__title mark").last).to_have_text("br")
    expect(broken).to_have_accessible_name(
        "My glasses are broken - how do I file a complaint? Returns"
    )
    expect(broken).to_have_accessible_description(re.compile("^Send us a photo"))
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", suggestions(page).get_attribute("id"))
    expect(live_region(page)).to_have_text("2 suggestions available")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))

    first, second = options.nth(0), options.nth(1)
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()
    screenshot(page, "autocomplete-home-desktop")

    title = first.locator(".hc-autocomplete__title").inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert page.url == live_server.url + help_articles[title].url


def test_escape_tab_and_enter_without_a_choice(live_server, open_page, help_articles):
    page = open_page()
    page.goto(live_server.url + help_articles["home"].url)
    box = search_box(page)
    listbox = suggestions(page)

    type_into(page, box, "xylophon")
    expect(live_region(page)).to_have_text("No suggestions")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    page.keyboard.press("Control+A")
    page.keyboard.type("parcl")
    expect(listbox.get_by_role("option")).to_have_text([re.compile("Where is my parcel?")])
    expect(live_region(page)).to_have_text("1 suggestion available")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    assert box.evaluate("input => input.selectionStart") == 0
    expect(listbox).to_be_visible()

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("parcl")
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", re.compile("option-0$"))
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(listbox).to_be_hidden()

    page.keyboard.type("parcel")
    expect(listbox).to_be_visible()
    page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()
    expect(box).not_to_be_focused()

    box.focus()
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    page.keyboard.press("End")  # back in the text, no active option: Enter searches
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=parcel$"))
    expect(page.get_by_role("link", name="Where is my parcel?")).to_be_visible()


def test_a_slow_answer_to_an_older_query_is_dropped(live_server, open_page, help_articles):
    page = open_page()
    held, aborted = [], []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/search/api/autocomplete/**", hold_the_first)
    page.on("requestfailed", lambda request: aborted.append(request.url))
    page.goto(live_server.url + help_articles["home"].url)
    box = search_box(page)
    with page.expect_request(lambda request: "q=refnd" in request.url):
        type_into(page, box, "refnd")
    page.keyboard.press("Control+A")
    page.keyboard.type("parcl")
    expect(suggestions(page).get_by_role("option")).to_have_text(
        [re.compile("Where is my parcel?")]
    )
    assert [url for url in aborted if "q=refnd" in url], "the older request was not aborted"
    with contextlib.suppress(Error):  # already aborted by the page
        held[0].fulfill(json={"query": "refnd", "results": [
            {"title": "Stale answer", "url": "/", "type": "article"}]})
    expect(suggestions(page).get_by_role("option")).to_have_text(
        [re.compile("Where is my parcel?")]
    )


def test_markup_in_articles_is_shown_as_text(
    live_server, open_page, help_articles, make_article
):
    title = 'Why does <img src=x onerror="document.body.dataset.hacked=1"> show in my order?'
    make_article(title, category=help_articles["Returns"],
                 short_answer="<b>Bold</b> & <i>markup</i> in an order note stays text.")
    page = open_page()
    page.goto(live_server.url + help_articles["home"].url)
    type_into(page, search_box(page), "onerro")
    option = suggestions(page).get_by_role("option").filter(has_text="Why does")
    expect(option.locator(".hc-autocomplete__title")).to_have_text(title)
    expect(option.locator(".hc-autocomplete__answer")).to_have_text(
        "<b>Bold</b> & <i>markup</i> in an order note stays text."
    )
    expect(option.locator("img, b, i")).to_have_count(0)
    assert page.evaluate("document.body.dataset.hacked") is None


def make_popular(text, people=5):
    """`people` visitors from as many addresses search `text`, and one opens a result."""
    for number in range(people):
        person = analytics.Searcher(visitor=f"visitor {number}", address=f"192.0.2.{number}")
        analytics.log_search(text, "en", 3, searcher=person)
    analytics.log_click(text, "en", None, "/en/", "Help")


def test_a_popular_search_is_offered_and_leads_to_the_results(
    live_server, open_page, help_articles
):
    make_popular("nose pads cleaning")
    page = open_page()
    page.goto(live_server.url + help_articles["home"].url)
    box = search_box(page)
    type_into(page, box, "nose p")

    popular = suggestions(page).locator(".hc-autocomplete__option--query")
    expect(popular).to_have_count(1)
    expect(popular).to_contain_text("Popular search")
    expect(popular.locator("use")).to_have_attribute("href", re.compile("#search$"))
    expect(popular.locator("mark")).to_have_text(["nose"])
    articles = suggestions(page).locator(".hc-autocomplete__option--article")
    expect(articles.first).to_contain_text("How do I replace the nose pads?")
    expect(articles.first.locator("use")).to_have_attribute("href", re.compile("#book$"))

    page.keyboard.press("ArrowUp")  # wraps to the last option, the popular search
    expect(box).to_have_attribute("aria-activedescendant", popular.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=nose\+pads\+cleaning$"))
    expect(page.get_by_label("What can we help you with?")).to_have_value("nose pads cleaning")


def test_header_box_on_an_article_page_at_phone_width(
    live_server, open_page, screenshot, help_articles
):
    page = open_page(viewport=MOBILE)
    page.goto(live_server.url + help_articles["Where is my parcel?"].url)
    box = search_box(page)
    type_into(page, box, "refnd")

    option = suggestions(page).get_by_role("option", name=re.compile("return my order"))
    expect(option).to_be_visible()
    # "refnd" was corrected by the server: the corrected word is marked, built as DOM nodes.
    expect(option.locator(".hc-autocomplete__title mark")).to_have_text(["refund"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the open suggestions scroll sideways ({width}px)"
    screenshot(page, "autocomplete-article-mobile")

    option.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do I return my order and get a refund?"
    )


def test_help_home_suggestions_fit_a_phone(live_server, open_page, screenshot, help_articles):
    make_popular("nose pads cleaning")
    page = open_page(viewport=MOBILE)
    page.goto(live_server.url + help_articles["home"].url)
    type_into(page, search_box(page), "nose p")
    expect(suggestions(page).locator(".hc-autocomplete__option--query")).to_be_visible()
    page.keyboard.press("ArrowDown")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the open suggestions scroll sideways ({width}px)"
    screenshot(page, "autocomplete-home-mobile")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "autocomplete-home-mobile-dark")


def test_category_page_prefers_its_own_topic(live_server, open_page, help_articles):
    page = open_page()
    options = suggestions(page).get_by_role("option")
    for category, expected in [
        ("Frames & nose pads", "How do I replace the nose pads?"),
        ("Returns", "How do I return my order and get a refund?"),
    ]:
        topic = help_articles[category]
        page.goto(live_server.url + topic.url)
        expect(page.get_by_role("search")).to_have_attribute("data-hc-category", str(topic.pk))
        type_into(page, search_box(page), "accoun")
        expect(options).to_have_count(2)
        expect(options.first).to_contain_text(expected)


def test_german_page_suggests_german_articles(
    live_server, open_page, screenshot, german_articles
):
    page = open_page(locale="de-DE")
    page.goto(live_server.url + german_articles["Wo ist mein Paket?"].url)
    box = page.get_by_role("search").get_by_role("combobox")
    type_into(page, box, "Nasenpds")
    option = page.get_by_role("listbox").get_by_role("option")
    expect(option).to_have_count(1)
    expect(option.locator(".hc-autocomplete__title")).to_have_text(
        "Wie tausche ich die Nasenpads aus?"
    )
    expect(option.locator(".hc-autocomplete__category")).to_have_text("Fassungen & Nasenpads")
    screenshot(page, "autocomplete-article-german-desktop")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + german_articles[
        "Wie tausche ich die Nasenpads aus?"].url)


def test_without_javascript_the_search_form_still_searches(live_server, browser, help_articles):
    context = browser.new_context(java_script_enabled=False, viewport=MOBILE)
    try:
        page = context.new_page()
        page.goto(live_server.url + help_articles["home"].url)
        box = page.get_by_role("searchbox", name="Search the help center")
        expect(page.get_by_role("combobox")).to_have_count(0)
        box.fill("nose pads")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/en/search/\?q=nose\+pads$"))
        expect(page.get_by_role("link", name="How do I replace the nose pads?")).to_be_visible()
    finally:
        context.close()
