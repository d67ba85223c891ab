from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from community.sitemaps import ThreadSitemap
from faq.api import api_router
from helpcenter.sitemaps import TranslatedSitemap


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page links."""
    return HttpResponsePermanentRedirect(static_url("helpcenter/favicon.svg"))


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # wagtail-helpcenter: API v2 for articles and categories, a sitemap of both languages.
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap,
                                               "threads": ThreadSitemap}}),
    path("favicon.ico", favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("accounts/", include("allauth.urls")),
    path("community-mail/", include("community.urls")),
    path("", include(wagtail_urls)),
)

# wagtail-helpcenter: error pages in the help-center layout, in the language of the URL.
handler404 = "helpcenter.views.page_not_found"
handler500 = "helpcenter.views.server_error"
