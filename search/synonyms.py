"""Synonym expansion on analysed query terms.

Editors keep synonym groups per locale, one group per line:

* ``Nasenpad, Gummi, Nasenauflage``: multi-way, every entry stands for every other;
* ``Gummi -> Nasenpad``: one-way, a query with "Gummi" also searches "Nasenpad", but
  not the reverse. Several entries may stand on either side.

Entries may have several words ("nose pad"); they are matched as a sequence of
consecutive query terms. Entries are analysed with :func:`search.text.analyse` like a
query, so matching is on stems: "Gummis" hits the entry "Gummi". Expansion is not
transitive: a synonym found is not itself expanded again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from search.text import Term, TermKind, analyse, tokenise

ORIGINAL_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.8
MAX_LINE_LENGTH = 1000
MAX_ENTRY_LENGTH = 100

_ARROW_RE = re.compile(r"->|=>|→")


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """A synonym group as an editor wrote it.

    Multi-way when ``targets`` is empty: all ``sources`` are equivalent. One-way
    otherwise: each of ``sources`` in a query adds all ``targets``.
    """

    sources: tuple[str, ...]
    targets: tuple[str, ...] = ()

    @property
    def one_way(self) -> bool:
        """Whether the group only expands its sources to its targets."""
        return bool(self.targets)

    def __str__(self) -> str:
        if self.one_way:
            return f"{', '.join(self.sources)} -> {', '.join(self.targets)}"
        return ", ".join(self.sources)


class Expansion(NamedTuple):
    """A term or phrase to search for.

    ``term`` is a stem, or a tuple of stems for a phrase; ``source`` is what it was
    found for: the query term itself, or the matched query words joined by spaces.
    """

    term: str | tuple[str, ...]
    weight: float
    source: str


def parse_line(line: str) -> SynonymGroup:
    """Parse ``"a, b, c"`` (multi-way) or ``"a -> b, c"`` (one-way) into a group.

    Raises ValueError with a message fit for an editor if the line is not usable.
    """
    if len(line) > MAX_LINE_LENGTH:
        raise ValueError(f"The line is longer than {MAX_LINE_LENGTH} characters.")
    sides = _ARROW_RE.split(line)
    if len(sides) > 2:
        raise ValueError('Use "->" only once: "word -> synonym, synonym".')
    if len(sides) == 2:
        sources = _parse_entries(sides[0], 'left of "->"')
        targets = _parse_entries(sides[1], 'right of "->"')
        overlap = {_key(entry) for entry in sources} & {_key(entry) for entry in targets}
        if overlap:
            raise ValueError(f'"{sorted(overlap)[0]}" is on both sides of "->".')
        return SynonymGroup(sources, targets)
    entries = _parse_entries(line, "in the line")
    if len(entries) < 2:
        raise ValueError('Give at least two synonyms separated by commas, or use "->".')
    return SynonymGroup(entries)


def _parse_entries(text: str, where: str) -> tuple[str, ...]:
    entries = [" ".join(entry.split()) for entry in text.split(",")]
    if not any(entries):
        raise ValueError(f"There is no word {where}.")
    if not all(entries):
        raise ValueError(f"There is an empty entry {where}: check the commas.")
    return _checked(entries)


def _checked(entries: Iterable[str]) -> tuple[str, ...]:
    entries = tuple(entries)
    seen: set[str] = set()
    for entry in entries:
        if len(entry) > MAX_ENTRY_LENGTH:
            raise ValueError(f'"{entry[:30]}…" is longer than {MAX_ENTRY_LENGTH} characters.')
        if not tokenise(entry):
            raise ValueError(f'"{entry}" has no letters or digits.')
        if _key(entry) in seen:
            raise ValueError(f'"{entry}" is listed twice.')
        seen.add(_key(entry))
    return entries


def _key(entry: str) -> str:
    return " ".join(tokenise(entry))


class _Rule(NamedTuple):
    phrase: tuple[str, ...]
    adds: tuple[tuple[str, ...], ...]


class SynonymSet:
    """Synonym groups of one locale, ready to expand analysed queries."""

    def __init__(
        self, rules: Iterable[_Rule], locale: str | None, weight: float = SYNONYM_WEIGHT
    ) -> None:
        self.locale = locale
        self.weight = weight
        self._rules: dict[str, list[_Rule]] = defaultdict(list)
        for rule in rules:
            self._rules[rule.phrase[0]].append(rule)
        for candidates in self._rules.values():
            candidates.sort(key=lambda rule: -len(rule.phrase))

    @classmethod
    def from_groups(
        cls,
        groups: Iterable[SynonymGroup | str | Sequence[str]],
        locale: str | None,
        weight: float = SYNONYM_WEIGHT,
    ) -> SynonymSet:
        """Build the set from groups, lines (see :func:`parse_line`) or lists of entries.

        A list of entries is a multi-way group. Invalid lines raise ValueError.
        """
        rules: list[_Rule] = []
        for group in groups:
            rules.extend(_rules_of(_as_group(group), locale))
        return cls(rules, locale, weight)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def expand(self, terms: Sequence[str | Term]) -> list[Expansion]:
        """Return the query's own terms (weight 1.0) followed by their synonyms.

        ``terms`` are the query's stems in order (or :class:`~search.text.Term` objects,
        of which stop words and extra terms are skipped). Each synonym appears once,
        with the first query words that led to it as its source.
        """
        stems = _stems(terms)
        result = {stem: Expansion(stem, ORIGINAL_WEIGHT, stem) for stem in stems}
        for start in range(len(stems)):
            for rule in self._rules.get(stems[start], ()):
                if tuple(stems[start : start + len(rule.phrase)]) != rule.phrase:
                    continue
                source = " ".join(rule.phrase)
                for phrase in rule.adds:
                    term = phrase[0] if len(phrase) == 1 else phrase
                    result.setdefault(term, Expansion(term, self.weight, source))
        return list(result.values())


def _as_group(group: SynonymGroup | str | Sequence[str]) -> SynonymGroup:
    if isinstance(group, SynonymGroup):
        return group
    if isinstance(group, str):
        return parse_line(group)
    entries = _checked(" ".join(entry.split()) for entry in group)
    if len(entries) < 2:
        raise ValueError("Give at least two synonyms.")
    return SynonymGroup(entries)


def _stems(terms: Sequence[str | Term]) -> list[str]:
    return [
        term if isinstance(term, str) else term.stem
        for term in terms
        if isinstance(term, str) or (term.kind == TermKind.WORD and not term.stopword)
    ]


def _analysed(entry: str, locale: str | None) -> tuple[str, ...]:
    return tuple(_stems(analyse(entry, locale)))


def _rules_of(group: SynonymGroup, locale: str | None) -> list[_Rule]:
    sources = list(dict.fromkeys(_analysed(entry, locale) for entry in group.sources))
    if group.one_way:
        targets = tuple(dict.fromkeys(_analysed(entry, locale) for entry in group.targets))
        return [_Rule(source, tuple(t for t in targets if t != source)) for source in sources]
    return [
        _Rule(source, tuple(other for other in sources if other != source)) for source in sources
    ]
