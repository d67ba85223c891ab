"""How popular an article is: decayed views combined with how helpful customers found it.

Views decay exponentially with a half-life (``HELPCENTER_POPULARITY_HALF_LIFE_DAYS``). Instead of
rewriting every article's score as time passes, each view adds a weight that grows with time,
``2 ** (t / half_life)``. Ordering by the stored sum is the same as ordering by decayed views,
because every article's sum would be divided by the same factor; so a view is one atomic
``F()`` increment and the ranking query is a plain ORDER BY.
"""

import datetime as dt

from django.db import models
from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from helpcenter.counters import increment

from .conf import app_settings

EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def view_weight(at: dt.datetime | None = None) -> float:
    """The weight a view at `at` adds to an article's hot view sum."""
    at = at or timezone.now()
    half_life = app_settings.POPULARITY_HALF_LIFE_DAYS * 86400
    return 2.0 ** ((at - EPOCH).total_seconds() / half_life)


def decayed_views(hot_views: float, at: dt.datetime | None = None) -> float:
    """The decayed view count a stored hot view sum stands for at `at`."""
    return hot_views / view_weight(at)


def helpful_ratio(yes: int, no: int) -> float:
    """Share of "helpful" votes, smoothed so that one vote does not decide everything."""
    return (yes + 1) / (yes + no + 2)


def popularity_expression(prefix: str = "helpcenter_stats__") -> models.Expression:
    """An ORDER BY expression: hot views weighted by the smoothed helpful ratio.

    `prefix` is the lookup path from the queried model to its ArticleStats row.
    """
    yes = Cast(Coalesce(F(f"{prefix}helpful_yes"), 0), FloatField())
    no = Cast(Coalesce(F(f"{prefix}helpful_no"), 0), FloatField())
    hot = Coalesce(F(f"{prefix}hot_views"), Value(0.0), output_field=FloatField())
    return hot * (yes + Value(1.0)) / (yes + no + Value(2.0))


def order_by_popularity(queryset: models.QuerySet) -> models.QuerySet:
    """Pinned articles first, then the most popular, then alphabetically."""
    return queryset.annotate(popularity=popularity_expression()).order_by(
        "-pinned", "-popularity", "title"
    )


def record_view(page_id: int, at: dt.datetime | None = None) -> None:
    """Count one customer view of an article."""
    from .models import ArticleDailyViews, ArticleStats

    at = at or timezone.now()
    weight = view_weight(at)
    increment(ArticleStats, {"page_id": page_id}, {"views": 1, "hot_views": weight})
    increment(ArticleDailyViews, {"page_id": page_id, "date": timezone.localdate(at)}, {"views": 1})


def record_vote(page_id: int, helpful: bool, count: int = 1) -> None:
    """Count one "Was this helpful?" answer (or `count` of them, for history brought along)."""
    from .models import ArticleStats

    field = "helpful_yes" if helpful else "helpful_no"
    increment(ArticleStats, {"page_id": page_id}, {field: count})


def record_past_views(page_id: int, views_by_day: dict[dt.date, int]) -> None:
    """Add the views of earlier days at once: history from another help desk, the demo's usage.

    Each day's views weigh as if seen at noon that day, so they decay like live views. Meant for
    imports, not for requests: concurrent calls for the same article and day may collide.
    """
    from .models import ArticleDailyViews, ArticleStats

    views_by_day = {day: views for day, views in views_by_day.items() if views > 0}
    if not views_by_day:
        return
    zone = timezone.get_current_timezone()
    hot_views = sum(
        views * view_weight(dt.datetime.combine(day, dt.time(12), tzinfo=zone))
        for day, views in views_by_day.items()
    )
    total = sum(views_by_day.values())
    increment(ArticleStats, {"page_id": page_id}, {"views": total, "hot_views": hot_views})
    existing = set(
        ArticleDailyViews.objects.filter(page_id=page_id, date__in=views_by_day).values_list(
            "date", flat=True
        )
    )
    for day in existing:
        lookup = {"page_id": page_id, "date": day}
        increment(ArticleDailyViews, lookup, {"views": views_by_day[day]})
    ArticleDailyViews.objects.bulk_create(
        ArticleDailyViews(page_id=page_id, date=day, views=views)
        for day, views in views_by_day.items()
        if day not in existing
    )


def change_vote(page_id: int, helpful: bool) -> None:
    """Move one visitor's answer to the other side (they changed their mind)."""
    from .models import ArticleStats

    gained, lost = ("helpful_yes", "helpful_no") if helpful else ("helpful_no", "helpful_yes")
    ArticleStats.objects.filter(page_id=page_id).update(
        **{gained: F(gained) + 1, lost: Greatest(F(lost) - 1, 0)}
    )


def scores(page_ids: list[int]) -> dict[int, float]:
    """The popularity of these articles now (decayed views times the helpful ratio)."""
    from .models import ArticleStats

    weight = view_weight()
    return {
        stats.page_id: stats.hot_views / weight * helpful_ratio(stats.helpful_yes, stats.helpful_no)
        for stats in ArticleStats.objects.filter(page_id__in=page_ids)
    }
