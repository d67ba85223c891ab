"""Addresses of forum content outside a request to the forum page (search index, JSON-LD)."""

from django.core.cache import cache

from .models import forum_page_model

CACHE_KEY = "community:forum-url:{}"
CACHE_SECONDS = 3600


def forum_url_for(locale_id: int) -> str | None:
    """The path of the live forum page of a language (cached; forgotten when pages change)."""
    key = CACHE_KEY.format(locale_id)
    url = cache.get(key)
    if url is None:
        page = forum_page_model().objects.live().filter(locale_id=locale_id).first()
        url = page.url if page is not None else ""
        cache.set(key, url, CACHE_SECONDS)
    return url or None


def forget_forum_pages(**kwargs) -> None:
    from wagtail.models import Locale

    cache.delete_many([CACHE_KEY.format(pk) for pk in Locale.objects.values_list("pk", flat=True)])


def thread_url(thread) -> str | None:
    base = forum_url_for(thread.board.locale_id)
    return f"{base}{thread.url_part}" if base else None
