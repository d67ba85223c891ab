"""Suggested answers for a whole message, with a confidence a caller can act on.

The confidence is the estimated probability that the first suggestion answers the message. It is
a logistic function of three signals of the search, fitted on the evaluation data with
`manage.py search_evaluate --calibrate` (docs/search.md lists the fit and its reliability):

- coverage: the share of the message's words that the answer matched,
- margin: how far the answer's relevance is ahead of the next one,
- strength: the answer's raw relevance score (log-scaled).

Later suggestions get the same model with their own signals, capped by the confidence of the one
before them, so confidence never rises down the list.

Only what may answer a customer is suggested (`SearchSource.answers`: the forum's solved, visible
threads); by default the sources registered as suggested "after" (the forum) follow the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import registry, service
from .query import MESSAGE_MAX_LENGTH

# Intercept, coverage, margin, strength: fitted by `search_evaluate --calibrate` on the 625
# StackFAQ development queries with the hybrid ranking (words and meaning). Reliability of that
# fit: of the answers given 0.8-1.0, 93.5 % were right (557 answers); 0.6-0.8: 58 % (64);
# 0.4-0.6: 3 of 3; 0.2-0.4: 0 of 1. (The lexical ranking's fit gave 0.8-1.0 to 385 answers,
# 95 % right: the hybrid answers more questions confidently, a little less precisely.)
COEFFICIENTS = (-2.012, 0.395, 1.417, 0.953)


@dataclass
class Suggestion:
    result: service.SearchResult
    confidence: float
    source: str = ""
    """The name of the `SearchSource` the answer comes from."""

    @property
    def source_label(self) -> str:
        """What the answer is ("Help articles", "Community"), to mark it where that helps."""
        source = registry.get(self.source)
        return str(source.label) if source is not None else ""


def features(results: list[service.SearchResult], index: int) -> tuple[float, float, float]:
    result = results[index]
    following = results[index + 1].raw_score if index + 1 < len(results) else 0.0
    margin = (result.raw_score - following) / result.raw_score if result.raw_score else 0.0
    return result.coverage, margin, math.log1p(result.raw_score)


def confidence(signals: tuple[float, float, float], coefficients=COEFFICIENTS) -> float:
    intercept, *weights = coefficients
    z = intercept + sum(w * x for w, x in zip(weights, signals, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def suggest(
    text: str,
    locale: str,
    *,
    limit: int = 3,
    sources: list[str] | None = None,
    mode: str = "hybrid",
) -> list[Suggestion]:
    """Up to `limit` answers for `text` (a contact-form message, a forum question), from the
    named sources in the order of their scores or, by default, from those registered as
    `suggested`, the "after" ones after the others."""
    limit = max(1, min(limit, 10))
    ordered = sources is None
    chosen = registry.sources(registry.suggestion_sources() if ordered else sources)
    response = service.search(
        text, locale, limit=max(limit, 10) * max(len(chosen), 1), max_length=MESSAGE_MAX_LENGTH,
        sources=[source.name for source in chosen], mode=mode,
    )
    by_model = {source.model_label: source for source in chosen}
    found = []
    for label, results in answering(response.results, by_model).items():
        # Each source's signals among its own results: the fit knows articles among articles.
        found += [(by_model[label], result, features(results, index))
                  for index, result in enumerate(results)]
    found.sort(key=lambda entry: entry[1].score, reverse=True)
    if ordered:
        found.sort(key=lambda entry: registry.suggested_after(entry[0]))
    suggestions, ceiling = [], 1.0
    for source, result, signal in found[:limit]:
        ceiling = min(ceiling, confidence(signal))
        suggestions.append(Suggestion(result, ceiling, source.name))
    return suggestions


def answering(
    results: list[service.SearchResult], by_model: dict
) -> dict[str, list[service.SearchResult]]:
    """Per model, the results that may answer a customer now (`SearchSource.answers`)."""
    grouped: dict[str, list[service.SearchResult]] = {}
    for result in results:
        grouped.setdefault(result.model, []).append(result)
    for label, group in grouped.items():
        source = by_model[label]
        if source.answers is not None:
            kept = {answer.pk for answer in source.answers([result.pk for result in group])}
            grouped[label] = [result for result in group if result.pk in kept]
    return grouped
