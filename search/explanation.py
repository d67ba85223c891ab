"""Every step of one help search, for the admin query tester (`explain`).

Runs the same pipeline and ranking as `search.service.search` and keeps what the result list
alone does not say: stems, corrections, synonym rules, what each result matched, and its rank by
words and by meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from . import encoders
from .query import MAX_GROUPS, QUERY_MAX_LENGTH, Alternative, QueryPlan
from .service import SearchResponse, SearchResult, popularity_weight, search, vocabulary_of
from .text import Term, TermKind, analyse, clean


@dataclass(frozen=True)
class TypoCorrection:
    """A query word the index does not know, and the index word it is also searched as; a
    compound read with one part corrected is searched as its `parts` (each with its documents).
    """

    word: str
    correction: str
    distance: int
    documents: int
    parts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class SynonymRule:
    """An editor's synonym line (a `search.models.Synonym`)."""

    pk: int
    line: str


@dataclass(frozen=True)
class SynonymUse:
    """A synonym the plan searches for: the query stems it was found for, and why."""

    source: str
    terms: tuple[str, ...]
    weight: float
    rules: tuple[SynonymRule, ...]


@dataclass(frozen=True)
class WordMatch:
    """How one query word met a result: the alternatives (own stem, correction, ...) it matched."""

    word: str
    matched: tuple[Alternative, ...]


@dataclass
class ExplainedResult:
    rank: int
    result: SearchResult
    words: list[WordMatch]

    @property
    def matched_words(self) -> list[WordMatch]:
        return [word for word in self.words if word.matched]

    @property
    def missing_words(self) -> list[str]:
        return [word.word for word in self.words if not word.matched]


@dataclass
class Explanation:
    """Every step of one search, for the admin query tester (see `explain`)."""

    query: str
    language: str
    max_length: int
    truncated: bool
    terms: list[Term]
    corrections: list[TypoCorrection]
    synonyms: list[SynonymUse]
    ignored_words: list[str]
    max_words: int
    vocabulary_size: int | None
    popularity_weight: float
    response: SearchResponse
    results: list[ExplainedResult]
    semantic: encoders.SemanticStatus | None = None

    @property
    def plan(self) -> QueryPlan:
        return self.response.plan

    @property
    def normalised(self) -> str:
        return self.plan.normalised

    @property
    def words(self) -> list[Term]:
        """The query's own words, stop words included (they are marked)."""
        return [term for term in self.terms if term.kind == TermKind.WORD]

    @property
    def extra_terms(self) -> list[Term]:
        """Hyphen joins ("e-mail" -> "email") and German compound parts, searched as well."""
        return [term for term in self.terms if term.kind != TermKind.WORD]

    @property
    def expression(self) -> str:
        return query_expression(self.plan)


def query_expression(plan: QueryPlan) -> str:
    """The plan as one boolean expression of stems: groups ORed, weights other than 1 as ^w."""
    groups = []
    for group in plan.groups:
        options = []
        for alternative in group.alternatives:
            option = " AND ".join(alternative.terms)
            if len(alternative.terms) > 1:
                option = f"({option})"
            if alternative.weight != 1.0:
                option = f"{option}^{alternative.weight:g}"
            options.append(option)
        groups.append(f"({' OR '.join(options)})" if len(options) > 1 else options[0])
    return " OR ".join(groups)


def explain(
    text: str,
    locale: str,
    *,
    category_ids: list[int] | None = None,
    sources: list[str] | None = None,
    limit: int | None = None,
) -> Explanation:
    """Search like `search` does and keep every step: what the admin query tester shows.

    Runs the same pipeline and ranking as a customer's search (nothing is logged), and adds what
    the plan alone does not say: each word with its stem and stop-word mark, the edit distance of
    each typo correction, the editors' synonym lines behind each expansion, and per result which
    query words it matched.
    """
    response = search(text, locale, sources=sources, category_ids=category_ids, limit=limit)
    plan = response.plan
    vocabulary, splitter = vocabulary_of(plan.language, sources)
    return Explanation(
        query=text,
        language=plan.language,
        max_length=QUERY_MAX_LENGTH,
        truncated=len(clean(text, 4 * QUERY_MAX_LENGTH)) > QUERY_MAX_LENGTH,
        terms=analyse(text, plan.language, max_length=QUERY_MAX_LENGTH, splitter=splitter),
        corrections=_typo_corrections(plan, vocabulary, splitter),
        synonyms=_synonym_uses(plan),
        ignored_words=_ignored_words(plan),
        max_words=MAX_GROUPS,
        vocabulary_size=len(vocabulary) if vocabulary is not None else None,
        popularity_weight=popularity_weight(),
        semantic=encoders.semantic_status(),
        response=response,
        results=[
            ExplainedResult(rank, result, _word_matches(plan, result))
            for rank, result in enumerate(response.results, start=1)
        ],
    )


def _ignored_words(plan: QueryPlan) -> list[str]:
    """Words left out because a search takes at most `max_words` (each word counts once)."""
    searched = {group.word for group in plan.groups}
    return [word for word in dict.fromkeys(plan.words) if word not in searched]


def _typo_corrections(plan: QueryPlan, vocabulary, splitter) -> list[TypoCorrection]:
    if vocabulary is None:
        return []
    corrections = []
    for word, correction in plan.corrections.items():
        parts = ()
        if correction not in vocabulary and splitter is not None:
            parts = tuple((part, vocabulary.frequency(part)) for part in splitter.split(correction))
        corrections.append(
            TypoCorrection(
                word,
                correction,
                OSA.distance(word, correction),  # edits as typo correction counts them
                vocabulary.frequency(correction),
                parts,
            )
        )
    return corrections


def _synonym_uses(plan: QueryPlan) -> list[SynonymUse]:
    from .models import Synonym
    from .synonyms import SynonymSet

    added = [a for group in plan.groups for a in group.alternatives if a.origin == "synonym"]
    if not added:
        return []
    lines = []
    for synonym in Synonym.objects.active().filter(locale__language_code=plan.language):
        try:
            lines.append((synonym, SynonymSet.from_groups([synonym.as_group()], plan.language)))
        except ValueError:  # a line saved around validation: the search skips it too
            continue
    uses = []
    for alternative in added:
        term = alternative.terms[0] if len(alternative.terms) == 1 else alternative.terms
        rules = tuple(
            SynonymRule(synonym.pk, synonym.line)
            for synonym, single in lines
            if any(
                (expansion.term, expansion.source) == (term, alternative.source)
                for expansion in single.expand(alternative.source.split())
            )
        )
        uses.append(SynonymUse(alternative.source, alternative.terms, alternative.weight, rules))
    return uses


def _word_matches(plan: QueryPlan, result: SearchResult) -> list[WordMatch]:
    return [
        WordMatch(
            group.word,
            tuple(a for a in group.alternatives if result.matched >= set(a.terms)),
        )
        for group in plan.groups
    ]
