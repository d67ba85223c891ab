"""Hybrid ranking: the lexical hits and the nearest passages by meaning, fused into one list.

Each document gets a lexical relevance (its BM25F score over the best one, 0 when the words did
not match) and a dense relevance from its cosine to the query: 1 for the best cosine of this
query, falling linearly to 0 at `spread` below it. The model's cosines bunch (multilingual-e5
puts nearly everything between 0.75 and 0.92), so only the distance to the best one of the same
query says something; a document the words did not find enters only with a cosine of at least
`min_cosine`. The fused relevance is the weighted sum of both. All parameters are global, fitted
on the two development sets (docs/search.md), never per query or per data set.
"""

from __future__ import annotations

from dataclasses import dataclass

from .backends import Hit


@dataclass(frozen=True)
class Fusion:
    lexical_weight: float
    spread: float
    min_cosine: float
    dense_candidates: int = 50


# Fitted with tests/benchmarks/fit_fusion.py on the StackFAQ and demo development sets (mean
# recall@3 of both), refitted after the title vectors: 0.4 / 0.05 / 0.84 with the cutoff 0.4 ties
# the best mean recall@3 (0.974; StackFAQ 0.979, demo 0.968 without popularity) and shows the
# fewest results (4.9 and 5.1 per query); weight 0.3 with spread 0.08 gains 0.007 recall@1 on the
# demo but shows 6.7 results per query even at a cutoff of 0.5.
FUSION = Fusion(lexical_weight=0.4, spread=0.05, min_cosine=0.84)
# A result whose relevance is below this share of the best one's is not shown: the list ends
# where relevance ends (the lexical "glases broke" listed 36 of 59 articles). 0.35-0.5 gave the
# same recall@3 on both sets; 0.4 shows 5.6 results per StackFAQ query instead of 6.9.
RELATIVE_CUTOFF = 0.4


@dataclass
class Ranked:
    """A hit with both sides of its relevance (shown by the query tester)."""

    hit: Hit
    relevance: float
    lexical_rank: int | None = None
    lexical_score: float = 0.0
    dense_rank: int | None = None
    cosine: float | None = None


def fuse(lexical: list[Hit], dense: list[Hit], fusion: Fusion = FUSION) -> list[Ranked]:
    """Lexical hits (score: BM25F) and dense hits (score: cosine, best first), best first."""
    ranked: dict[tuple[str, int], Ranked] = {}
    top_lexical = max((hit.score for hit in lexical), default=0.0) or 1.0
    for rank, hit in enumerate(lexical, start=1):
        ranked[(hit.model, hit.pk)] = Ranked(hit, 0.0, rank, hit.score)
    top_cosine = dense[0].score if dense else 0.0
    for rank, hit in enumerate(dense, start=1):
        entry = ranked.get((hit.model, hit.pk))
        if entry is None:
            if hit.score < fusion.min_cosine:
                continue
            entry = ranked[(hit.model, hit.pk)] = Ranked(hit, 0.0)
        entry.dense_rank, entry.cosine = rank, hit.score
    for entry in ranked.values():
        lexical_part = entry.lexical_score / top_lexical
        dense_part = 0.0
        if entry.cosine is not None and fusion.spread:
            dense_part = max(0.0, 1 - (top_cosine - entry.cosine) / fusion.spread)
        entry.relevance = (
            fusion.lexical_weight * lexical_part + (1 - fusion.lexical_weight) * dense_part
        )
    return sorted(ranked.values(), key=lambda entry: entry.relevance, reverse=True)


def lexical_only(lexical: list[Hit]) -> list[Ranked]:
    return fuse(lexical, [], Fusion(lexical_weight=1.0, spread=0.0, min_cosine=2.0))


def dense_only(dense: list[Hit]) -> list[Ranked]:
    return [Ranked(hit, hit.score, dense_rank=rank, cosine=hit.score)
            for rank, hit in enumerate(dense, start=1)]
