"""The help search as the rest of the suite sees it: `search`, `suggest` and `autocomplete`.

Views, the contact form and the forum composer call these functions; none of them knows which
backend answers. A broken or missing index never fails a request: the search answers from the
database and logs a warning (see `search.checks` for the matching system check).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from haystack import connections

from . import encoders, registry
from .backends import Hit
from .backends import generic as generic_backend
from .conf import app_settings
from .fallback import database_search
from .fusion import FUSION, RELATIVE_CUTOFF, Ranked, dense_only, fuse, lexical_only
from .highlight import snippet
from .query import Alternative, QueryPlan, plan_query
from .text import clean, fold, language_of

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
    highlight_from: str | None = None
    cosine: float | None = None
    lexical_rank: int | None = None
    dense_rank: int | None = None

    @cached_property
    def highlight(self) -> str:
        """The snippet with the customer's words marked; computed when first shown.

        From the short answer and text, or from `highlight_from` when a caller shows other text.
        """
        source = self.highlight_from
        if source is None:
            source = f"{self.short_answer}\n{self.text}"
        return snippet(source, set(self.matched), self.language)

    def as_json(self) -> dict:
        return {
            "id": self.pk,
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
    mode: str = "lexical"

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


def _run(
    plan: QueryPlan, sources, *, limit: int, category_ids=None, boost_category_ids=None, fields=None
):
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
                **({"fields": fields} if fields else {}),
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


def _blend(
    ranked: list[Ranked], sources, plan: QueryPlan, limit: int
) -> list[SearchResult]:
    """Mix relevance with popularity: (1 - w) * relevance + w * popularity, both in [0, 1];
    the best `limit` results, what they show read from the index only for them (`_loaded`)."""
    if not ranked:
        return []
    weight = popularity_weight()
    top_relevance = max(entry.relevance for entry in ranked) or 1.0
    popularity: dict[tuple[str, int], float] = {}
    weights: dict[tuple[str, int], float] = {}
    for source in sources:
        ids = [entry.hit.pk for entry in ranked if entry.hit.model == source.model_label]
        if source.popularity and ids:
            for pk, value in source.popularity(ids).items():
                popularity[(source.model_label, pk)] = math.log1p(max(value, 0.0))
        if source.weights and ids:
            for pk, value in source.weights(ids).items():
                weights[(source.model_label, pk)] = value
    top_popularity = max(popularity.values(), default=0.0) or 1.0
    scored = []
    for entry in ranked:
        key = (entry.hit.model, entry.hit.pk)
        relevance = entry.relevance / top_relevance
        popular = popularity.get(key, 0.0) / top_popularity
        score = ((1 - weight) * relevance + weight * popular) * weights.get(key, 1.0)
        scored.append((score, relevance, popular, entry))
    scored.sort(key=lambda item: item[0], reverse=True)
    results: list[SearchResult] = []
    position = 0
    while len(results) < limit and position < len(scored):
        # A document removed from the index since its vectors were written is left out, and
        # the next one takes its place.
        chunk = scored[position : position + limit - len(results)]
        position += len(chunk)
        kept = {id(entry) for entry in _loaded([item[3] for item in chunk], plan.language)}
        results += [
            _result(entry, plan, score, relevance, popular)
            for score, relevance, popular, entry in chunk
            if id(entry) in kept
        ]
    return results


def _result(
    entry: Ranked, plan: QueryPlan, score: float, relevance: float, popular: float
) -> SearchResult:
    hit = entry.hit
    return SearchResult(
        title=hit.title,
        url=hit.url,
        category=hit.category,
        short_answer=hit.short_answer,
        text=hit.text,
        matched=frozenset(hit.matched),
        language=plan.language,
        score=score,
        relevance=relevance,
        popularity=popular,
        pk=hit.pk,
        model=hit.model,
        category_id=hit.category_id,
        raw_score=entry.lexical_score,
        coverage=_coverage(plan, hit),
        cosine=entry.cosine,
        lexical_rank=entry.lexical_rank,
        dense_rank=entry.dense_rank,
    )


def _within_cutoff(ranked: list[Ranked]) -> list[Ranked]:
    """The ranked hits down to where relevance ends (`fusion.RELATIVE_CUTOFF`), for each
    source apart, before anything more is read or looked up for them: a forum thread that
    repeats the customer's words must not cut off the article that answers them in its own
    words."""
    top: dict[str, float] = {}
    for entry in ranked:
        top[entry.hit.model] = max(top.get(entry.hit.model, 0.0), entry.relevance)
    return [e for e in ranked if e.relevance >= RELATIVE_CUTOFF * top[e.hit.model]]


def _loaded(ranked: list[Ranked], language: str) -> list[Ranked]:
    """Read what a result shows for the hits the dense search gave by key only."""
    unread = [entry.hit for entry in ranked if not entry.hit.stored]
    if not unread:
        return ranked
    loaded = {hit.key: hit for hit in _backend().load_hits(unread, language)}
    kept = []
    for entry in ranked:
        if not entry.hit.stored:
            if entry.hit.key not in loaded:
                continue  # removed from the index since its vectors were written
            entry.hit = loaded[entry.hit.key]
        kept.append(entry)
    return kept


MODES = ("hybrid", "lexical", "dense")


def _start_dense(plan: QueryPlan, sources) -> encoders.PendingVector | None:
    """Start encoding the query when the sources have vectors in its language (None when not):
    the encoder works in its own thread while the lexical search runs."""
    backend = _backend()
    if not hasattr(backend, "dense_search") or not any(
        backend.has_vectors(source.model_label, plan.language) for source in sources
    ):
        return None
    return encoders.start_query_vector(_meaning_text(plan))


def _dense(plan: QueryPlan, sources, *, limit: int, category_ids=None,
           pending: encoders.PendingVector | None = None) -> list[Hit] | None:
    """The documents nearest to the query's meaning; None when the semantic side is off (no
    model, no vectors, or the query encoder failed or missed its deadline)."""
    pending = pending or _start_dense(plan, sources)
    vector = pending.result() if pending is not None else None
    if vector is None:
        return None
    backend = _backend()
    labels = [source.model_label for source in sources]
    try:
        return backend.dense_search(
            vector, labels, plan.language, limit=limit, category_ids=category_ids
        )
    except Exception as error:  # noqa: BLE001 - the lexical side still answers
        logger.warning("Semantic search failed (%s: %s); answering lexically.",
                       type(error).__name__, error)
        return None


def _meaning_text(plan: QueryPlan) -> str:
    """What the encoder reads: the query as the customer wrote it (case, umlauts and accents
    kept, which the model reads and the folded form loses: "Größe", not "grosse"), as long as
    the searched text, with its typos corrected, and no longer than `MEANING_MAX_WORDS`."""
    words = clean(plan.text, len(plan.normalised) + 16).split()
    text = " ".join(words[:MEANING_MAX_WORDS])
    if not plan.corrections:
        return text

    def corrected(word: re.Match) -> str:
        return plan.corrections.get(fold(word.group(), plan.language), word.group())

    return re.sub(r"[^\W\d_]+", corrected, text)


# The words of a query the encoder reads: a question fits (the longest development query has
# 30), and a long message costs the encoder about a millisecond a word, so a whole e-mail would
# miss the deadline and be answered by words only. The lexical search reads all of it.
MEANING_MAX_WORDS = 48


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
    mode: str = "hybrid",
) -> SearchResponse:
    """Search the help content of `locale` for what a customer typed.

    `mode` "hybrid" fuses the lexical ranking with the semantic one (`search.fusion`) when
    the semantic search is on, "lexical" and "dense" rank by one side only (for measuring).
    """
    plan = make_plan(text, locale, sources=sources, max_length=max_length)
    response = SearchResponse(query=text, plan=plan)
    if plan.is_empty:
        return response
    chosen = registry.sources(sources)
    limit = limit or app_settings.SEARCH_MAX_RESULTS
    pending = _start_dense(plan, chosen) if mode != "lexical" else None
    hits, fallback = _run(
        plan,
        chosen,
        limit=limit,
        category_ids=category_ids,
        boost_category_ids=boost_category_ids,
    )
    dense = None
    if pending is not None and not fallback:
        dense = _dense(
            plan, chosen, limit=max(limit, FUSION.dense_candidates), category_ids=category_ids,
            pending=pending,
        )
    if dense is None:
        ranked = lexical_only(hits.hits)
    else:
        response.mode = mode
        ranked = dense_only(dense) if mode == "dense" else fuse(hits.hits, dense)
    # Popularity is scaled among the results shown, which end where relevance ends.
    response.results = _blend(_within_cutoff(ranked), chosen, plan, limit)
    response.total = len(response.results)
    response.fallback, response.timed_out = fallback, hits.timed_out
    return response


def autocomplete(
    text: str, locale: str, *, category_id: int | None = None, limit: int = 8
) -> list[SearchResult]:
    """Articles whose words complete what is typed so far (the last word is a prefix)."""
    language = language_of(locale) or "en"
    sources = registry.completion_sources()
    tools = vocabulary_of(language, [source.name for source in sources])
    vocabulary = tools[0]
    plan = make_plan(text, language, vocabulary_and_splitter=tools)
    if plan.is_empty:
        return []
    if vocabulary is not None and not text[-1:].isspace():
        _complete_last_word(plan, vocabulary, language)
    hits, _fallback = _run(
        plan,
        sources,
        limit=limit,
        boost_category_ids=[category_id] if category_id else None,
        fields=AUTOCOMPLETE_FIELDS,
    )
    results = _blend(lexical_only(hits.hits), sources, plan, limit)
    alternatives = [a for group in plan.groups for a in group.alternatives]
    completed = {a.terms[0] for a in alternatives if a.origin == "prefix"} - {
        term for a in alternatives if a.origin != "prefix" for term in a.terms
    }
    for result in results:
        # A completion shows its title and short answer, with what is typed marked: a word
        # completed from a prefix is marked as far as it was typed (by the page), not whole.
        result.highlight_from = f"{result.title}\n{result.short_answer}"
        result.matched = result.matched - completed
    return results


def _complete_last_word(plan: QueryPlan, vocabulary, language: str) -> None:
    from .text import stem

    last = plan.groups[-1]
    for word in vocabulary.complete(last.word, limit=AUTOCOMPLETE_PREFIX_EXPANSIONS):
        last.add(Alternative((stem(word, language),), 1.0, "prefix", last.word))


AUTOCOMPLETE_PREFIX_EXPANSIONS = 6
# Completions are titles: matching only titles and keywords keeps each keystroke cheap.
AUTOCOMPLETE_FIELDS = ("title", "keywords")
