"""Query understanding: from what a customer typed to the weighted terms the index is asked for.

The steps, each a small unit of `search.text`, `search.typos` and `search.synonyms`:
normalise -> tokenise and drop stop words -> stem -> correct typos against the index vocabulary
-> split German compounds -> expand editor synonyms. The result is a `QueryPlan`: one group of
alternatives per query word. A backend ORs the groups, so documents that match more of the
customer's words rank first (see `search.backends`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .synonyms import SynonymSet
from .text import CompoundSplitter, TermKind, analyse, language_of, normalise, searchable, stem
from .typos import Vocabulary

QUERY_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 4000
MAX_GROUPS = 16
CORRECTION_WEIGHT = 0.9
PART_WEIGHT = 0.45
JOINED_WEIGHT = 0.9


@dataclass(frozen=True)
class Alternative:
    """One way to match a query word: its own stem, a correction, a synonym or a compound part.

    `terms` holds more than one stem for a multi-word synonym ("nose pad"), which must all match.
    """

    terms: tuple[str, ...]
    weight: float
    origin: str
    source: str


@dataclass
class WordGroup:
    word: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, alternative: Alternative) -> None:
        if all(a.terms != alternative.terms for a in self.alternatives):
            self.alternatives.append(alternative)


@dataclass
class QueryPlan:
    """Everything the pipeline decided about one query; the admin query tester shows it."""

    text: str
    language: str
    normalised: str
    words: list[str]
    stopwords: list[str]
    corrections: dict[str, str]
    groups: list[WordGroup]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def corrected_text(self) -> str | None:
        """The query with its typos corrected, for "Did you mean ...?"; None without typos."""
        if not self.corrections:
            return None
        return " ".join(self.corrections.get(word, word) for word in self.words)

    def describe(self) -> dict:
        return {
            "normalised": self.normalised,
            "words": self.words,
            "stopwords": self.stopwords,
            "corrections": self.corrections,
            "groups": [
                {
                    "word": group.word,
                    "alternatives": [
                        {
                            "terms": list(a.terms),
                            "weight": a.weight,
                            "origin": a.origin,
                            "source": a.source,
                        }
                        for a in group.alternatives
                    ],
                }
                for group in self.groups
            ],
        }


def plan_query(
    text: str,
    locale: str,
    *,
    vocabulary: Vocabulary | None = None,
    splitter: CompoundSplitter | None = None,
    synonyms: SynonymSet | None = None,
    max_length: int = QUERY_MAX_LENGTH,
) -> QueryPlan:
    """Run the pipeline on `text` in `locale` ("de", "en", "de-CH", ...).

    `vocabulary` (the index's words) enables typo correction, `splitter` compound splitting.
    """
    language = language_of(locale) or "en"
    terms = analyse(text, language, max_length=max_length, splitter=splitter)
    words = [t for t in searchable(terms) if t.kind == TermKind.WORD]
    plan = QueryPlan(
        text=text,
        language=language,
        normalised=normalise(text, max_length=max_length, locale=language),
        words=[t.normalised for t in words],
        stopwords=[t.normalised for t in terms if t.stopword],
        corrections={},
        groups=[],
    )
    chosen = _informative_positions(words, vocabulary)
    split = {term.position for term in terms if term.kind == TermKind.PART}
    groups: dict[int, WordGroup] = {}
    for term in searchable(terms):
        if term.kind == TermKind.WORD:
            if term.position not in chosen:
                continue
            group = groups.setdefault(term.position, WordGroup(term.normalised))
            group.add(Alternative((term.stem,), 1.0, "query", term.normalised))
            _add_correction(plan, group, term.normalised, vocabulary, language)
            if term.position not in split:  # a compound that splits as typed needs no reading
                _add_corrected_parts(plan, group, term.normalised, vocabulary, splitter, language)
                _add_compound_head(plan, group, term.normalised, vocabulary, language)
        elif term.position in groups:
            weight = PART_WEIGHT if term.kind == TermKind.PART else JOINED_WEIGHT
            groups[term.position].add(
                Alternative((term.stem,), weight, term.kind.value, term.surface)
            )
    _add_concatenations(terms, groups, vocabulary, language)
    plan.groups = list(groups.values())
    if synonyms:
        _add_synonyms(plan, synonyms)
    return plan


def _informative_positions(words, vocabulary: Vocabulary | None) -> set[int]:
    """Where the words worth searching for are: each word once, at most MAX_GROUPS of them.

    A long message ("Hello, I ordered glasses last week and ...") has more words than a search
    needs; the rarest ones in the index say most about what it is about. Words the index does
    not know may be typos of rare words, so they rank with the median known word.
    """
    first_position: dict[str, int] = {}
    for word in words:
        first_position.setdefault(word.normalised, word.position)
    if len(first_position) <= MAX_GROUPS or vocabulary is None:
        return set(list(first_position.values())[:MAX_GROUPS])
    known = sorted(f for w in first_position if (f := vocabulary.frequency(w)))
    unknown_rank = known[len(known) // 2] if known else 0
    ranked = sorted(first_position, key=lambda w: vocabulary.frequency(w) or unknown_rank)
    return {first_position[word] for word in ranked[:MAX_GROUPS]}


def _add_concatenations(terms, groups: dict, vocabulary: Vocabulary | None, language) -> None:
    """Two neighbouring words the index knows as one ("back up" -> "backup", "git hub" ->
    "github") are also searched joined, the way Algolia's typo tolerance concatenates words; a
    verb with its particle also by its stem ("backing up" -> "backup", "logging in" -> "login").
    """
    if vocabulary is None:
        return
    words = [t for t in terms if t.kind == TermKind.WORD]
    for first, second in zip(words, words[1:], strict=False):
        group = groups.get(first.position) or groups.get(second.position)
        if group is None:
            continue
        joined = next(
            (
                joined
                for joined in (first.normalised + second.normalised, first.stem + second.normalised)
                if joined.isalpha() and joined in vocabulary
            ),
            None,
        )
        if joined is None:
            continue
        group.add(
            Alternative(
                (stem(joined, language),),
                JOINED_WEIGHT,
                "joined",
                f"{first.normalised} {second.normalised}",
            )
        )


COMPOUND_MIN_LENGTH = 8


def _add_corrected_parts(plan, group, word, vocabulary, splitter, language) -> None:
    """A compound with a typo in one of its parts ("Paketerfolgung", "Rabatttcode"): neither
    the word nor its parts are in the index, so correct one side of each possible cut and
    search the parts of the first reading that splits into known words. German only: other
    languages write their compounds apart (and split nothing at analysis either)."""
    if (
        language != "de"
        or vocabulary is None
        or splitter is None
        or len(word) < COMPOUND_MIN_LENGTH
        or not word.isalpha()
        or word in vocabulary
        or word in plan.corrections
    ):
        return
    reading = _corrected_compound(word, vocabulary, splitter)
    if reading is None:
        return
    plan.corrections[word] = reading
    for part in splitter.split(reading):
        group.add(
            Alternative((stem(part, language),), PART_WEIGHT * CORRECTION_WEIGHT, "typo", word)
        )


HEAD_MIN_LENGTH = 6


def _add_compound_head(plan, group, word, vocabulary, language) -> None:
    """A German compound the index does not know, whose head (its last part, which carries the
    meaning) it knows, is also searched by that head: "Rückerstattung" as "erstattung" though
    "rück" is no word of its own. The longest known head of six letters or more wins."""
    if (
        language != "de"
        or vocabulary is None
        or len(word) < COMPOUND_MIN_LENGTH
        or not word.isalpha()
        or word in vocabulary
        or word in plan.corrections
    ):
        return
    for cut in range(3, len(word) - HEAD_MIN_LENGTH + 1):
        if word[cut:] in vocabulary:
            group.add(Alternative((stem(word[cut:], language),), PART_WEIGHT, "part", word))
            return


def _corrected_compound(word: str, vocabulary: Vocabulary, splitter) -> str | None:
    shortest = splitter.min_part_length
    for cut in range(len(word) - shortest, shortest - 1, -1):
        head, tail = word[:cut], word[cut:]
        for reading in (head + vocabulary.correct(tail), vocabulary.correct(head) + tail):
            if reading != word and splitter.split(reading):
                return reading
    return None


def _add_correction(plan, group, word, vocabulary, language) -> None:
    if vocabulary is None or word in vocabulary or any(c.isdigit() for c in word):
        return
    corrected = vocabulary.correct(word)
    if corrected != word:
        plan.corrections[word] = corrected
        group.add(Alternative((stem(corrected, language),), CORRECTION_WEIGHT, "typo", word))


def _add_synonyms(plan: QueryPlan, synonyms: SynonymSet) -> None:
    """Expand the best reading of each word (its correction if it had one) with synonyms."""
    readings = [_reading(group) for group in plan.groups]
    by_first_stem = {reading: group for reading, group in zip(readings, plan.groups, strict=True)}
    for expansion in synonyms.expand(readings):
        if expansion.source == expansion.term:
            continue
        terms = expansion.term if isinstance(expansion.term, tuple) else (expansion.term,)
        group = by_first_stem.get(expansion.source.split()[0])
        if group is not None:
            group.add(Alternative(terms, expansion.weight, "synonym", expansion.source))


def _reading(group: WordGroup) -> str:
    corrected = [a for a in group.alternatives if a.origin == "typo"]
    return (corrected or group.alternatives)[0].terms[0]
