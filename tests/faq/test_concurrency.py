"""Concurrent customers: no view or vote is lost, and SQLite never reports "database is locked"."""

import pytest
from django.test import Client

from faq import popularity
from faq.models import ArticleDailyViews, ArticleFeedback, ArticleStats
from tests.helpers import run_concurrently

THREADS = 8
PER_THREAD = 25
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


def run_in_threads(work):
    assert run_concurrently(work, THREADS) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted(make_article):
    article = make_article()

    def view(number):
        for _ in range(PER_THREAD):
            popularity.record_view(article.pk)

    run_in_threads(view)
    assert ArticleStats.objects.get(page=article).views == THREADS * PER_THREAD
    assert ArticleDailyViews.objects.get(page=article).views == THREADS * PER_THREAD


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_through_http_are_all_kept(make_article):
    article = make_article()

    def vote(number):
        for round_ in range(3):
            client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"10.0.{number}.{round_}")
            response = client.post(article.url + "feedback/", {"helpful": "yes"})
            assert response.status_code == 302

    run_in_threads(vote)
    assert ArticleFeedback.objects.count() == THREADS * 3
    assert ArticleStats.objects.get(page=article).helpful_yes == THREADS * 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishing_and_viewing(make_category, make_article):
    """Publishing reads before it writes inside one transaction: the pattern that fails with
    "database is locked" on SQLite unless transactions take the write lock up front."""
    category = make_category()
    articles = [make_article(category=category) for _ in range(THREADS)]

    def publish_and_view(number):
        article = articles[number]
        for round_ in range(4):
            article.title = f"Question {number}, revision {round_}"
            article.save_revision().publish()
            popularity.record_view(article.pk)

    run_in_threads(publish_and_view)
    for number, article in enumerate(articles):
        article.refresh_from_db()
        assert article.title == f"Question {number}, revision 3"
        assert ArticleStats.objects.get(page=article).views == 4
