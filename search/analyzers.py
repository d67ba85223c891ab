"""A Whoosh analyzer that indexes exactly the terms the query side produces.

``HelpAnalyzer(locale)`` runs :func:`search.text.analyse`, so index terms and query
terms are normalised, stemmed and split the same way::

    Schema(body=TEXT(analyzer=HelpAnalyzer("de", lexicon="default")))

Whoosh pickles the schema into the index, so the analyzer keeps plain attributes only.
The compound vocabulary is not pickled: it is looked up by name in a registry at call
time (:func:`register_lexicon`). Each German document also splits its compounds
against its own words, so "Brillenetui" next to "Brille" and "Etui" is split even
before any lexicon is registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token

from search.text import (
    CompoundSplitter,
    Term,
    TermKind,
    add_compound_parts,
    analyse,
    language_of,
    normalise,
    stem,
)

PART_BOOST = 0.5
"""Weight of a compound part relative to a whole word: "Brille" ranks documents about
"Brille" above documents that mention "Brillenetui"."""

_LEXICONS: dict[str, CompoundSplitter] = {}


def register_lexicon(name: str, splitter: CompoundSplitter | None) -> None:
    """Make ``splitter`` the compound vocabulary of analyzers naming ``name``.

    ``None`` removes it. Register the vocabulary of the index (see
    :class:`~search.text.CompoundSplitter`) before indexing and again when it changes.
    """
    if splitter is None:
        _LEXICONS.pop(name, None)
    else:
        _LEXICONS[name] = splitter


def get_lexicon(name: str | None) -> CompoundSplitter | None:
    """Return the splitter registered under ``name``, if any."""
    return _LEXICONS.get(name) if name else None


class HelpAnalyzer(Analyzer):
    """Whoosh analyzer for help-center text in one locale ("de", "en", "de-CH", ...).

    In index mode it yields words, hyphen joins ("E-Mail" -> "email") and, for German,
    compound parts (boost :data:`PART_BOOST`) at the position of their word. In query
    mode it yields the words only, because Whoosh's parser would require every token of
    a query word; build queries from :func:`search.text.analyse` to use joins and parts.
    With ``no_morph`` (Whoosh's spelling) it yields normalised, unstemmed words.
    """

    is_morph = True

    def __init__(
        self, locale: str = "en", lexicon: str | None = None, split_compounds: bool = True
    ) -> None:
        self.locale = locale
        self.lexicon = lexicon
        self.split_compounds = split_compounds

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(locale={self.locale!r}, lexicon={self.lexicon!r}, "
            f"split_compounds={self.split_compounds!r})"
        )

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        options = {
            "positions": positions,
            "chars": chars,
            "removestops": removestops,
            "mode": mode,
            **kwargs,
        }
        if not tokenize:
            yield self._whole_value(value, no_morph, options)
            return
        for term in self.terms(value, mode=mode, no_morph=no_morph):
            if term.stopword and removestops:
                continue
            token = Token(**options)
            token.text = term.normalised if no_morph else term.stem
            token.stopped = term.stopword
            token.boost = PART_BOOST if term.kind == TermKind.PART else 1.0
            if keeporiginal:
                token.original = term.surface
            if positions:
                token.pos = start_pos + term.position
            if chars:
                token.startchar, token.endchar = start_char + term.start, start_char + term.end
            yield token

    def terms(self, value: str, mode: str = "", no_morph: bool = False) -> list[Term]:
        """Return the analysed terms that this analyzer turns into tokens."""
        terms = analyse(value, self.locale, max_length=None)
        if mode == "query" or no_morph:
            return [term for term in terms if term.kind == TermKind.WORD]
        if self.split_compounds and language_of(self.locale) == "de":
            terms = add_compound_parts(terms, self._splitter(terms), self.locale)
        return terms

    def _splitter(self, terms: list[Term]) -> CompoundSplitter:
        own_words = [
            term.normalised for term in terms if term.kind == TermKind.WORD and not term.stopword
        ]
        base = get_lexicon(self.lexicon)
        if base is None:
            base = CompoundSplitter((), locale=self.locale)
        return base.extended(own_words)

    def _whole_value(self, value: str, no_morph: bool, options: dict[str, Any]) -> Token:
        token = Token(**options)
        text = normalise(value, None, self.locale)
        token.text = text if no_morph else stem(text, self.locale)
        token.original = value
        token.pos, token.startchar, token.endchar = 0, 0, len(value)
        return token
