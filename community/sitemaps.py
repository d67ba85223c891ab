"""Visible threads in the sitemap, beside the pages (helpcenter.sitemaps)::

    from community.sitemaps import ThreadSitemap
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap,
                                               "threads": ThreadSitemap}}),
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap

from .links import forum_url_for
from .models import Thread, forum_page_model


class ThreadSitemap(Sitemap):
    """Threads the public sees, on the live forum page of their language, newest activity as
    `lastmod`. Override `items` to leave some out."""

    limit = 5000

    def items(self):
        locales = forum_page_model().objects.live().public().values("locale_id")
        return (
            Thread.objects.visible().filter(board__locale_id__in=locales)
            .select_related("board").only("pk", "slug", "last_activity_at", "board__locale_id")
            .order_by("pk")
        )

    def location(self, thread):
        return urlsplit(forum_url_for(thread.board.locale_id) or "/").path + thread.url_part

    def lastmod(self, thread):
        return thread.last_activity_at
