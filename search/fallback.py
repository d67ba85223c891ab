"""Search straight from the database, for when the index is missing or broken.

Slower and without typo tolerance, but it answers: each plan word (or its correction or
synonym) that appears in a source's fallback fields counts one point.
"""

from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When

from .backends import Hit, HitList


def _words(plan) -> list[str]:
    """The customer's words, their corrections, and every stem the plan would search for:
    stems match as substrings ("nasenpad" finds "Nasenpads")."""
    words = set(plan.words) | set(plan.corrections.values())
    for group in plan.groups:
        for alternative in group.alternatives:
            words.update(alternative.terms)
    return sorted(words)


def _in_categories(category_ids) -> Q:
    import swapper

    base_page = swapper.load_model("wagtailcore", "Page")
    paths = base_page.objects.filter(pk__in=category_ids).values_list("path", flat=True)
    return reduce(or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))


def database_search(plan, sources, *, limit: int, category_ids=None) -> HitList:
    words = _words(plan)
    hits: list[Hit] = []
    for source in sources:
        if source.fallback_queryset is None or not words:
            continue
        matches = [
            reduce(or_, (Q(**{f"{name}__icontains": word}) for name in source.fallback_fields))
            for word in words
        ]
        score = sum(
            (
                Case(When(match, then=Value(1)), default=Value(0), output_field=IntegerField())
                for match in matches
            ),
            Value(0),
        )
        queryset = source.fallback_queryset(plan.language).filter(reduce(or_, matches))
        if category_ids:
            queryset = queryset.filter(_in_categories(category_ids))
        for obj in queryset.annotate(hc_score=score).order_by("-hc_score")[:limit]:
            parent = getattr(obj, "category", None)
            hits.append(
                Hit(
                    key=f"{source.model_label}.{obj.pk}",
                    model=source.model_label,
                    pk=obj.pk,
                    score=float(obj.hc_score),
                    title=obj.title,
                    url=getattr(obj, "url", "") or "",
                    category=getattr(parent, "title", "") if parent else "",
                    short_answer=getattr(obj, "short_answer", ""),
                )
            )
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return HitList(hits[:limit], len(hits))
