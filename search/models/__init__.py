from .analytics import (
    Query,
    QueryClick,
    QueryDailyHits,
    QuerySource,
    QuerySpelling,
    QueryVisitor,
)
from .queue import IndexOperation
from .settings import SearchSettings
from .synonyms import Synonym

__all__ = [
    "IndexOperation",
    "Query",
    "QueryClick",
    "QueryDailyHits",
    "QuerySource",
    "QuerySpelling",
    "QueryVisitor",
    "SearchSettings",
    "Synonym",
]
