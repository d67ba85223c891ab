"""How the help search weighs threads (solved ones above unsolved, popular ones higher) and
which threads may answer a customer."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from search.registry import Answer

from .conf import app_settings
from .links import thread_url
from .models import PostState, Thread


def thread_popularity(ids: list[int]) -> dict[int, float]:
    """Views plus ten per helpful vote (a vote says more than a look)."""
    rows = Thread.objects.filter(pk__in=ids).values_list("pk", "view_count", "vote_count")
    return {pk: views + 10 * votes for pk, views, votes in rows}


def thread_weights(ids: list[int]) -> dict[int, float]:
    """Unsolved threads' scores are multiplied by HELPCENTER_COMMUNITY_UNSOLVED_SEARCH_WEIGHT,
    and those without activity for STALE_AFTER_MONTHS by STALE_SEARCH_WEIGHT as well."""
    unsolved = Thread.objects.filter(pk__in=ids, accepted_post__isnull=True)
    weight = app_settings.UNSOLVED_SEARCH_WEIGHT
    weights = dict.fromkeys(unsolved.values_list("pk", flat=True), weight)
    if app_settings.STALE_AFTER_MONTHS:
        since = timezone.now() - dt.timedelta(days=round(30.44 * app_settings.STALE_AFTER_MONTHS))
        stale = unsolved.filter(last_activity_at__lt=since).values_list("pk", flat=True)
        weights.update(dict.fromkeys(stale, weight * app_settings.STALE_SEARCH_WEIGHT))
    return weights


def fallback_threads(language: str) -> QuerySet:
    """Searchable threads of a language, for when the index is down."""
    return Thread.objects.searchable().in_language(language).select_related("board__locale")


def answering_threads(ids: list[int]) -> list[Answer]:
    """The solved, searchable threads among `ids` whose accepted answer is visible: those the
    contact form and its automatic reply may suggest."""
    threads = Thread.objects.searchable().filter(
        pk__in=ids, accepted_post__state=PostState.APPROVED
    ).select_related("board")
    return [
        Answer(thread.pk, thread.title, url)
        for thread in threads
        if (url := thread_url(thread))
    ]
