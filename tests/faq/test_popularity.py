import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from faq import listings, popularity
from faq.models import ArticleDailyViews, ArticleStats

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def test_a_view_weighs_double_one_half_life_later():
    with override_settings(HELPCENTER_POPULARITY_HALF_LIFE_DAYS=10):
        ratio = popularity.view_weight(NOW + dt.timedelta(days=10)) / popularity.view_weight(NOW)
    assert ratio == pytest.approx(2.0)


def test_decayed_views_halve_per_half_life(db):
    with override_settings(HELPCENTER_POPULARITY_HALF_LIFE_DAYS=7):
        hot = popularity.view_weight(NOW) * 4
        assert popularity.decayed_views(hot, NOW) == pytest.approx(4)
        assert popularity.decayed_views(hot, NOW + dt.timedelta(days=7)) == pytest.approx(2)


def test_record_view_counts_atomically_per_article_and_day(make_article):
    article = make_article()
    for _ in range(3):
        popularity.record_view(article.pk, at=NOW)
    popularity.record_view(article.pk, at=NOW + dt.timedelta(days=1))

    stats = ArticleStats.objects.get(page=article)
    assert stats.views == 4
    assert popularity.decayed_views(stats.hot_views, NOW) == pytest.approx(
        3 + 2 ** (1 / 30), rel=1e-9
    )
    daily = dict(ArticleDailyViews.objects.filter(page=article).values_list("date", "views"))
    assert daily == {NOW.date(): 3, (NOW + dt.timedelta(days=1)).date(): 1}


def test_recent_views_beat_old_views(make_article):
    old, recent = make_article(title="Old favourite"), make_article(title="New question")
    for _ in range(10):
        popularity.record_view(old.pk, at=NOW - dt.timedelta(days=365))
    for _ in range(2):
        popularity.record_view(recent.pk, at=NOW)
    ranked = popularity.order_by_popularity(listings.article_model().objects.all())
    assert [a.title for a in ranked] == ["New question", "Old favourite"]


def test_unhelpful_articles_sink(make_article):
    liked, disliked = make_article(title="B liked"), make_article(title="A disliked")
    for article in (liked, disliked):
        for _ in range(5):
            popularity.record_view(article.pk, at=NOW)
    for _ in range(4):
        popularity.record_vote(liked.pk, helpful=True)
        popularity.record_vote(disliked.pk, helpful=False)
    ranked = popularity.order_by_popularity(listings.article_model().objects.all())
    assert [a.title for a in ranked] == ["B liked", "A disliked"]


def test_pinned_articles_come_first(make_article):
    popular = make_article(title="Popular")
    pinned = make_article(title="Pinned", pinned=True)
    for _ in range(50):
        popularity.record_view(popular.pk, at=NOW)
    ranked = popularity.order_by_popularity(listings.article_model().objects.all())
    assert [a.pk for a in ranked] == [pinned.pk, popular.pk]


def test_helpful_ratio_is_smoothed():
    assert popularity.helpful_ratio(0, 0) == 0.5
    assert popularity.helpful_ratio(1, 0) == pytest.approx(2 / 3)
    assert popularity.helpful_ratio(99, 1) == pytest.approx(100 / 102)


def test_past_views_add_to_the_daily_rows_and_weigh_as_of_their_day(make_article):
    article, twin = make_article(), make_article()
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=60)
    popularity.record_view(article.pk)  # a live view today: the past views add to its row
    popularity.record_past_views(article.pk, {today: 2, long_ago: 5, today - dt.timedelta(1): 0})
    daily = dict(ArticleDailyViews.objects.filter(page_id=article.pk).values_list("date", "views"))
    assert daily == {today: 3, long_ago: 5}
    stats = ArticleStats.objects.get(page_id=article.pk)
    assert stats.views == 8
    popularity.record_past_views(twin.pk, {today: 8})
    assert stats.hot_views < ArticleStats.objects.get(page_id=twin.pk).hot_views
    popularity.record_vote(article.pk, True, 7)
    assert ArticleStats.objects.get(page_id=article.pk).helpful_yes == 7
