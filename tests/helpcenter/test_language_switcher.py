"""The language switcher links a page's translation, or the other language's help home."""

import re

import pytest
from django.test import Client

from tests.helpers import publish_page

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


@pytest.fixture
def bilingual(help_center, locale_de, make_category, make_article):
    """An English help center with a German translation; one article translated, one not."""
    german_home = publish_page(help_center.copy_for_translation(locale_de))
    german_home.headline = "Wie können wir helfen?"
    publish_page(german_home)
    orders = make_category("Orders")
    german_orders = publish_page(orders.copy_for_translation(locale_de))
    translated = make_article("Where is my parcel?", category=orders)
    german = translated.copy_for_translation(locale_de)
    german.title = "Wo ist mein Paket?"
    german = publish_page(german)
    english_only = make_article("Can I pay with a voucher?", category=orders)
    return {
        "german_home": german_home,
        "german_orders": german_orders,
        "translated": translated,
        "german": german,
        "english_only": english_only,
    }


def _switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="hc-languages".*?</nav>', html, re.S)
    assert nav, "no language switcher"
    link = r'<a class="hc-languages__link" href="([^"]+)" hreflang="(\w+)"'
    return dict(re.findall(link, nav[0]))


def _alternates(html: str) -> set[str]:
    return set(re.findall(r'<link rel="alternate" hreflang="(\w+)"', html))


def test_a_page_without_translation_links_the_other_languages_help_home(bilingual):
    html = Client(HTTP_USER_AGENT=BROWSER).get(bilingual["english_only"].url).content.decode()
    links = _switcher_links(html)
    assert links == {bilingual["english_only"].url: "en", bilingual["german_home"].url: "de"}
    assert _alternates(html) == set()  # the German help home is not this page in German


def test_a_translated_page_links_its_translation(bilingual):
    html = Client(HTTP_USER_AGENT=BROWSER).get(bilingual["translated"].url).content.decode()
    expected = {bilingual["translated"].url: "en", bilingual["german"].url: "de"}
    assert _switcher_links(html) == expected
    assert _alternates(html) == {"en", "de"}


def test_a_translation_that_is_not_live_is_replaced_by_the_help_home(bilingual):
    bilingual["german"].unpublish()
    html = Client(HTTP_USER_AGENT=BROWSER).get(bilingual["translated"].url).content.decode()
    assert _switcher_links(html)[bilingual["german_home"].url] == "de"
