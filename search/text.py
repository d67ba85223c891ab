"""Text analysis shared by the index side and the query side of the help search.

Every text, an article being indexed or a query being typed, takes the same path so
that index terms and query terms meet:

1. clean: NFKC (full-width letters become ASCII, ligatures are split), whitespace
   becomes plain spaces, control and format characters (NUL, zero-width, bidi marks,
   BOM) go.
2. fold: casefold, then for German only the Lucene ``GermanNormalizationFilter`` rule
   (``ae``/``oe``/``ue`` -> ``a``/``o``/``u``, not after a vowel and not ``ue`` after
   ``q``), then accents to base letters (``ä`` -> ``a``, ``é`` -> ``e``; ``ß`` became
   ``ss`` by casefolding).
3. tokenise: runs of letters and digits; anything else (hyphens, apostrophes, query
   syntax such as ``( ) " * : \\``) only separates tokens.
4. stop words, Snowball stemming of the folded token, German compound parts.

The digraph rule is German only: applied to English it turns "issues" into "issus",
which the English stemmer no longer reduces to the stem of "issue" ("issu").
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import snowballstemmer

DEFAULT_MAX_LENGTH = 200
"""Queries are cut to this many characters (at a word boundary where possible)."""

MAX_TOKEN_LENGTH = 64
"""Longer tokens are cut; German words rarely pass 40 letters."""

SUPPORTED_LANGUAGES = frozenset({"de", "en"})

_STEMMER_NAMES = {"de": "german", "en": "english"}
_DATA_DIR = Path(__file__).resolve().parent / "data"

_COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_COMBINING_MARKS}])*")
_MARKS_RE = re.compile(rf"[{_COMBINING_MARKS}]+")
# Lucene GermanNormalizationFilter: "e" is dropped after "a"/"o", and after a "u" that
# follows neither a vowel nor "q" ("quelle", "feuer", "aue" keep their "e").
_GERMAN_DIGRAPH_RE = re.compile("(?<=[ao])e|(?<=(?<![aeiouyqäöü])u)e")
_LETTER_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ŀ": "l",
        "ŧ": "t",
        "ŋ": "n",
    }
)
_HYPHENS = frozenset("-\u2010")
_WHITESPACE_RE = re.compile(r"\s")


@lru_cache(maxsize=64)
def language_of(locale: str | None) -> str | None:
    """Return the primary language subtag of ``locale`` ("de-AT" -> "de"), or None."""
    if not locale:
        return None
    return re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower() or None


def _is_german(locale: str | None) -> bool:
    return language_of(locale) == "de"


def _precap(text: str, max_length: int | None) -> str:
    # Cheap guard before the Unicode work: a megabyte "query" is not normalised whole.
    if max_length is None:
        return text
    return text[: max_length * 4 + 16]


def _cap(text: str, max_length: int | None) -> str:
    """Cut ``text`` to ``max_length`` characters, at a space if one is near the end."""
    if max_length is None or len(text) <= max_length:
        return text
    if text[max_length] == " ":
        return text[:max_length].rstrip()
    cut = text[:max_length]
    space = cut.rfind(" ")
    if space > max_length // 2:
        return cut[:space].rstrip()
    return cut


def clean(text: str, max_length: int | None = None) -> str:
    """NFKC, whitespace to plain spaces, control and format characters dropped.

    Case and accents stay. Nothing else changes length, so offsets into the result are
    offsets into ``text`` unless it held invisible characters or NFKC expanded some.
    """
    if not text:
        return ""
    text = _WHITESPACE_RE.sub(" ", unicodedata.normalize("NFKC", _precap(text, max_length)))
    if not text.isprintable():
        # Only "other" characters are left to find here: controls, format marks such
        # as zero-width and bidi, surrogates, private use, unassigned code points.
        text = "".join(ch for ch in text if ch == " " or unicodedata.category(ch)[0] != "C")
        text = unicodedata.normalize("NFKC", text)
    return _cap(text, max_length)


def fold(text: str, locale: str | None = None) -> str:
    """Casefold ``text``, apply German digraph folding (German only) and strip accents."""
    text = text.casefold()
    if _is_german(locale):
        text = _GERMAN_DIGRAPH_RE.sub("", text)
    if text.isascii():
        return text
    text = _MARKS_RE.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).translate(_LETTER_FOLDS)


def normalise(
    text: str, max_length: int | None = DEFAULT_MAX_LENGTH, locale: str | None = None
) -> str:
    """Return ``text`` cleaned and folded, whitespace collapsed, cut to ``max_length``.

    ``locale`` only matters for German, where "Rückgabe", "Ruckgabe" and "Rueckgabe"
    all become "ruckgabe". Pass ``max_length=None`` for no limit.
    """
    folded = fold(clean(text, max_length), locale)
    return _cap(" ".join(folded.split()), max_length)


class _Token(NamedTuple):
    surface: str
    normalised: str
    start: int
    end: int
    hyphen_before: bool


def _tokens(text: str, locale: str | None, max_length: int | None) -> Iterator[_Token]:
    cleaned = clean(text, max_length)
    previous_end = -2
    for match in _TOKEN_RE.finditer(cleaned):
        start, end = match.span()
        hyphen = start == previous_end + 1 and cleaned[previous_end] in _HYPHENS
        previous_end = end
        for piece in _TOKEN_RE.findall(fold(match.group(), locale)):
            yield _Token(match.group(), piece[:MAX_TOKEN_LENGTH], start, end, hyphen)
            hyphen = False


def tokenise(
    text: str, locale: str | None = None, max_length: int | None = DEFAULT_MAX_LENGTH
) -> list[str]:
    """Split ``text`` into normalised word tokens (letters and digits).

    Punctuation, hyphens, apostrophes and query syntax only separate tokens, so
    ``field:value AND (x)`` gives ``["field", "value", "and", "x"]``.
    """
    return [token.normalised for token in _tokens(text, locale, max_length)]


def stopwords(locale: str | None) -> frozenset[str]:
    """Return the folded stop words for ``locale`` (empty for unsupported languages)."""
    return _stopwords(language_of(locale))


@lru_cache(maxsize=8)
def _stopwords(language: str | None) -> frozenset[str]:
    if language not in SUPPORTED_LANGUAGES:
        return frozenset()
    lines = (_DATA_DIR / f"stopwords_{language}.txt").read_text("utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.strip()) and word[0] != "#")


def remove_stopwords(tokens: Iterable[str], locale: str | None) -> list[str]:
    """Drop stop words from normalised ``tokens``, unless every token is one."""
    tokens = list(tokens)
    stop = stopwords(locale)
    kept = [token for token in tokens if token not in stop]
    return kept or tokens


_local = threading.local()


def _stemmer(language: str) -> Any:
    # Snowball and PyStemmer stemmer objects keep state while stemming: one per thread.
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMER_NAMES[language])
    return stemmers[language]


@lru_cache(maxsize=100_000)
def _stem(token: str, language: str) -> str:
    result = _stemmer(language).stemWord(token)
    # Snowball German leaves the "-s" plural after a vowel ("Gummis", "Etuis", "Autos").
    if language == "de" and len(result) >= 5 and result[-1] == "s" and result[-2] in "aiouy":
        result = result[:-1]
    return result


def stem(token: str, locale: str | None) -> str:
    """Return the Snowball stem of a normalised ``token``.

    Tokens with digits ("2fa", "30") and tokens of unsupported languages are returned
    unchanged.
    """
    language = language_of(locale)
    if language not in _STEMMER_NAMES or not token.isalpha():
        return token
    return _stem(token, language)


@lru_cache(maxsize=100_000)
def _word_stems(word: str, language: str | None) -> tuple[tuple[str, ...], str]:
    pieces = [piece[:MAX_TOKEN_LENGTH] for piece in _TOKEN_RE.findall(fold(word, language))]
    return tuple(stem(piece, language) for piece in pieces), "".join(pieces)


def stem_spans(text: str, locale: str | None) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, stems)`` of each word of a cleaned ``text``, stemmed as :func:`analyse`
    stems it, and of each hyphen chain written together ("E-Mail": "email").

    For scanning long text (snippets): a word is analysed once per process, not per use.
    """
    language = language_of(locale)
    chain_start, chain = 0, []  # the current hyphen chain: where it starts, its words
    previous_end = -2
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        stems, normalised = _word_stems(match.group(), language)
        if chain and start == previous_end + 1 and text[previous_end] in _HYPHENS:
            chain.append(normalised)
        else:
            if len(chain) > 1:
                yield chain_start, previous_end, (_joined_stem(chain, locale),)
            chain_start, chain = start, [normalised]
        previous_end = end
        yield start, end, stems
    if len(chain) > 1:
        yield chain_start, previous_end, (_joined_stem(chain, locale),)


class TermKind(StrEnum):
    """Where a :class:`Term` comes from."""

    WORD = "word"
    """A token of the text."""
    JOINED = "joined"
    """Hyphen-linked tokens written as one word ("E-Mail" -> "email"), an extra term."""
    PART = "part"
    """A part of a German compound ("Brillenetui" -> "brille", "etui"), an extra term."""


@dataclass(frozen=True, slots=True)
class Term:
    """One analysed term, with every step kept so that a query tester can show them.

    Extra terms (``JOINED``, ``PART``) share the position of the word they come from.
    ``start``/``end`` are character offsets into :func:`clean` (text).
    """

    surface: str
    normalised: str
    stem: str
    position: int
    kind: TermKind = TermKind.WORD
    stopword: bool = False
    start: int = 0
    end: int = 0


def analyse(
    text: str,
    locale: str | None,
    *,
    max_length: int | None = DEFAULT_MAX_LENGTH,
    splitter: CompoundSplitter | None = None,
) -> list[Term]:
    """Analyse ``text`` into terms: words, hyphen joins and (German) compound parts.

    Stop words stay in the result with ``stopword=True`` so that they can be shown;
    when every word is a stop word none is marked. Use :func:`searchable` to drop them.
    ``splitter`` adds compound parts for German text.
    """
    tokens = list(_tokens(text, locale, max_length))
    stop = stopwords(locale)
    all_stop = all(token.normalised in stop for token in tokens)
    joined = _joined_terms(tokens, locale)
    terms: list[Term] = []
    for position, token in enumerate(tokens):
        is_stop = not all_stop and token.normalised in stop
        terms.append(
            Term(
                token.surface,
                token.normalised,
                stem(token.normalised, locale),
                position,
                TermKind.WORD,
                is_stop,
                token.start,
                token.end,
            )
        )
        terms.extend(joined.get(position, ()))
    if splitter is not None:
        terms = add_compound_parts(terms, splitter, locale)
    return terms


def add_compound_parts(
    terms: Iterable[Term], splitter: CompoundSplitter, locale: str | None
) -> list[Term]:
    """Return ``terms`` with the parts of German compounds after each compound word.

    Other languages get no parts: their compounds are written apart.
    """
    result: list[Term] = []
    for term in terms:
        result.append(term)
        if term.kind == TermKind.WORD and not term.stopword and _is_german(locale):
            result.extend(_part_terms(term, splitter, locale))
    return result


def searchable(terms: Iterable[Term]) -> list[Term]:
    """Return the terms that take part in searching: all but the dropped stop words."""
    return [term for term in terms if not term.stopword]


def _joined_terms(tokens: list[_Token], locale: str | None) -> dict[int, list[Term]]:
    """Map the position of the first token of each hyphen chain to its joined term."""
    joined: dict[int, list[Term]] = {}
    chain: list[int] = []
    for index, token in enumerate(tokens):
        if token.hyphen_before and index > 0:
            chain = chain or [index - 1]
            chain.append(index)
            continue
        if chain:
            joined[chain[0]] = [_join(tokens, chain, locale)]
        chain = []
    if chain:
        joined[chain[0]] = [_join(tokens, chain, locale)]
    return joined


def _joined(words: list[str]) -> str:
    """Hyphen-linked normalised words written together ("e", "mail": "email")."""
    return "".join(words)[:MAX_TOKEN_LENGTH]


def _joined_stem(words: list[str], locale: str | None) -> str:
    return stem(_joined(words), locale)


def _join(tokens: list[_Token], chain: list[int], locale: str | None) -> Term:
    first, last = tokens[chain[0]], tokens[chain[-1]]
    normalised = _joined([tokens[i].normalised for i in chain])
    surface = "-".join(tokens[i].surface for i in chain)
    return Term(
        surface,
        normalised,
        stem(normalised, locale),
        chain[0],
        TermKind.JOINED,
        False,
        first.start,
        last.end,
    )


def _part_terms(word: Term, splitter: CompoundSplitter, locale: str | None) -> list[Term]:
    seen = {word.stem}
    parts = []
    for part in splitter.split(word.normalised):
        part_stem = stem(part, locale)
        if part_stem not in seen:
            seen.add(part_stem)
            parts.append(
                Term(
                    part, part, part_stem, word.position, TermKind.PART, False, word.start, word.end
                )
            )
    return parts


class CompoundSplitter:
    """Split German compounds into parts that are words of a vocabulary.

    Built from normalised words (``Term.normalised``), optionally with their document
    frequencies. A word is split in two where the tail is a known word (or one with an
    inflection ending) and the head is a known word, possibly followed by a linking morpheme
    ("s", "es", "n", "en") or being a verb without its "-n"/"-en". A head or tail of six
    letters or more with the stem of a known word counts as known too ("verfolgung" as
    "verfolgen" is known, "nasenpad" as "nasenpads"). Among several splits the one with the
    highest geometric mean frequency wins (Koehn & Knight). Each part is split once more, so
    "nasenpadwechsel" gives "nasenpad", "wechsel", "nase", "pad". Stop words are never parts.
    """

    LINKING_MORPHEMES = ("", "s", "n", "es", "en")
    VERB_ENDINGS = ("n", "en")
    INFLECTIONS = frozenset({"s", "e", "n", "en", "es", "er", "ern", "ns"})
    DERIVED_LENGTH = 6

    def __init__(
        self,
        words: Iterable[str] | Mapping[str, int],
        *,
        locale: str = "de",
        min_part_length: int = 3,
        max_parts: int = 6,
    ) -> None:
        self.min_part_length = min_part_length
        self.max_parts = max_parts
        self.locale = locale
        self._stop = stopwords(locale)
        self._words: dict[str, int] = self._filtered(words)
        self._extra: frozenset[str] = frozenset()

    def _filtered(self, words: Iterable[str] | Mapping[str, int]) -> dict[str, int]:
        pairs = words.items() if isinstance(words, Mapping) else ((w, 1) for w in words)
        return {
            word: max(int(freq), 1)
            for word, freq in pairs
            if len(word) >= self.min_part_length and word.isalpha() and word not in self._stop
        }

    def __contains__(self, word: object) -> bool:
        return word in self._words or word in self._extra

    def __len__(self) -> int:
        return len(self._words) + len(self._extra)

    def extended(self, words: Iterable[str]) -> CompoundSplitter:
        """Return a splitter that also knows ``words`` (e.g. the words of one document)."""
        copy = object.__new__(CompoundSplitter)
        copy.__dict__.update(self.__dict__)
        copy._extra = frozenset(self._filtered(words)) - self._words.keys()
        return copy

    def _frequency(self, word: str) -> int:
        return self._words.get(word) or (1 if word in self._extra else 0)

    def split(self, word: str) -> tuple[str, ...]:
        """Return the parts of the normalised ``word``, or ``()`` if it is no compound."""
        parts: list[str] = []
        for part in self._best_split(word):
            parts.append(part)
            parts.extend(self._best_split(part))
        return tuple(dict.fromkeys(p for p in parts if p != word))[: self.max_parts]

    def _best_split(self, word: str) -> tuple[str, ...]:
        shortest = self.min_part_length
        if len(word) < 2 * shortest or not word.isalpha():
            return ()
        best: tuple[float, int, str, str] | None = None
        for cut in range(shortest, len(word) - shortest + 1):
            tail = self._known_tail(word[cut:])
            head = self._known_head(word[:cut]) if tail else None
            if head is None or tail is None:
                continue
            frequency = math.sqrt(self._frequency(head) * self._frequency(tail))
            score = (frequency, len(tail), head, tail)
            best = score if best is None else max(best, score)
        return best[2:] if best else ()

    def _known_head(self, head: str) -> str | None:
        for link in self.LINKING_MORPHEMES:
            base = head[: len(head) - len(link)] if link else head
            if head.endswith(link) and len(base) >= self.min_part_length and base in self:
                return base
        for ending in self.VERB_ENDINGS:
            if head + ending in self:
                return head + ending
        for link in self.LINKING_MORPHEMES:
            base = head[: len(head) - len(link)] if link else head
            if head.endswith(link) and self._is_form_of_known_word(base):
                return base  # "nasenpad" in "nasenpadwechsel", known as "nasenpads"
        return None

    def _is_form_of_known_word(self, word: str) -> bool:
        return len(word) >= self.DERIVED_LENGTH and stem(word, self.locale) in self._stems

    def _known_tail(self, tail: str) -> str | None:
        if tail in self:
            return tail
        for size in (1, 2, 3):
            base = tail[:-size]
            if (
                tail[-size:] in self.INFLECTIONS
                and len(base) >= self.min_part_length
                and base in self
            ):
                return base
        if self._is_form_of_known_word(tail):
            return tail  # "verfolgung" in "sendungsverfolgung", known as "verfolgen"
        return None

    @cached_property
    def _stems(self) -> frozenset[str]:
        """Stems of the known words: a tail sharing one is another form of a known word."""
        return frozenset(
            stem(word, self.locale) for word in self._words if len(word) >= self.DERIVED_LENGTH
        )
