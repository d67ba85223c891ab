"""The help search over HTTP: the results page and the JSON APIs.

Locale: the URL prefix (i18n_patterns) or Accept-Language picks the language, via Wagtail's
active locale; `?locale=de` overrides it for API callers.
"""

import html
import json
import re
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Locale

from helpcenter import ratelimit, visitors
from helpcenter.ids import parse_id
from helpcenter.links import local_redirect_target

from . import analytics, learning, registry, service
from .conf import app_settings
from .highlight import snippet
from .query import MESSAGE_MAX_LENGTH, QUERY_MAX_LENGTH
from .suggestions import suggest
from .text import normalise

SOURCES = {"help", "autocomplete", "contact", "forum", "api"}
_WORD_RE = re.compile(r"\w+")
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _language(request) -> str:
    requested = request.GET.get("locale", "")
    codes = {code for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [])}
    if requested in codes:
        return requested
    return Locale.get_active().language_code


def _query(request, name="q", max_length=QUERY_MAX_LENGTH) -> str:
    return request.GET.get(name, "")[: max_length * 2].replace("\x00", "")


def _source(request, default: str) -> str:
    source = request.GET.get("source", default)
    return source if source in SOURCES else default


def _source_names(data) -> list[str] | None:
    """`sources=articles,community`: the registered sources to answer from (None: default)."""
    names = [name for name in data.get("sources", "").split(",") if name]
    known = {source.name for source in registry.sources(names)}
    return [name for name in names if name in known] or None


def _json(data: dict, status: int = 200) -> HttpResponse:
    """JSON with <, > and & escaped, so that echoed input can never be read as markup."""
    body = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return HttpResponse(body, status=status, content_type="application/json")


def _throttled(request) -> HttpResponse | None:
    if ratelimit.allow("search-api", visitors.client_address(request),
                       app_settings.SEARCH_API_RATE_LIMIT_PER_MINUTE, 60):
        return None
    return _json({"error": _("Too many requests. Please wait a moment.")}, status=429)


def _click_url(result, query: str, language: str, source: str) -> str:
    params = {"q": query, "to": result.url, "pk": result.pk, "model": result.model,
              "locale": language, "source": source}
    return f"{reverse('helpcenter_search:click')}?{urlencode(params)}"


def _snippet_beyond_short_answer(result) -> str:
    """A snippet of the full answer with the customer's words marked, or "" when it would only
    repeat the short answer shown above it."""
    # An article's indexed text starts with its short answer: snippet only the rest.
    body = result.text
    if body.startswith(result.short_answer):
        body = body[len(result.short_answer):]
    marked = snippet(body, set(result.matched), result.language)

    def words(text: str) -> set[str]:
        return set(_WORD_RE.findall(normalise(text, None, locale=result.language)))

    extra = words(html.unescape(strip_tags(marked))) - words(result.short_answer)
    return marked if extra else ""


def _refines_a_search(request) -> bool:
    """A topic or source filter or another page of results: the same search, not a new one."""
    return any(name in request.GET for name in ("category", "in", "page"))


def _scopes() -> list[dict]:
    """The sources a customer may narrow the results to (offered when there are several)."""
    sources = registry.sources()
    if len(sources) < 2:
        return []
    return [{"name": source.name, "label": source.label} for source in sources]


@require_GET
def search(request):
    query = _query(request)
    language = _language(request)
    category_id = parse_id(request.GET.get("category"))
    scope = request.GET.get("in", "")
    scope = scope if registry.sources([scope]) else ""
    context = {"query": query.strip(), "results_page": None, "response": None, "facets": [],
               "scope": scope, "scopes": _scopes()}
    if not ratelimit.allow("search-page", visitors.client_address(request),
                           app_settings.SEARCH_PAGE_RATE_LIMIT_PER_MINUTE, 60):
        context["throttled"] = True
        return render(request, "search/results.html", context, status=429)
    if query.strip():
        response = service.search(query, language, sources=[scope] if scope else None)
        facets = Counter((r.category_id, r.category) for r in response.results if r.category_id)
        results = [r for r in response.results if not category_id or r.category_id == category_id]
        for result in results:
            result.click_url = _click_url(result, query, language, "help")
            source = registry.for_model(result.model)
            result.source_name = source.name if source else ""
            result.source_label = source.label if source else ""
        page = Paginator(results, app_settings.SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page") or 1
        )
        for result in page.object_list:
            result.snippet = _snippet_beyond_short_answer(result)
        if not _refines_a_search(request):
            analytics.log_search(query, language, len(results), source="help",
                                 searcher=analytics.searcher_of(request))
        context.update(
            response=response,
            results_page=page,
            category_id=category_id,
            facets=[
                {"id": cid, "title": title, "count": count}
                for (cid, title), count in facets.most_common()
            ],
        )
    return render(request, "search/results.html", context)


@require_GET
def click(request):
    """Count a click on a result, then go to it (works without JavaScript)."""
    target = local_redirect_target(
        request, request.GET.get("to", ""), reverse("helpcenter_search:results")
    )
    analytics.log_click(
        _query(request), _language(request),
        parse_id(request.GET.get("pk")), target, "", source=_source(request, "help"),
    )
    learning.record_click(request, _query(request), _language(request),
                          parse_id(request.GET.get("pk")))
    return HttpResponseRedirect(target)


@require_GET
def api_search(request):
    if throttled := _throttled(request):
        return throttled
    query = _query(request)
    language = _language(request)
    response = service.search(query, language)
    results = response.results[: app_settings.SEARCH_API_RESULTS]
    analytics.log_search(query, language, len(response.results), source=_source(request, "api"),
                         searcher=analytics.searcher_of(request))
    return _json({
        "query": query,
        "did_you_mean": response.did_you_mean,
        "results": [result.as_json() for result in results],
    })


@require_GET
def api_autocomplete(request):
    if throttled := _throttled(request):
        return throttled
    query = _query(request)
    language = _language(request)
    results = service.autocomplete(
        query, language, category_id=parse_id(request.GET.get("category")),
        limit=app_settings.AUTOCOMPLETE_RESULTS,
    )
    source = _source(request, "autocomplete")
    payload = [{**r.as_json(), "type": "article",
                "url": _click_url(r, query, language, source)} for r in results]
    search_url = reverse("helpcenter_search:results")
    for text in analytics.popular_queries(query, language, limit=3):
        payload.append({"title": text, "url": f"{search_url}?{urlencode({'q': text})}",
                        "category": "", "short_answer": "", "highlight": "", "score": 0.0,
                        "type": "query"})
    return _json({"query": query, "results": payload})


@require_http_methods(["GET", "POST"])
def api_suggest(request):
    """Answers for a whole message, each with a confidence in [0, 1] (docs/search.md)."""
    if throttled := _throttled(request):
        return throttled
    data = request.POST if request.method == "POST" else request.GET
    text = (data.get("q") or data.get("text") or "")[:MESSAGE_MAX_LENGTH].replace("\x00", "")
    language = _language(request)
    suggestions = suggest(text, language, limit=parse_id(data.get("limit")) or 3,
                          sources=_source_names(data))
    if request.GET.get("draft") != "1":
        analytics.log_search(text, language, len(suggestions), source=_source(request, "contact"),
                             searcher=analytics.searcher_of(request))
    return _json({
        "query": text,
        "results": [{**s.result.as_json(), "confidence": round(s.confidence, 3),
                     "source": s.source} for s in suggestions],
    })
