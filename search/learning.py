"""Learned phrasings (`search.models.learning` explains them): recording the evidence, what
editors review, and the approved phrasings the index searches with an article.

Evidence comes only from customers' requests (`analytics.searcher_of`: no bots, editors or
previews) through the search page's click counter, the article's "helpful" vote and the contact
form's deflection. `search_evaluate` and the benchmarks call the search service directly, so
evaluating queries teaches nothing.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from . import analytics, indexing, registry
from .conf import app_settings
from .models import (
    LearnedPhrasing,
    PhrasingStatus,
    PhrasingVisitor,
    Query,
    QueryClick,
    QueryVisitor,
)

ARTICLES = "articles"


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=app_settings.SEARCH_LEARN_DAYS)


def _article_label() -> str | None:
    found = registry.sources([ARTICLES])
    return found[0].model_label if found else None


def _learnable(query: Query | None) -> bool:
    return bool(
        query is not None
        and len(query.text) <= app_settings.SEARCH_LEARN_MAX_LENGTH
        and analytics.EMAIL_PLACEHOLDER not in query.text
        and analytics.NUMBER_PLACEHOLDER not in query.text
    )


def _article_id(page_id) -> int | None:
    """`page_id` if it is a live article of the help search's article source, else None."""
    label = _article_label()
    if label is None or page_id is None:
        return None
    model = apps.get_model(label)
    try:
        return model.objects.live().filter(pk=int(page_id)).values_list("pk", flat=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


def record(query: Query | None, page_id, searcher: analytics.Searcher | None, kind: str) -> None:
    """Count `searcher` as one more visitor for whom `query` led to article `page_id`."""
    if searcher is None or not _learnable(query):
        return
    article_id = _article_id(page_id)
    if article_id is None:
        return
    now = timezone.now()
    phrasing, _created = LearnedPhrasing.objects.get_or_create(
        query=query, page_id=article_id, defaults={"last_seen_at": now}
    )
    try:
        with transaction.atomic():
            PhrasingVisitor.objects.create(
                phrasing=phrasing, visitor=searcher.visitor, kind=kind, seen_at=now
            )
    except IntegrityError:  # this visitor counted already: only the date moves
        PhrasingVisitor.objects.filter(phrasing=phrasing, visitor=searcher.visitor).update(
            seen_at=now
        )
    recent = phrasing.evidence.filter(seen_at__gte=_since()).count()
    LearnedPhrasing.objects.filter(pk=phrasing.pk).update(visitors=recent, last_seen_at=now)


def record_click(request: HttpRequest, text: str, locale: str, page_id) -> None:
    """A customer clicked article `page_id` among the results of `text`."""
    searcher = analytics.searcher_of(request)
    if searcher is not None:
        record(analytics.find_query(text, locale), page_id, searcher,
               PhrasingVisitor.Kind.CLICK)


def record_after_search(request: HttpRequest, page_id, locale: str, kind: str) -> None:
    """A customer found article `page_id` helpful, or it answered them on the contact form:
    evidence for their last search in `locale` within HELPCENTER_SEARCH_LEARN_WINDOW_MINUTES."""
    searcher = analytics.searcher_of(request)
    if searcher is None:
        return
    since = timezone.now() - dt.timedelta(minutes=app_settings.SEARCH_LEARN_WINDOW_MINUTES)
    last = (
        QueryVisitor.objects.filter(
            visitor=searcher.visitor, last_searched_at__gte=since, query__locale=locale
        )
        .select_related("query")
        .order_by("-last_searched_at", "-pk")
        .first()
    )
    if last is not None:
        record(last.query, page_id, searcher, kind)


# -- what editors review and what the index searches --------------------------------------------


def listed():
    """Phrasings editors see: enough recent visitors, or already decided, and not faded."""
    return LearnedPhrasing.objects.filter(last_seen_at__gte=_since()).filter(
        Q(visitors__gte=app_settings.SEARCH_LEARN_MIN_VISITORS)
        | ~Q(status=PhrasingStatus.SUGGESTED)
    ).select_related("query", "page")


def approved_for(page_id: int) -> list[str]:
    """The approved phrasings of an article that have not faded, most asked first."""
    return list(
        LearnedPhrasing.objects.filter(
            page_id=page_id, status=PhrasingStatus.APPROVED, last_seen_at__gte=_since()
        )
        .order_by("-visitors", "query__text")
        .values_list("query__text", flat=True)
    )


def candidates_for(page_id: int, known: str = "", limit: int = 8) -> list[dict]:
    """Searches that led customers to an article, as the article editor proposes them for its
    example questions: clicked in the results within HELPCENTER_SEARCH_LEARN_DAYS, or learned
    phrasings, most clicks and visitors first; the lines of `known` (the example questions it
    has), rejected phrasings, long texts and texts with masked personal data are left out.
    Each: {"text", "clicks", "visitors"}."""
    found: dict[str, dict] = {}
    clicked = (
        QueryClick.objects.filter(page_id=page_id, date__gte=_since().date())
        .values("query__text")
        .annotate(clicks=Sum("clicks"))
        .order_by("-clicks")[:50]
    )
    for row in clicked:
        found[row["query__text"]] = {"text": row["query__text"], "clicks": row["clicks"],
                                     "visitors": 0}
    phrasings = LearnedPhrasing.objects.filter(page_id=page_id, last_seen_at__gte=_since())
    rejected = set(
        phrasings.filter(status=PhrasingStatus.REJECTED).values_list("query__text", flat=True)
    )
    for text, visitors in phrasings.values_list("query__text", "visitors")[:50]:
        found.setdefault(text, {"text": text, "clicks": 0, "visitors": 0})["visitors"] = visitors
    have = {line.strip().casefold() for line in known.splitlines() if line.strip()}
    kept = [
        row for text, row in found.items()
        if text not in rejected and text.casefold() not in have
        and len(text) <= app_settings.SEARCH_LEARN_MAX_LENGTH
        and analytics.EMAIL_PLACEHOLDER not in text and analytics.NUMBER_PLACEHOLDER not in text
    ]
    kept.sort(key=lambda row: (-row["visitors"], -row["clicks"], row["text"]))
    return kept[:limit]


def reindex_article(page_id: int) -> None:
    label = _article_label()
    if label:
        indexing.enqueue(label, [page_id])


def fade() -> int:
    """Delete phrasings without evidence for HELPCENTER_SEARCH_LEARN_DAYS (their articles are
    re-indexed if they were approved); returns how many were deleted."""
    old = LearnedPhrasing.objects.filter(last_seen_at__lt=_since())
    approved = set(old.filter(status=PhrasingStatus.APPROVED).values_list("page_id", flat=True))
    deleted = old.delete()[1].get(LearnedPhrasing._meta.label, 0)
    for page_id in approved:
        reindex_article(page_id)
    PhrasingVisitor.objects.filter(seen_at__lt=_since()).delete()
    return deleted
