"""A sitemap of every language of the site, each page with its translations as hreflang
alternates (wagtail.contrib.sitemaps lists only the default language's tree)::

    from wagtail.contrib.sitemaps.views import sitemap
    from helpcenter.sitemaps import TranslatedSitemap
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}),
"""

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    """Live, public pages of the site's root and its translations, with hreflang alternates.

    Override `alternates_for` to change which versions a page names.
    """

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        below_a_root = Q()
        for root in roots:
            below_a_root |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(below_a_root)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        translations = self._translations(pages)
        urls, last_mods = [], set()
        for item in pages:
            alternates = self.alternates_for(item, translations[item.translation_key])
            for url_info in item.get_sitemap_urls(self.request):
                urls.append({**url_info, "alternates": alternates} if alternates else url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _translations(self, pages) -> dict:
        """The live, public versions of these pages, by translation key (one query)."""
        keys = {page.translation_key for page in pages}
        versions = defaultdict(list)
        queryset = Page.objects.filter(translation_key__in=keys).live().public()
        for version in queryset.select_related("locale").order_by("locale__language_code"):
            versions[version.translation_key].append(version)
        return versions

    def alternates_for(self, page, versions) -> list[dict]:
        """`{"location", "lang_code"}` for each language version, when there are two or more."""
        alternates = [
            {"location": url, "lang_code": version.locale.language_code}
            for version in versions
            if (url := version.get_full_url(self.request))
        ]
        return alternates if len(alternates) > 1 else []
