"""The help search as the rest of the suite sees it: `search`, `suggest` and `autocomplete`.

Views, the contact form and the forum composer call these functions; none of them knows which
backend answers. A broken or missing index never fails a request: the search answers from the
database and logs a warning (see `search.checks` for the matching system check).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from functools import cached_property

from haystack import connections

from . import registry
from .backends import Hit
from .backends import generic as generic_backend
from .conf import app_settings
from .fallback import database_search
from .highlight import snippet
from .query import QueryPlan, plan_query
from .text import language_of

logger = logging.getLogger(__name__)


@dataclass
class SearchResult:
    title: str
    url: str
    category: str
    short_answer: str
    score: float
    relevance: float
    popularity: float
    pk: int
    model: str
    category_id: int | None = None
    raw_score: float = 0.0
    coverage: float = 0.0
    text: str = ""
    matched: frozenset[str] = frozenset()
    language: str = "en"

    @cached_property
    def highlight(self) -> str:
        """The snippet with the customer's words marked; computed when first shown."""
        return snippet(f"{self.short_answer}\n{self.text}", set(self.matched), self.language)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "category": self.category,
            "short_answer": self.short_answer,
            "highlight": self.highlight,
            "score": round(self.score, 4),
        }


@dataclass
class SearchResponse:
    query: str
    plan: QueryPlan
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    fallback: bool = False
    timed_out: bool = False

    @property
    def did_you_mean(self) -> str | None:
        return self.plan.corrected_text


def _backend():
    return connections[app_settings.SEARCH_CONNECTION].get_backend()


def _synonyms(language: str):
    from .synonyms_store import synonym_set

    return synonym_set(language)


def vocabulary_of(language: str, sources: list[str] | None = None):
    """The index's words of `language` and a compound splitter on them, or (None, None)."""
    backend = _backend()
    if hasattr(backend, "vocabulary"):
        for source in registry.sources(sources):
            try:
                return backend.vocabulary(source.model_label, language)
            except Exception as error:  # noqa: BLE001 - a broken index just means no typo help
                logger.warning("No vocabulary from the %s index: %s", source.name, error)
    return None, None


def make_plan(
    text: str,
    locale: str,
    *,
    max_length: int | None = None,
    sources: list[str] | None = None,
    vocabulary_and_splitter: tuple | None = None,
) -> QueryPlan:
    """Plan `text` with the index's vocabulary and the editors' synonyms.

    Pass `vocabulary_and_splitter` (from `vocabulary_of`) when the caller already has them.
    """
    language = language_of(locale) or "en"
    vocabulary, splitter = vocabulary_and_splitter or vocabulary_of(language, sources)
    kwargs = {"max_length": max_length} if max_length else {}
    return plan_query(
        text,
        language,
        vocabulary=vocabulary,
        splitter=splitter,
        synonyms=_synonyms(language),
        **kwargs,
    )


def _run(plan: QueryPlan, sources, *, limit: int, category_ids=None, boost_category_ids=None):
    labels = [source.model_label for source in sources]
    backend = _backend()
    try:
        if hasattr(backend, "search_plan"):
            return backend.search_plan(
                plan,
                labels,
                limit=limit,
                category_ids=category_ids,
                boost_category_ids=boost_category_ids,
            ), False
        return generic_backend.search_plan(
            app_settings.SEARCH_CONNECTION, plan, labels, limit=limit, category_ids=category_ids
        ), False
    except Exception as error:  # noqa: BLE001 - any index failure falls back to the database
        logger.warning(
            "Help search index unavailable (%s: %s); answering from the database. "
            "Run 'manage.py rebuild_index'.",
            type(error).__name__,
            error,
        )
        return database_search(plan, sources, limit=limit, category_ids=category_ids), True


def _coverage(plan: QueryPlan, hit: Hit) -> float:
    """Share of the customer's words that the document matched (in any of their forms)."""
    if not plan.groups or not hit.matched:
        return 0.0
    matched = sum(
        any(set(a.terms) <= hit.matched for a in group.alternatives) for group in plan.groups
    )
    return matched / len(plan.groups)


def _blend(hits: list[Hit], sources, plan: QueryPlan) -> list[SearchResult]:
    """Mix relevance with popularity: (1 - w) * relevance + w * popularity, both in [0, 1]."""
    if not hits:
        return []
    weight = popularity_weight()
    top_score = max(hit.score for hit in hits) or 1.0
    popularity: dict[tuple[str, int], float] = {}
    for source in sources:
        ids = [hit.pk for hit in hits if hit.model == source.model_label]
        if source.popularity and ids:
            for pk, value in source.popularity(ids).items():
                popularity[(source.model_label, pk)] = math.log1p(max(value, 0.0))
    top_popularity = max(popularity.values(), default=0.0) or 1.0
    results = []
    for hit in hits:
        relevance = hit.score / top_score
        popular = popularity.get((hit.model, hit.pk), 0.0) / top_popularity
        results.append(
            SearchResult(
                title=hit.title,
                url=hit.url,
                category=hit.category,
                short_answer=hit.short_answer,
                text=hit.text,
                matched=frozenset(hit.matched),
                language=plan.language,
                score=(1 - weight) * relevance + weight * popular,
                relevance=relevance,
                popularity=popular,
                pk=hit.pk,
                model=hit.model,
                category_id=hit.category_id,
                raw_score=hit.score,
                coverage=_coverage(plan, hit),
            )
        )
    results.sort(key=lambda result: result.score, reverse=True)
    return results


def popularity_weight() -> float:
    """How much popularity counts against relevance (0..1), as editors set it."""
    from .models import SearchSettings

    return SearchSettings.current().popularity_weight


def search(
    text: str,
    locale: str,
    *,
    sources: list[str] | None = None,
    category_ids: list[int] | None = None,
    boost_category_ids: list[int] | None = None,
    limit: int | None = None,
    max_length: int | None = None,
) -> SearchResponse:
    """Search the help content of `locale` for what a customer typed."""
    plan = make_plan(text, locale, sources=sources, max_length=max_length)
    response = SearchResponse(query=text, plan=plan)
    if plan.is_empty:
        return response
    chosen = registry.sources(sources)
    hits, fallback = _run(
        plan,
        chosen,
        limit=limit or app_settings.SEARCH_MAX_RESULTS,
        category_ids=category_ids,
        boost_category_ids=boost_category_ids,
    )
    response.results = _blend(hits.hits, chosen, plan)
    response.total = len(response.results)
    response.fallback, response.timed_out = fallback, hits.timed_out
    return response


def autocomplete(
    text: str, locale: str, *, category_id: int | None = None, limit: int = 8
) -> list[SearchResult]:
    """Articles whose words complete what is typed so far (the last word is a prefix)."""
    language = language_of(locale) or "en"
    tools = vocabulary_of(language)
    vocabulary = tools[0]
    plan = make_plan(text, language, vocabulary_and_splitter=tools)
    if plan.is_empty:
        return []
    if vocabulary is not None and not text[-1:].isspace():
        _complete_last_word(plan, vocabulary, language)
    sources = registry.sources()
    hits, _fallback = _run(
        plan,
        sources,
        limit=limit,
        boost_category_ids=[category_id] if category_id else None,
    )
    return _blend(hits.hits, sources, plan)[:limit]


def _complete_last_word(plan: QueryPlan, vocabulary, language: str) -> None:
    from .query import Alternative
    from .text import stem

    last = plan.groups[-1]
    for word in vocabulary.complete(last.word, limit=AUTOCOMPLETE_PREFIX_EXPANSIONS):
        last.add(Alternative((stem(word, language),), 1.0, "prefix", last.word))


AUTOCOMPLETE_PREFIX_EXPANSIONS = 6
