"""Wagtail API v2 endpoints for help articles and categories.

Published, public pages of the requested site in every language; ``?locale=de`` keeps one
language, and the other filters of Wagtail's pages endpoint work too (``child_of``,
``descendant_of``, ``translation_of``, ``search``, ``fields``, ``order``). Wire them into
``urls.py`` with the router below, or register the viewsets on your own router::

    from faq.api import api_router
    path("api/v2/", api_router.urls),

``rest_framework`` and ``wagtail.api.v2`` must be in ``INSTALLED_APPS``.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Locale

from .listings import article_model, category_model


class HelpPagesAPIViewSet(PagesAPIViewSet):
    """Pages of one help-center page type only: ``?type=`` cannot widen it to other pages.

    Override `get_queryset` to narrow it further (for example to one help center).
    """

    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"type"}

    def get_queryset(self):
        language_code = self.request.GET.get("locale")
        if language_code is not None and not Locale.objects.filter(
            language_code=language_code
        ).exists():
            raise BadRequestError(f"locale {language_code!r} is not one of this site's languages")
        public = self.get_base_queryset().values_list("pk", flat=True)
        return self.model.objects.filter(pk__in=public)


class ArticlesAPIViewSet(HelpPagesAPIViewSet):
    """Help articles: title, short answer, full answer (StreamField JSON), keywords."""

    name = "helpcenter_articles"
    model = article_model()
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "short_answer"]


class CategoriesAPIViewSet(HelpPagesAPIViewSet):
    """Help categories: title, description, icon."""

    name = "helpcenter_categories"
    model = category_model()
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "description"]


api_router = WagtailAPIRouter("helpcenter_api")
api_router.register_endpoint("articles", ArticlesAPIViewSet)
api_router.register_endpoint("categories", CategoriesAPIViewSet)
