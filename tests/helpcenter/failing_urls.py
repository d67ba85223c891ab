"""The example site's URLs plus one view that fails, to see the 500 page."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from example_site.urls import handler404, handler500
from example_site.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def fail(request):
    raise RuntimeError("the database is down")


urlpatterns = i18n_patterns(path("fail/", fail)) + site_urlpatterns
