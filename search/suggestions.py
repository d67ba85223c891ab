"""Suggested answers for a whole message, with a confidence a caller can act on.

The confidence is the estimated probability that the first suggestion answers the message. It is
a logistic function of five signals of the search, fitted on the evaluation data with
`manage.py search_evaluate --calibrate` (docs/search.md lists the fit and its reliability):

- coverage: the share of the message's words that the answer matched,
- margin: how far the answer's raw relevance by words is ahead of the next one,
- strength: the answer's raw relevance by words (log-scaled),
- lead: how far its score (words and meaning fused, with popularity) is ahead of the next one,
- gap: how much closer in meaning (cosine) it is than the next one, 0 when searched by words.

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

# Intercept and the weights of the five signals of `features`, fitted by `search_evaluate
# --calibrate` on the 625 StackFAQ development queries, with the hybrid ranking (COEFFICIENTS)
# and with words only (LEXICAL_COEFFICIENTS: no model, or the query vector missed its deadline).
# Reliability (docs/search.md keeps the table): of the hybrid's answers given 0.8-1.0, 97 % were
# right on StackFAQ (525 answers) and 97.6 % on the demo's 251 queries, which the fit never saw
# (166 answers); 0.6-0.8: 54 % and 73 %. The fit on three signals without the hybrid's lead and
# gap gave 0.8 or more to 191 demo answers, only 91.6 % right. Words only: 0.8-1.0 95.7 % right
# (375 StackFAQ answers), 0.6-0.8 63 % (206).
COEFFICIENTS = (-2.088, 0.271, 0.837, 0.8, 1.561, 1.091)
LEXICAL_COEFFICIENTS = (-4.411, 0.483, 1.421, 1.306, 1.421, 0.0)
# A lead in meaning (first cosine minus the next) of this much or more counts in full.
MEANING_GAP_CAP = 0.1


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


def features(results: list[service.SearchResult], index: int) -> tuple[float, ...]:
    """The signals of the answer at `index` among `results` (best first): the share of the
    message's words it matched, its lead in words (raw score) and in the fused score over the
    next answer, its raw score, and its lead in meaning (cosine) over the next, 0 without one."""
    result = results[index]
    following = results[index + 1] if index + 1 < len(results) else None
    raw = result.raw_score
    margin = (raw - (following.raw_score if following else 0.0)) / raw if raw else 0.0
    score = result.score
    lead = (score - (following.score if following else 0.0)) / score if score else 0.0
    gap = 0.0
    if result.cosine is not None:
        gap = MEANING_GAP_CAP
        if following is not None and following.cosine is not None:
            gap = min(max(result.cosine - following.cosine, 0.0), MEANING_GAP_CAP)
    return result.coverage, margin, math.log1p(raw), lead, gap / MEANING_GAP_CAP


def confidence(signals: tuple[float, ...], coefficients=COEFFICIENTS) -> float:
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
    chosen = found[:limit]
    if ordered:
        # The best answers of every source, those suggested "after" behind the others: a solved
        # thread that answers better than the third article takes its place, after the articles.
        chosen.sort(key=lambda entry: registry.suggested_after(entry[0]))
    coefficients = LEXICAL_COEFFICIENTS if response.mode == "lexical" else COEFFICIENTS
    suggestions, ceiling = [], 1.0
    for source, result, signal in chosen:
        ceiling = min(ceiling, confidence(signal, coefficients))
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
