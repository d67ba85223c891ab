"""What the help search searches: each app registers its content as a `SearchSource`.

The knowledge base registers its articles (faq/apps.py); the community forum registers its
threads the same way. A source names the model whose haystack `SearchIndex` follows the field
conventions of docs/search.md, how popular its documents are, and a database fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet


@dataclass(frozen=True)
class Answer:
    """A document that may answer a customer, as it is now: `url` a path on the site."""

    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class SearchSource:
    """A kind of content the help search finds.

    `popularity(ids)` returns a number per object id (higher is more popular) or None;
    `fallback_queryset(language)` returns the searchable objects for when the index is down;
    `completions` makes its titles autocomplete suggestions (help articles do; a forum's many
    posts would crowd them out and cost every keystroke a search of the whole forum);
    `suggested` puts it among the answers `suggest()` gives when no sources are named (the
    contact form's and its automatic reply's): True among the first, "after" after those (the
    forum's threads follow the articles), False not at all; `answers(ids)` returns those of the
    ids that may answer a customer now, with their current title and address (the forum:
    solved, visible threads), None when every document of the source may; `weights(ids)`
    returns a factor per object id that its scores are multiplied by (the forum ranks unsolved
    threads below solved ones).
    """

    name: str
    model_label: str
    label: str
    popularity: Callable[[list[int]], dict[int, float]] | None = None
    fallback_queryset: Callable[[str], QuerySet] | None = None
    fallback_fields: tuple[str, ...] = ("title",)
    completions: bool = False
    suggested: bool | Literal["after"] = True
    weights: Callable[[list[int]], dict[int, float]] | None = None
    answers: Callable[[list[int]], list[Answer]] | None = None


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    _sources[source.name] = source


def unregister(name: str) -> None:
    _sources.pop(name, None)


def completion_sources() -> list[SearchSource]:
    """The sources whose titles autocomplete offers."""
    return [source for source in _sources.values() if source.completions]


def suggestion_sources() -> list[str]:
    """The names of the sources `suggest()` answers from when the caller names none, those
    suggested first before those suggested "after"."""
    chosen = [source for source in _sources.values() if source.suggested]
    return [source.name for source in sorted(chosen, key=suggested_after)]


def suggested_after(source: SearchSource) -> bool:
    """Whether the source's suggestions come after the others' (the forum's threads)."""
    return source.suggested == "after"


def get(name: str) -> SearchSource | None:
    """The source registered under `name`, or None."""
    return _sources.get(name)


def for_model(model_label: str) -> SearchSource | None:
    """The source whose documents are of this model."""
    return next((s for s in _sources.values() if s.model_label == model_label.lower()), None)


def sources(names: list[str] | None = None) -> list[SearchSource]:
    """The registered sources, or those named (unknown names are ignored)."""
    if names is None:
        return list(_sources.values())
    return [_sources[name] for name in names if name in _sources]
