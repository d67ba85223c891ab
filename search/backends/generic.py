"""Any haystack backend (Elasticsearch, Solr, stock Whoosh) answering a `QueryPlan`.

The plan's words, corrections and synonyms become one OR of haystack `SQ` objects; the backend
analyses them itself. This is the path for sites that outgrow one machine (docs/search.md).
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.apps import apps
from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from ..query import QueryPlan
from . import Hit, HitList


def search_plan(
    alias: str,
    plan: QueryPlan,
    model_labels: list[str],
    *,
    limit: int = 50,
    category_ids: list[int] | None = None,
    **ignored,
) -> HitList:
    words = {plan.corrections.get(word, word) for word in plan.words} | set(plan.words)
    for group in plan.groups:
        for alternative in group.alternatives:
            if alternative.origin == "synonym":
                words.add(" ".join(alternative.terms))
    if not words:
        return HitList([], 0)
    models = [apps.get_model(label) for label in model_labels]
    queryset = (
        SearchQuerySet(using=alias)
        .models(*models)
        .filter(locale=Exact(plan.language))
        .filter(reduce(or_, (SQ(content=word) for word in sorted(words))))
    )
    if category_ids:
        queryset = queryset.filter(category_id__in=category_ids)
    hits = [
        Hit(
            key=result.id,
            model=f"{result.app_label}.{result.model_name}",
            pk=int(result.pk),
            score=float(result.score or 0.0),
            title=getattr(result, "title", "") or "",
            url=getattr(result, "url", "") or "",
            category=getattr(result, "category", "") or "",
            category_id=getattr(result, "category_id", None),
            short_answer=getattr(result, "short_answer", "") or "",
        )
        for result in queryset[:limit]
    ]
    return HitList(hits, queryset.count())
