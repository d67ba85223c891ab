"""sitemap.xml lists the pages of both languages, each with its hreflang alternates."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.helpers import publish_page

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def bilingual(help_center, locale_de, make_category, make_article):
    german_home = publish_page(help_center.copy_for_translation(locale_de))
    orders = make_category("Orders")
    publish_page(orders.copy_for_translation(locale_de))
    parcel = make_article("Where is my parcel?", category=orders)
    paket = publish_page(parcel.copy_for_translation(locale_de))
    english_only = make_article("Can I pay with a voucher?", category=orders)
    draft = make_article("Draft", category=orders, publish=False)
    return {"home": help_center, "german_home": german_home, "parcel": parcel, "paket": paket,
            "english_only": english_only, "draft": draft}


def _sitemap():
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    urls = {}
    sitemap = ET.fromstring(response.content)  # noqa: S314 - our own response
    for url in sitemap.findall("s:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        urls[url.find("s:loc", NS).text] = alternates
    return urls


def test_sitemap_lists_both_languages_with_hreflang_alternates(bilingual):
    urls = _sitemap()
    full = {name: page.get_full_url() for name, page in bilingual.items()}
    assert {full["home"], full["german_home"], full["parcel"], full["paket"]} <= set(urls)
    assert urls[full["parcel"]] == {"en": full["parcel"], "de": full["paket"]}
    assert urls[full["paket"]] == {"en": full["parcel"], "de": full["paket"]}
    assert urls[full["german_home"]] == {"en": full["home"], "de": full["german_home"]}
    assert urls[full["english_only"]] == {}
    assert full["draft"] not in urls
