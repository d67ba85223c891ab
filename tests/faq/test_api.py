"""The Wagtail API v2 endpoints for articles and categories, over HTTP."""

import pytest
from django.test import Client

from tests.helpers import publish_page


@pytest.fixture
def knowledge_base(help_center, locale_de, make_category, make_article):
    german_home = publish_page(help_center.copy_for_translation(locale_de))
    orders = make_category("Orders", description="Delivery and tracking.", icon="truck")
    german_orders = orders.copy_for_translation(locale_de)
    german_orders.title = "Bestellungen"
    german_orders = publish_page(german_orders)
    parcel = make_article("Where is my parcel?", category=orders, keywords="tracking")
    paket = parcel.copy_for_translation(locale_de)
    paket.title = "Wo ist mein Paket?"
    paket = publish_page(paket)
    draft = make_article("Secret draft about vouchers", category=orders, publish=False)
    withdrawn = make_article("Old shipping prices", category=orders)
    withdrawn.unpublish()
    return {
        "german_home": german_home, "orders": orders, "german_orders": german_orders,
        "parcel": parcel, "paket": paket, "draft": draft, "withdrawn": withdrawn,
    }


def _items(response):
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["items"]}


def test_articles_endpoint_lists_published_articles_only(knowledge_base):
    client = Client()
    items = _items(client.get("/api/v2/articles/"))
    assert set(items) == {knowledge_base["parcel"].pk, knowledge_base["paket"].pk}
    parcel = items[knowledge_base["parcel"].pk]
    assert parcel["title"] == "Where is my parcel?"
    assert parcel["short_answer"] == knowledge_base["parcel"].short_answer
    assert parcel["meta"]["locale"] == "en"
    assert parcel["meta"]["html_url"].endswith(knowledge_base["parcel"].url)
    for hidden in ("draft", "withdrawn"):
        url = f"/api/v2/articles/{knowledge_base[hidden].pk}/"
        assert client.get(url, follow=True).status_code == 404


def test_locale_filter_keeps_one_language(knowledge_base):
    client = Client()
    assert set(_items(client.get("/api/v2/articles/?locale=de"))) == {knowledge_base["paket"].pk}
    assert set(_items(client.get("/api/v2/categories/?locale=de"))) == {
        knowledge_base["german_orders"].pk
    }
    unknown = client.get("/api/v2/articles/?locale=zz")
    assert unknown.status_code == 400 and "zz" in unknown.json()["message"]


def test_article_detail_has_the_full_answer_and_type_cannot_widen_the_endpoint(knowledge_base):
    client = Client()
    detail = client.get(f"/api/v2/articles/{knowledge_base['parcel'].pk}/").json()
    assert detail["keywords"] == "tracking" and "body" in detail
    assert detail["meta"]["type"] == "faq.ArticlePage"
    assert client.get("/api/v2/articles/?type=wagtailcore.Page").status_code == 400
    categories = _items(client.get("/api/v2/categories/?locale=en"))
    assert categories[knowledge_base["orders"].pk]["description"] == "Delivery and tracking."
    assert knowledge_base["german_home"].pk not in categories
