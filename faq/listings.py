"""The queries behind every knowledge-base listing.

Each function runs a fixed number of SQL queries, whatever the number of articles, so pages stay
fast as the knowledge base grows (tests/faq/test_query_counts.py holds them to it).
"""

from collections.abc import Iterable

import swapper
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from wagtail.models import Page

from .conf import app_settings
from .popularity import order_by_popularity


def article_model() -> type[Page]:
    return apps.get_model(app_settings.ARTICLE_MODEL)


def category_model() -> type[Page]:
    return apps.get_model(app_settings.CATEGORY_MODEL)


def _visible(queryset: QuerySet) -> QuerySet:
    return queryset.live().public()


def live_articles(root: Page) -> QuerySet:
    """Published, publicly visible articles anywhere below `root`."""
    return _visible(article_model().objects.descendant_of(root))


def _parent_path(page: Page) -> str:
    return page.path[: -Page.steplen]


def with_categories(articles: Iterable[Page]) -> list[Page]:
    """Give each article a `category` attribute (its parent category) in one query."""
    articles = list(articles)
    paths = {_parent_path(article) for article in articles}
    categories = {c.path: c for c in category_model().objects.filter(path__in=paths)}
    for article in articles:
        article.category = categories.get(_parent_path(article))
    return articles


def with_article_counts(categories: Iterable[Page]) -> list[Page]:
    """Give each category an `article_count` of the live articles below it, in one query."""
    categories = list(categories)
    if not categories:
        return categories
    prefix_length = categories[0].depth * Page.steplen
    counts = dict(
        _visible(article_model().objects.filter(path__startswith=_parent_path(categories[0])))
        .order_by()
        .annotate(prefix=Substr("path", 1, prefix_length))
        .values("prefix")
        .annotate(total=Count("pk"))
        .values_list("prefix", "total")
    )
    for category in categories:
        category.article_count = counts.get(category.path, 0)
    return categories


def top_categories(help_center: Page) -> list[Page]:
    return with_article_counts(_visible(category_model().objects.child_of(help_center)))


def subcategories(category: Page) -> list[Page]:
    return with_article_counts(_visible(category_model().objects.child_of(category)))


def category_articles(category: Page) -> QuerySet:
    """The articles filed directly in `category`, most popular first."""
    return order_by_popularity(_visible(article_model().objects.child_of(category)))


def top_articles(help_center: Page, limit: int) -> list[Page]:
    return with_categories(order_by_popularity(live_articles(help_center))[:limit])


def recent_articles(help_center: Page, limit: int) -> list[Page]:
    return with_categories(live_articles(help_center).order_by("-last_published_at")[:limit])


def breadcrumbs(page: Page) -> list[Page]:
    """The ancestors of `page` from its help center down (one query)."""
    from helpcenter.models import HelpCenterPage

    base_page = swapper.load_model("wagtailcore", "Page")
    trail = list(base_page.objects.ancestor_of(page).filter(depth__gt=1))
    help_center_type = ContentType.objects.get_for_model(HelpCenterPage).pk
    for index, ancestor in enumerate(trail):
        if ancestor.content_type_id == help_center_type:
            return trail[index:]
    return trail


def help_center_of(page: Page) -> Page | None:
    """The help-center page `page` belongs to, or None outside a help center."""
    from helpcenter.models import HelpCenterPage

    return HelpCenterPage.objects.ancestor_of(page, inclusive=True).order_by("-depth").first()


def related_articles(article: Page, limit: int) -> list[Page]:
    """Editor-chosen related articles first, then the most popular ones of the same category."""
    chosen = [
        block.value
        for block in article.related_articles
        if block.value is not None and block.value.live and block.value.pk != article.pk
    ][:limit]
    missing = limit - len(chosen)
    if missing > 0:
        exclude = [article.pk, *(page.pk for page in chosen)]
        siblings = _visible(article_model().objects.sibling_of(article, inclusive=False))
        chosen += list(order_by_popularity(siblings.exclude(pk__in=exclude))[:missing])
    return chosen


def feedback_of(article: Page, visitor: str):
    """The feedback this visitor already gave on `article`, if any."""
    from .models import ArticleFeedback

    return ArticleFeedback.objects.filter(page_id=article.pk, visitor=visitor).first()


def live_articles_in_language(language: str) -> QuerySet:
    """Published, public articles of one language, across help centers."""
    return _visible(article_model().objects.filter(locale__language_code=language))
