"""Search backends: how a `search.query.QueryPlan` is asked of an index.

`search.backends.whoosh.HelpWhooshEngine` is the embedded default. Any other haystack engine
(Elasticsearch, Solr) works through `search.backends.generic`, which turns the plan into
haystack `SQ` objects; see docs/search.md.
"""

from dataclasses import dataclass, field


@dataclass
class Hit:
    """One matching document, with what a result list shows (read from the index)."""

    key: str
    model: str
    pk: int
    score: float
    title: str = ""
    url: str = ""
    category: str = ""
    category_id: int | None = None
    short_answer: str = ""
    text: str = ""
    matched: set[str] = field(default_factory=set)
    stored: bool = True
    """False for a hit of the dense search that carries only its key and score: the backend's
    `load_hits` reads the rest from the index once the hit is known to be shown."""


@dataclass
class HitList:
    hits: list[Hit]
    total: int
    timed_out: bool = False
