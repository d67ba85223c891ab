"""Typo correction and prefix completion against the vocabulary of the search index.

The vocabulary holds normalised words (``search.text.Term.normalised``, not stems) with
their document frequencies. Edit budget as in Meilisearch/Typesense: none for words up
to 4 letters, one up to 8, two beyond. Distances are OSA (optimal string alignment), so
a transposition ("nsaenpad" for "nasenpad") is a single edit.

As in Meilisearch, a typo in the first letter costs two edits: it is only found in
words of 9+ letters and only when it is the only typo, which takes four dictionary
look-ups instead of a fuzzy scan of more buckets.

The fuzzy scan (rapidfuzz, about 0.1 µs per comparison) runs over small buckets: terms
sharing their first two letters, plus the buckets that a typo in the second letter
leads to (the token's first and third letter; terms keyed by their first and third
letter). Two typos that both touch the second and third letter are not found.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

_CACHE_SIZE = 4096


def max_edits(length: int) -> int:
    """Return how many edits a word of ``length`` letters may be corrected by."""
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


@dataclass(frozen=True, slots=True)
class Correction:
    """A vocabulary term that a token may be a misspelling of."""

    term: str
    distance: int
    frequency: int


class _Buckets:
    """Words grouped by a key of their letters, each group sorted by length."""

    def __init__(self, groups: Mapping[str, list[str]]) -> None:
        self._terms = {key: sorted(group, key=len) for key, group in groups.items()}
        self._lengths = {key: [len(t) for t in group] for key, group in self._terms.items()}

    def window(self, key: str, shortest: int, longest: int) -> list[str]:
        """Return the terms under ``key`` whose length is within the bounds."""
        terms = self._terms.get(key)
        if not terms:
            return []
        lengths = self._lengths[key]
        return terms[bisect_left(lengths, shortest) : bisect_right(lengths, longest)]


class _FuzzyIndex:
    """Finds the words within a few edits of a token that share its first letter."""

    def __init__(self, words: Iterable[str]) -> None:
        by_two: dict[str, list[str]] = defaultdict(list)
        by_skip: dict[str, list[str]] = defaultdict(list)
        for word in words:
            if len(word) >= 2:
                by_two[word[:2]].append(word)
            if len(word) >= 3:
                by_skip[word[0] + word[2] + word[1]].append(word)
        self._by_two = _Buckets(by_two)
        self._by_skip = _Buckets(by_skip)
        self._skip_keys: dict[str, list[str]] = defaultdict(list)
        for key in by_skip:
            self._skip_keys[key[:2]].append(key)

    def search(self, token: str, budget: int) -> dict[str, int]:
        """Map each word within ``budget`` OSA edits of ``token`` to its distance."""
        shortest, longest = len(token) - budget, len(token) + budget
        first, second, third = token[0], token[1], token[2:3]
        pools = [self._by_two.window(first + second, shortest, longest)]  # 2nd letter right
        if third != second:  # one added in second place, or second and third swapped
            pools.append(self._by_two.window(first + third, shortest, longest))
        for key in self._skip_keys.get(first + second, ()):  # second letter left out
            pools.append(self._by_skip.window(key, shortest, longest))
        substituted: list[str] = []
        for key in self._skip_keys.get(first + third, ()):
            if key[2] != second:
                substituted += self._by_skip.window(key, shortest, longest)
        pools.append(substituted)
        found: dict[str, int] = {}
        for pool in pools:
            for word, distance, _ in process.extract(
                token, pool, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                found[word] = min(distance, found.get(word, budget))
        return found


class Vocabulary:
    """The index vocabulary: corrects misspelt tokens and completes prefixes."""

    def __init__(
        self,
        terms: Iterable[tuple[str, int]] | Mapping[str, int],
        *,
        first_letter_typos: bool = True,
    ) -> None:
        pairs = terms.items() if isinstance(terms, Mapping) else terms
        frequencies: dict[str, int] = defaultdict(int)
        for term, frequency in pairs:
            if term:
                frequencies[term] += int(frequency)
        self.first_letter_typos = first_letter_typos
        self._frequency = dict(frequencies)
        self._sorted = sorted(self._frequency)
        self._index = _FuzzyIndex(self._sorted)
        self._by_tail: dict[str, list[str]] = defaultdict(list)
        if first_letter_typos:
            for term in self._sorted:
                self._by_tail[term[1:]].append(term)
        self._prefixes: dict[int, _FuzzyIndex] = {}
        self._completions: dict[tuple[str, int], list[str]] = {}

    def __contains__(self, term: object) -> bool:
        return term in self._frequency

    def __len__(self) -> int:
        return len(self._frequency)

    def frequency(self, term: str) -> int:
        """Return the document frequency of ``term`` (0 if unknown)."""
        return self._frequency.get(term, 0)

    def candidates(self, token: str, limit: int = 5) -> list[Correction]:
        """Return up to ``limit`` corrections for an unknown ``token``, best first.

        Known tokens, tokens with digits and tokens too short for any edit get none.
        Best means fewest edits (a first-letter typo counting two), then highest
        document frequency.
        """
        budget = max_edits(len(token))
        if token in self._frequency or budget == 0 or not token.isalpha():
            return []
        found = self._index.search(token, budget)
        if budget >= 2 and self.first_letter_typos:
            for term in self._first_letter_typos(token):
                found.setdefault(term, 2)
        ranked = sorted(found, key=lambda term: (found[term], -self._frequency[term], term))
        return [Correction(term, found[term], self._frequency[term]) for term in ranked[:limit]]

    def _first_letter_typos(self, token: str) -> list[str]:
        """Return the terms that ``token`` matches but for one typo in its first letter."""
        found = list(self._by_tail.get(token[1:], ()))  # substituted
        found += self._by_tail.get(token, ())  # omitted
        for variant in (token[1:], token[1] + token[0] + token[2:]):  # added, swapped
            if variant in self._frequency:
                found.append(variant)
        return found

    def correct(self, token: str) -> str:
        """Return the best correction of ``token``, or ``token`` itself.

        A token that is in the vocabulary is never corrected.
        """
        best = self.candidates(token, limit=1)
        return best[0].term if best else token

    def complete(self, prefix: str, limit: int = 10) -> list[str]:
        """Return up to ``limit`` terms starting with ``prefix``.

        Terms that start with ``prefix`` exactly come first, by document frequency; if
        there are fewer than ``limit``, terms whose beginning is within the edit budget
        of the prefix's length follow, by edits and then frequency.
        """
        if not prefix or limit <= 0:
            return []
        key = (prefix, limit)
        if key not in self._completions:
            if len(self._completions) >= _CACHE_SIZE:
                self._completions.clear()
            self._completions[key] = self._complete(prefix, limit)
        return list(self._completions[key])

    def _complete(self, prefix: str, limit: int) -> list[str]:
        result = self._by_frequency(self._starting_with(prefix), limit)
        budget = max_edits(len(prefix))
        if len(result) >= limit or budget == 0 or not prefix.isalpha():
            return result
        fuzzy: dict[str, int] = {}
        for similar, distance in self._similar_prefixes(prefix, budget).items():
            for term in self._starting_with(similar):
                if not term.startswith(prefix):
                    fuzzy[term] = min(distance, fuzzy.get(term, budget))
        ranked = sorted(fuzzy, key=lambda t: (fuzzy[t], -self._frequency[t], t))
        return result + ranked[: limit - len(result)]

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect_left(self._sorted, prefix)
        end = bisect_left(self._sorted, prefix + "\U0010ffff", start)
        return self._sorted[start:end]

    def _by_frequency(self, terms: list[str], limit: int) -> list[str]:
        return heapq.nsmallest(limit, terms, key=lambda t: (-self._frequency[t], t))

    def _similar_prefixes(self, prefix: str, budget: int) -> dict[str, int]:
        """Map vocabulary prefixes within ``budget`` edits of ``prefix`` to their distance."""
        found: dict[str, int] = {}
        for length in range(len(prefix) - budget, len(prefix) + budget + 1):
            for similar, distance in self._prefix_index(length).search(prefix, budget).items():
                found[similar] = min(distance, found.get(similar, budget))
        return found

    def _prefix_index(self, length: int) -> _FuzzyIndex:
        if length not in self._prefixes:
            self._prefixes[length] = _FuzzyIndex(
                {term[:length] for term in self._sorted if len(term) >= length}
            )
        return self._prefixes[length]
