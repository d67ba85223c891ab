"""Visible threads in the sitemap, beside the pages (helpcenter.sitemaps)::

    from community.sitemaps import ThreadSitemap
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap,
                                               "threads": ThreadSitemap}}),
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from wagtail.contrib.sitemaps import Sitemap

from .links import forum_url_for
from .models import Thread, forum_page_model


class ThreadSitemap(Sitemap):
    """Threads the public sees, on the live forum page of their language, newest activity as
    `lastmod`, on the same host as the pages (the Wagtail site's root URL). Override `items` to
    leave some out."""

    limit = 5000

    def _root(self):
        return urlsplit(self.get_wagtail_site().root_url)

    def get_protocol(self, protocol=None):
        return self._root().scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return self._root().netloc or super().get_domain(site)

    def _urls(self, page, protocol, domain):
        return DjangoSitemap._urls(self, page, protocol, domain)  # items are not pages

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
