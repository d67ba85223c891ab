from django.core.paginator import Paginator
from django.shortcuts import render
from haystack.query import SearchQuerySet
from wagtail.models import Locale

from faq.listings import article_model, with_categories

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    results_page = None
    if query:
        results = (
            SearchQuerySet()
            .models(article_model())
            .filter(locale=Locale.get_active().language_code)
            .auto_query(query)
            .load_all()
        )
        results_page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page") or 1)
        results_page.object_list = with_categories(
            hit.object for hit in results_page.object_list if hit.object is not None
        )
    return render(request, "search/results.html", {"query": query, "results_page": results_page})
