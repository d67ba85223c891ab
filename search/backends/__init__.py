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


@dataclass
class HitList:
    hits: list[Hit]
    total: int
    timed_out: bool = False
