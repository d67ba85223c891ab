"""What the help search searches: each app registers its content as a `SearchSource`.

The knowledge base registers its articles (faq/apps.py); the community forum registers its
threads the same way. A source names the model whose haystack `SearchIndex` follows the field
conventions of docs/search.md, how popular its documents are, and a database fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class SearchSource:
    """A kind of content the help search finds.

    `popularity(ids)` returns a number per object id (higher is more popular) or None;
    `fallback_queryset(language)` returns the searchable objects for when the index is down;
    `completions` makes its titles autocomplete suggestions (help articles do; a forum's many
    posts would crowd them out and cost every keystroke a search of the whole forum).
    """

    name: str
    model_label: str
    label: str
    popularity: Callable[[list[int]], dict[int, float]] | None = None
    fallback_queryset: Callable[[str], QuerySet] | None = None
    fallback_fields: tuple[str, ...] = ("title",)
    completions: bool = False


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    _sources[source.name] = source


def unregister(name: str) -> None:
    _sources.pop(name, None)


def completion_sources() -> list[SearchSource]:
    """The sources whose titles autocomplete offers."""
    return [source for source in _sources.values() if source.completions]


def sources(names: list[str] | None = None) -> list[SearchSource]:
    """The registered sources, or those named (unknown names are ignored)."""
    if names is None:
        return list(_sources.values())
    return [_sources[name] for name in names if name in _sources]
