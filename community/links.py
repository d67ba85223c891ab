"""Addresses of forum content outside a request to the forum page (search index, JSON-LD)."""

from django.core.cache import cache

from .models import forum_page_model

CACHE_KEY = "community:forum-url:{}"
CACHE_SECONDS = 3600


def live_forum_page(locale_id: int):
    """The live forum page of a language, or None."""
    return forum_page_model().objects.live().filter(locale_id=locale_id).first()


def forum_url_for(locale_id: int) -> str | None:
    """The path of the live forum page of a language (cached; forgotten when pages change)."""
    key = CACHE_KEY.format(locale_id)
    url = cache.get(key)
    if url is None:
        page = live_forum_page(locale_id)
        url = page.url if page is not None else ""
        cache.set(key, url, CACHE_SECONDS)
    return url or None


def forget_forum_pages(**kwargs) -> None:
    from wagtail.models import Locale

    cache.delete_many([CACHE_KEY.format(pk) for pk in Locale.objects.values_list("pk", flat=True)])


def thread_url(thread) -> str | None:
    base = forum_url_for(thread.board.locale_id)
    return f"{base}{thread.url_part}" if base else None


def absolute_thread_url(thread) -> str:
    """The thread's absolute address, for mail ("" without a live forum page of its language)."""
    page = live_forum_page(thread.board.locale_id)
    base = (page.get_full_url() or "") if page is not None else ""
    return f"{base}{thread.url_part}" if base else ""
