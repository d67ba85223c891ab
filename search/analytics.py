"""Search analytics: count searches and clicks, forget them after the retention period.

Privacy: customers sometimes type their e-mail address, phone number or order number into a
search box. Before a query is stored, every e-mail address (anything around an "@") becomes
``[email]`` and every run of 7 or more digits, even with spaces, dashes, slashes or brackets
between them, becomes ``[number]``. So "max@example.com 0171 234 5678" is stored as
"[email] [number]". Names and addresses written out as words are not detected.

Queries are stored normalised (``search.text.normalise``: NFKC, casefolded, German umlaut
folding, whitespace collapsed, at most 200 characters), so "Rückgabe" and "RUECKGABE " count as
one query. The most frequent spelling as typed (masked, not folded) is kept beside it for the
reports. Counters are raised with ``F()`` in the database, so concurrent searches are never
lost.

People, not requests: a search from the same visitor for the same query within a minute counts
once, and a past query is offered as a completion only after enough distinct visitors from
distinct addresses searched it and someone clicked a result (see ``popular_queries``).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from helpcenter import visitors
from helpcenter.counters import increment

from .conf import app_settings
from .models import (
    LearnedPhrasing,
    PhrasingStatus,
    Query,
    QueryClick,
    QueryDailyHits,
    QuerySource,
    QuerySpelling,
    QueryVisitor,
)
from .text import DEFAULT_MAX_LENGTH, clean, normalise

EMAIL_PLACEHOLDER = "[email]"
NUMBER_PLACEHOLDER = "[number]"
MIN_ERASE_LENGTH = 5
PUBLIC_SOURCES = (QuerySource.HELP, QuerySource.AUTOCOMPLETE, QuerySource.API)
"""Sources whose queries may be offered to other customers as completions."""

_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+")
_NUMBER_RE = re.compile(r"\+?\(?\d(?:[\s\-\u2010-\u2015/()]{0,3}\d){6,}")
_LOCALE_LENGTH = Query._meta.get_field("locale").max_length
_URL_LENGTH = QueryClick._meta.get_field("url").max_length
_TITLE_LENGTH = QueryClick._meta.get_field("title").max_length
_SPACES_RE = re.compile(r"\s+")
REPEAT_WINDOW = dt.timedelta(minutes=1)
"""The same visitor searching the same query again within this time counts once."""


@dataclass(frozen=True)
class Searcher:
    """Who searched, as keyed hashes: the visitor (cookie, else address) and the address."""

    visitor: str
    address: str


def searcher_of(request: HttpRequest) -> Searcher | None:
    """The customer behind `request`, or None for bots, editors and previews (not counted as
    people). A visitor without the visitor cookie is known by the address: dropping the cookie
    does not make one client many people."""
    if not visitors.counts_as_customer(request):
        return None
    address = visitors.client_address(request)
    token = visitors.visitor_token(request)
    return Searcher(
        visitor=visitors.pseudonym(f"visitor:{token}" if token else f"address:{address}"),
        address=visitors.pseudonym(f"address:{address}"),
    )


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses with ``[email]`` and long digit runs with ``[number]``."""
    return _NUMBER_RE.sub(NUMBER_PLACEHOLDER, _EMAIL_RE.sub(EMAIL_PLACEHOLDER, text))


def normalise_query(text: str, locale: str | None = None) -> str:
    """The form a query is stored in: personal data masked, then normalised and capped."""
    # Mask before capping so that an address at the cut is not left half visible.
    cleaned = clean(text[: DEFAULT_MAX_LENGTH * 4 + 16]) if text else ""
    return normalise(mask_personal_data(cleaned), DEFAULT_MAX_LENGTH, locale)


def log_search(
    text: str,
    locale: str,
    result_count: int,
    source: str = QuerySource.HELP,
    searcher: Searcher | None = None,
) -> Query | None:
    """Count one search and its number of results.

    With a ``searcher`` (from ``searcher_of(request)``), a repeat of the same query by the same
    visitor within ``REPEAT_WINDOW`` is not counted again, and the visitor counts towards the
    query's popularity. Returns the stored query, or None if nothing was logged (an empty
    query, or logging is switched off with ``HELPCENTER_SEARCH_LOG_ENABLED``). Raises
    ValueError for an unknown ``source``, a programming error.
    """
    source = _checked_source(source)
    query = _query(text, locale)
    if query is None:
        return None
    if searcher is not None and not _first_in_window(query, searcher):
        return query
    results = max(int(result_count), 0)
    today = timezone.localdate()
    increment(
        QueryDailyHits,
        {"query": query, "date": today, "source": source},
        {"hits": 1, "results": results, "zero_result_hits": int(results == 0)},
    )
    increment(
        QuerySpelling,
        {"query": query, "text": spelling(text)},
        {"searches": 1},
        snapshot={"last_searched": today},
    )
    return query


def spelling(text: str) -> str:
    """A query as typed, for display: personal data masked, whitespace collapsed, capped."""
    cleaned = clean(text[: DEFAULT_MAX_LENGTH * 4 + 16]) if text else ""
    return _SPACES_RE.sub(" ", mask_personal_data(cleaned)).strip()[:DEFAULT_MAX_LENGTH]


def _first_in_window(query: Query, searcher: Searcher) -> bool:
    """Record the searcher's visit; False if they searched this query within the window."""
    now = timezone.now()
    mine = QueryVisitor.objects.filter(query=query, visitor=searcher.visitor)
    if mine.filter(last_searched_at__lte=now - REPEAT_WINDOW).update(
        last_searched_at=now, address=searcher.address
    ):
        return True
    try:
        with transaction.atomic():
            QueryVisitor.objects.create(
                query=query, visitor=searcher.visitor, address=searcher.address,
                last_searched_at=now,
            )
    except IntegrityError:  # searched within the window (or a concurrent first search)
        return False
    return True


def log_click(
    text: str,
    locale: str,
    page_id: int | None,
    url: str,
    title: str,
    source: str = QuerySource.HELP,
) -> None:
    """Count one click on a result of a search.

    ``page_id`` may be None for results that are no pages; an id of a page that does not exist
    is treated as None. An empty ``title`` is taken from the page. Take ``url`` and ``title``
    from the result itself rather than from the request where you can.
    """
    source = _checked_source(source)
    query = _query(text, locale)
    if query is None:
        return
    today = timezone.localdate()
    increment(QueryDailyHits, {"query": query, "date": today, "source": source}, {"clicks": 1})
    url = clean(url or "", _URL_LENGTH)
    if not url:
        return
    page_id, page_title = _page_snapshot(page_id)
    title = clean(title or page_title, _TITLE_LENGTH)
    increment(
        QueryClick,
        {"query": query, "date": today, "source": source, "url": url},
        {"clicks": 1},
        snapshot={"page_id": page_id, "title": title},
    )


def popular_queries(prefix: str, locale: str, limit: int = 3) -> list[str]:
    """Past queries that start with what the customer is typing, most searched first.

    Only queries that many people typed and that helped are offered to others: in the last
    ``HELPCENTER_SEARCH_POPULAR_QUERIES_DAYS`` days, searched by at least
    ``HELPCENTER_SEARCH_POPULAR_QUERIES_MIN_VISITORS`` distinct visitors from as many distinct
    addresses, from the search box or the API (not whole contact or forum messages), with
    results and at least one click on a result; not hidden by an editor, and without masked
    personal data. One client repeating a text, with or without cookies, is one visitor.
    """
    prefix = normalise_query(prefix or "", locale)
    if len(prefix) < 2 or limit < 1:
        return []
    days = app_settings.SEARCH_POPULAR_QUERIES_DAYS
    since = timezone.localdate() - dt.timedelta(days=days)
    since_time = timezone.now() - dt.timedelta(days=days)
    minimum = app_settings.SEARCH_POPULAR_QUERIES_MIN_VISITORS
    queries = (
        Query.objects.filter(
            locale=locale,
            hidden=False,
            text__startswith=prefix,
            daily_hits__date__gte=since,
            daily_hits__source__in=PUBLIC_SOURCES,
        )
        .exclude(text=prefix)
        # A learned phrasing waits for an editor before customers are offered it.
        .exclude(Exists(
            LearnedPhrasing.objects.filter(query=OuterRef("pk")).exclude(
                status=PhrasingStatus.APPROVED
            )
        ))
        .exclude(text__contains=EMAIL_PLACEHOLDER)
        .exclude(text__contains=NUMBER_PLACEHOLDER)
        .annotate(
            searches=Sum("daily_hits__hits"),
            empty=Sum("daily_hits__zero_result_hits"),
            clicked=Sum("daily_hits__clicks"),
        )
        .filter(searches__gt=F("empty"), clicked__gt=0)
        .annotate(
            people=_distinct_searchers("visitor", since_time),
            addresses=_distinct_searchers("address", since_time),
        )
        .filter(people__gte=minimum, addresses__gte=minimum)
        .order_by("-people", "-searches", "text")
    )
    return list(queries.values_list("text", flat=True)[:limit])


def _distinct_searchers(field: str, since: dt.datetime) -> Coalesce:
    recent = (
        QueryVisitor.objects.filter(query=OuterRef("pk"), last_searched_at__gte=since)
        .order_by()
        .values("query")
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(recent, output_field=IntegerField()), 0)


def garbage_collect(days: int) -> int:
    """Delete daily searches and clicks older than ``days`` days, and queries left without any.

    Returns the number of rows deleted.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    cutoff_time = dt.datetime.combine(cutoff, dt.time.min, tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        daily, _ = QueryDailyHits.objects.filter(date__lt=cutoff).delete()
        clicks, _ = QueryClick.objects.filter(date__lt=cutoff).delete()
        spellings, _ = QuerySpelling.objects.filter(last_searched__lt=cutoff).delete()
        searchers, _ = QueryVisitor.objects.filter(last_searched_at__lt=cutoff_time).delete()
        # A query created since the cutoff may be waiting for its first daily row.
        unused = Query.objects.filter(created_at__lt=cutoff_time).exclude(
            Exists(QueryDailyHits.objects.filter(query=OuterRef("pk")))
            | Exists(QueryClick.objects.filter(query=OuterRef("pk")))
        )
        _, deleted = unused.delete()
    return daily + clicks + spellings + searchers + deleted.get(Query._meta.label, 0)


def erase_matching(text: str) -> int:
    """Delete every logged query that contains ``text``, with its counts (right to erasure).

    ``text`` is typically an e-mail address. Queries are stored with addresses masked, so this
    normally finds nothing; it covers rows stored before masking or by other means. Returns the
    number of queries deleted. Raises ValueError if ``text`` is too short to identify anyone.
    """
    needles = {normalise(text, None), normalise(text, None, locale="de")}
    if min(len(needle) for needle in needles) < MIN_ERASE_LENGTH:
        raise ValueError(f"Give at least {MIN_ERASE_LENGTH} characters to erase.")
    matching = Q()
    for needle in needles:
        matching |= Q(text__contains=needle)
    _, deleted = Query.objects.filter(matching).delete()
    return deleted.get(Query._meta.label, 0)


def erase_person(person) -> dict[str, int]:
    """The logged queries that contain the person's address, name or other texts they gave
    (for ``helpcenter.erasure``)."""
    deleted = 0
    for needle in person.needles():
        try:
            deleted += erase_matching(needle)
        except ValueError:  # shorter than MIN_ERASE_LENGTH once normalised
            continue
    return {"search-log queries": deleted}


def forget_source(source: str, before: dt.datetime) -> int:
    """Delete the daily searches and clicks from ``source`` dated before ``before``, and the
    queries left without any: for sources that log personal text (whole contact messages),
    kept as long as the messages themselves. Returns the number of queries deleted."""
    source = _checked_source(source)
    cutoff = timezone.localdate(before)
    with transaction.atomic():
        daily = QueryDailyHits.objects.filter(source=source, date__lt=cutoff)
        clicks = QueryClick.objects.filter(source=source, date__lt=cutoff)
        touched = set(daily.values_list("query_id", flat=True))
        touched |= set(clicks.values_list("query_id", flat=True))
        daily.delete()
        clicks.delete()
        unused = Query.objects.filter(pk__in=touched).exclude(
            Exists(QueryDailyHits.objects.filter(query=OuterRef("pk")))
            | Exists(QueryClick.objects.filter(query=OuterRef("pk")))
        )
        _, deleted = unused.delete()  # the total would count their spellings and visitors too
    return deleted.get(Query._meta.label, 0)


def _checked_source(source: str) -> str:
    if source not in QuerySource.values:
        raise ValueError(f"Unknown search source {source!r}; use one of {QuerySource.values}.")
    return str(source)


def find_query(text: str, locale: str) -> Query | None:
    """The stored query of `text` (as `log_search` normalises it), or None."""
    locale = clean(locale or "", _LOCALE_LENGTH).strip()
    query_text = normalise_query(text or "", locale)
    if not query_text:
        return None
    return Query.objects.filter(text=query_text, locale=locale).first()


def _query(text: str, locale: str) -> Query | None:
    if not app_settings.SEARCH_LOG_ENABLED:
        return None
    locale = clean(locale or "", _LOCALE_LENGTH).strip()
    query_text = normalise_query(text or "", locale)
    if not query_text:
        return None
    return Query.objects.get_or_create(text=query_text, locale=locale)[0]


def _page_snapshot(page_id) -> tuple[int | None, str]:
    """The id and title of the page, or (None, "") if there is no such page."""
    if page_id is None:
        return None, ""
    page_model = QueryClick._meta.get_field("page").related_model
    try:
        page_id = int(page_id)
        title = page_model.objects.filter(pk=page_id).values_list("title", flat=True).first()
    except (TypeError, ValueError, OverflowError):
        return None, ""
    return (None, "") if title is None else (page_id, title)
