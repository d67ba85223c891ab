from .analytics import (
    Query,
    QueryClick,
    QueryDailyHits,
    QuerySource,
    QuerySpelling,
    QueryVisitor,
)
from .learning import LearnedPhrasing, PhrasingStatus, PhrasingVisitor
from .queue import IndexOperation
from .settings import SearchSettings
from .synonyms import Synonym

__all__ = [
    "IndexOperation",
    "LearnedPhrasing",
    "PhrasingStatus",
    "PhrasingVisitor",
    "Query",
    "QueryClick",
    "QueryDailyHits",
    "QuerySource",
    "QuerySpelling",
    "QueryVisitor",
    "SearchSettings",
    "Synonym",
]
