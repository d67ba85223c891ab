"""Pages run a fixed number of SQL queries, however many articles the knowledge base holds."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from faq import popularity
from faq.models import ArticlePage
from search import indexing

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


def add_articles(category, count, start):
    """Fast bulk creation: live pages without revisions, each with views and a vote, indexed."""
    created = []
    for number in range(start, start + count):
        page = category.add_child(
            instance=ArticlePage(
                title=f"Question {number}?",
                slug=f"q-{number}",
                short_answer=f"Answer {number}.",
                live=True,
                pinned=number % 97 == 0,
            )
        )
        popularity.record_view(page.pk)
        popularity.record_vote(page.pk, helpful=number % 3 != 0)
        created.append(page.pk)
    indexing.apply("faq.articlepage", created)


def queries_for(url):
    """Queries of a new visitor's request, once per-process caches and logged rows exist."""
    Client(HTTP_USER_AGENT=BROWSER).get(url)
    client = Client(HTTP_USER_AGENT=BROWSER)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.slow
def test_query_counts_do_not_grow_with_articles(help_center, make_category):
    orders = make_category("Orders", description="Orders and invoices", icon="package")
    shipping = make_category("Shipping", parent=orders)
    returns = make_category("Returns")
    add_articles(orders, 4, 0)
    add_articles(shipping, 3, 100)
    add_articles(returns, 3, 200)
    article = ArticlePage.objects.get(slug="q-1")
    urls = {
        "help home": help_center.url,
        "category": orders.url,
        "subcategory": shipping.url,
        "article": article.url,
        "search": "/en/search/?q=question",
    }
    small = {name: queries_for(url) for name, url in urls.items()}

    add_articles(orders, 200, 1000)
    add_articles(shipping, 150, 2000)
    add_articles(returns, 140, 3000)
    assert ArticlePage.objects.live().count() == 500
    large = {name: queries_for(url) for name, url in urls.items()}

    print("\nSQL queries per page (10 articles -> 500 articles):")
    for name in urls:
        print(f"  {name:12s} {small[name]:3d} -> {large[name]:3d}")
    assert large == small
    assert max(large.values()) <= 30
