"""Indexing throughput and p50/p95 latency of autocomplete, search and suggest at 1k / 10k / 100k
articles with a forum beside them, side by side with stock haystack + Whoosh and Wagtail's
database search backend on the same documents in the same run.

Run `make bench` or `python -m tests.benchmarks --sizes 1000,10000,100000 --forum-posts 100000`;
docs/development.md ("Benchmarks") explains what is measured. Everything happens in a throwaway
test database and temporary index folders, which are removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks import corpus

SETTINGS = "tests.benchmarks.settings"

BACKENDS = ("ours", "stock", "wagtail")
TITLES = {"ours": "ours", "stock": "stock haystack", "wagtail": "Wagtail database"}
OPERATIONS = ("autocomplete", "search", "suggest")
TARGET_P95_MS = {"autocomplete": 10.0, "search": 50.0, "suggest": 80.0}
TARGET_SCENARIO = (10_000, 100_000)
BATCH = 1000
WARM_UP = 10
WARM_UP_SECONDS = 2.0
QUERY_LIMIT = 3.0
LANGUAGE = "en"

WHAT = """\
What is measured (one process, English only; the figures are wall-clock time):
- Documents: articles are real Wagtail ArticlePage rows under one category (bulk-inserted into
  the page and article tables, with ArticleStats views for popularity). The forum is the
  community app's: 200 members start threads, reply and accept answers through
  community.posting (the service layer its views call) until the forum holds --forum-posts
  posts (a thread has 8 posts on average); the help search finds the threads through the
  community's own search source and ThreadIndex (title, question, accepted answer). Texts are
  recombined demo articles and StackFAQ posts (tests/benchmarks/corpus.py).
- Semantic search is on when the model (the `semantic` extra) is installed: ours embeds each
  new passage while indexing (counted in its indexing rate); vectors are kept in an embedding
  cache outside the run (var/bench-embeddings, HELPCENTER_BENCH_EMBEDDINGS), so a re-run embeds
  only texts it has not seen.
- Indexing: documents per second of each backend's own bulk call on the same in-memory objects,
  batches of 1000 (threads: by id) with one commit each, adding to what the previous size
  indexed; ours then
  merges its index into one segment, as our update_index does after a bulk run (counted). ours:
  HelpWhooshSearchBackend.update(); stock haystack: WhooshSearchBackend.update() on haystack's
  schema plus an EdgeNgramField title for autocomplete; Wagtail: backend.add_bulk(). Making the
  objects and inserting their rows is not counted. "slowest batch": the longest single call
  (a Whoosh commit that merges segments can take much longer than the rest).
- ours: search.service.search / search.suggestions.suggest(limit=3) over articles and threads,
  autocomplete(limit=6) over articles (the forum offers no completions), building the JSON the
  API returns (highlights included); no HTTP, rate limit or search logging. The demo synonyms
  are loaded. The composer's suggestions: community.composer.suggestions_for on the suggest
  messages (their first 8 words as the title).
- After the last size: update_index again with nothing changed (time, passages embedded); a
  second process (tests/benchmarks/second_process.py) on the same index and database: passages
  it embeds, vectors it loads, its resident memory with the model; thread pages through the
  test client (the whole Django stack), the 100 threads with the most replies.
- stock haystack: SearchQuerySet over both models: auto_query(q)[:10] (haystack's default AND),
  autocomplete(title_auto=prefix)[:6] on articles, suggest = auto_query(message)[:3].
- Wagtail database backend (SQLite: FTS5 + bm25): backend.search(q, ArticlePage.objects.live())
  and the same on the threads (a proxy of Thread with Wagtail's search_fields, the same
  text), [:10] each, default operator (AND); autocomplete(prefix)[:6] on
  articles; suggest = search(message, operator="or")[:3] each (AND over a whole message finds
  nothing).
  SQLite's statistics are refreshed (ANALYZE) after indexing: without them SQLite runs the FTS
  match once per index entry and is several times slower. A query still running after 3 s is
  aborted; such figures are shown as ">3000".
- Latency: p50/p95 in ms over every input after a warm-up on up to 10 other inputs (2 s at
  most); a backend stops early once it has spent --time-budget seconds on one operation (the
  notes say how many inputs it got through); "ans" = share of inputs with at least one result;
  "x" = their p95 / our p95, for indexing our rate / theirs (above 1: ours is faster).
"""


@dataclass
class Options:
    sizes: list[int]
    forum_posts: int = 10_000
    queries: int = 200
    time_budget: float = 8.0
    backends: tuple[str, ...] = BACKENDS
    as_json: bool = False


@dataclass
class Measurement:
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    answered: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: int = 0
    aborted: int = 0
    events: dict[str, int] = field(default_factory=dict)

    def figures(self) -> dict:
        n = len(self.times_ms)
        return {
            "p50_ms": percentile(self.times_ms, 0.50),
            "p95_ms": percentile(self.times_ms, 0.95),
            "max_ms": max(self.times_ms, default=None),
            "cpu_p50_ms": percentile(self.cpu_ms, 0.50),
            "cpu_p95_ms": percentile(self.cpu_ms, 0.95),
            "n": n,
            "answered": self.answered / n if n else None,
            "errors": len(self.errors),
            "first_error": self.errors[0] if self.errors else None,
            "skipped": self.skipped,
            "aborted": self.aborted,
            **self.events,
        }


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Aborted(Exception):
    """A query ran past QUERY_LIMIT and was stopped."""


def with_deadline(run: Callable[[str], int]) -> Callable[[str], int]:
    """`run`, with SQLite queries aborted after QUERY_LIMIT seconds (no effect elsewhere)."""
    from django.db import OperationalError, connection

    def limited(text: str) -> int:
        if connection.vendor != "sqlite":
            return run(text)
        connection.ensure_connection()
        deadline = time.perf_counter() + QUERY_LIMIT
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.perf_counter() > deadline), 100_000)
        try:
            return run(text)
        except OperationalError as error:
            if "interrupted" in str(error):
                raise Aborted from error
            raise
        finally:
            raw.set_progress_handler(None, 0)

    return limited


class SearchEvents(logging.Handler):
    """Counts what our search logs instead of answering normally (time limit, fallback)."""

    KINDS = {"time limit": "timeouts", "answering from the database": "database_fallbacks"}
    LABELS = {
        "timeouts": "stopped at the engine's time limit (partial results)",
        "database_fallbacks": "answered by the database fallback, not the index",
    }

    def __init__(self):
        super().__init__(logging.WARNING)
        self.counts: dict[str, int] = {}

    def emit(self, record):
        message = record.getMessage()
        for needle, kind in self.KINDS.items():
            if needle in message:
                self.counts[kind] = self.counts.get(kind, 0) + 1

    def take(self) -> dict[str, int]:
        counts, self.counts = self.counts, {}
        return counts


def measure(
    run: Callable[[str], int], inputs: list[str], warm_up: list[str], budget: float,
    events: SearchEvents,
) -> Measurement:
    """Time `run` on each input after warming up; stop once `budget` seconds are spent."""
    warm_up_until = time.perf_counter() + WARM_UP_SECONDS
    for text in warm_up:
        if time.perf_counter() > warm_up_until:
            break
        try:
            run(text)
        except Exception:  # noqa: BLE001, S110 - errors are counted on the timed inputs
            pass
    events.take()
    result = Measurement()
    started = time.perf_counter()
    for position, text in enumerate(inputs):
        if time.perf_counter() - started > budget:
            result.skipped = len(inputs) - position
            break
        cpu, start = time.process_time(), time.perf_counter()
        try:
            found = run(text)
        except Aborted:
            result.times_ms.append((time.perf_counter() - start) * 1000)
            result.cpu_ms.append((time.process_time() - cpu) * 1000)
            result.aborted += 1
            continue
        except Exception as error:  # noqa: BLE001 - a failing input is counted, not timed
            result.errors.append(f"{type(error).__name__}: {error}"[:200])
            continue
        result.times_ms.append((time.perf_counter() - start) * 1000)
        result.cpu_ms.append((time.process_time() - cpu) * 1000)
        result.answered += found > 0
    result.events = events.take()
    return result


# -- the site and its documents ---------------------------------------------------------------


class Site:
    """The throwaway site: one help center (the default site's root) with one category of
    articles and a community forum with one board, its members, threads and replies."""

    MEMBERS = 200

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Locale, Page
        from wagtail.models import Site as WagtailSite

        from community.models import Board, ForumPage, MemberProfile
        from community.trust import TrustLevel
        from faq.models import ArticlePage, CategoryPage
        from helpcenter.models import HelpCenterPage
        from search.synonyms_store import load_synonyms

        self.locale, _created = Locale.objects.get_or_create(language_code=LANGUAGE)
        root = Page.get_first_root_node()
        help_center = root.add_child(
            instance=HelpCenterPage(title="Help", slug="bench-help", locale=self.locale)
        )
        WagtailSite.objects.update_or_create(
            is_default_site=True,
            defaults={"root_page": help_center, "hostname": "localhost", "port": 80},
        )
        self.category = help_center.add_child(
            instance=CategoryPage(title="Bench", slug="bench", locale=self.locale)
        )
        help_center.add_child(
            instance=ForumPage(title="Community", slug="community", locale=self.locale)
        )
        self.board = Board.objects.create(
            name="Frames & fit", slug="frames", locale=self.locale, order=1
        )
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"bench-member-{n}", email=f"member{n}@example.com")
            for n in range(self.MEMBERS)
        )
        self.members = list(get_user_model().objects.filter(pk__in=[u.pk for u in users]))
        # An established community: members whose posts need no first review (community.trust).
        MemberProfile.objects.bulk_create(
            MemberProfile(user=member, display_name=f"Member {n}", trust_level=TrustLevel.MEMBER)
            for n, member in enumerate(self.members)
        )
        self.content_type = ContentType.objects.get_for_model(ArticlePage)
        self.first_pk = Page.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
        self.articles = 0
        self.forum_posts = 0
        self.threads = 0
        self.posting_seconds = {"threads": 0.0, "replies": 0.0}
        self.posted = {"threads": 0, "replies": 0}
        load_synonyms(corpus.DEMO / "synonyms.json")

    def article_pages(self, numbers: Iterable[int]) -> list:
        from django.utils import timezone

        from faq.models import ArticlePage

        now = timezone.now()
        depth = self.category.depth + 1
        pages = []
        for number in numbers:
            text = corpus.article(number)
            pk = self.first_pk + number - 1
            slug = f"article-{number}"
            page = ArticlePage(
                id=pk,
                page_ptr_id=pk,
                title=text.title,
                draft_title=text.title,
                slug=slug,
                path=ArticlePage._get_path(self.category.path, depth, number),
                depth=depth,
                numchild=0,
                url_path=f"{self.category.url_path}{slug}/",
                content_type=self.content_type,
                locale=self.locale,
                live=True,
                first_published_at=now,
                last_published_at=now,
                short_answer=text.short_answer,
                keywords=text.keywords,
                body=[{"type": "rich_text", "value": f"<p>{p}</p>"} for p in text.paragraphs],
            )
            page.bench_views = number * 7919 % 5000
            pages.append(page)
        return pages

    def insert_articles(self, pages: list) -> None:
        """Write the pages' rows with one bulk INSERT per table, as `bulk_create` would.

        `bulk_create` refuses multi-table inheritance, and `add_child` costs tens of ms a page.
        """
        from faq.models import ArticlePage, ArticleStats
        from faq.popularity import view_weight

        for model in [*reversed(ArticlePage._meta.get_parent_list()), ArticlePage]:
            model._base_manager.all()._batched_insert(
                pages, model._meta.local_concrete_fields, batch_size=None
            )
        weight = view_weight()
        ArticleStats.objects.bulk_create(
            ArticleStats(
                page_id=page.pk,
                views=page.bench_views,
                hot_views=page.bench_views * weight,
                helpful_yes=page.bench_views % 17,
                helpful_no=page.bench_views % 5,
            )
            for page in pages
        )
        self.articles += len(pages)
        type(self.category).objects.filter(pk=self.category.pk).update(numchild=self.articles)

    def post_threads(self, posts: int) -> list[int]:
        """Members start threads, reply and accept answers through `community.posting` (the
        service layer the forum's views call) until the forum holds `posts` posts; returns the
        new threads' ids. Starting threads and replying are timed (posting throughput)."""
        from community import posting

        new = []
        while self.forum_posts < posts:
            self.threads += 1
            text = corpus.thread(self.threads)
            author = self.members[self.threads % len(self.members)]
            start = time.perf_counter()
            thread = posting.start_thread(self.board, author, text.title, text.question)
            self.posting_seconds["threads"] += time.perf_counter() - start
            self.posted["threads"] += 1
            self.forum_posts += 1
            new.append(thread.pk)
            accepted = None
            for position, source in enumerate(text.replies):
                if self.forum_posts >= posts:
                    break
                member = self.members[(self.threads + position + 1) % len(self.members)]
                start = time.perf_counter()
                post = posting.reply(thread, member, source)
                self.posting_seconds["replies"] += time.perf_counter() - start
                self.posted["replies"] += 1
                self.forum_posts += 1
                if position == text.accepted:
                    accepted = post
            if accepted is not None:
                posting.accept(accepted, author)
            if self.threads % 1000 == 0:
                progress(f"  forum: {self.forum_posts:,} of {posts:,} posts written")
        return new

    def posting_rates(self) -> dict[str, float]:
        return {
            kind: self.posted[kind] / seconds
            for kind, seconds in self.posting_seconds.items()
            if seconds
        }


# -- the three backends -----------------------------------------------------------------------


def bench_article_index_class():
    from faq.search_indexes import ArticleIndex

    class BenchArticleIndex(ArticleIndex):
        """The shipped article index, minus one parent query per article (the category is
        known); `real_prepare_ms` measures what that query and `url` cost."""

        def __init__(self, category):
            super().__init__()
            self.category = category

        def prepare_url(self, obj):
            return f"/{LANGUAGE}/help/bench/{obj.slug}/"

        def prepare(self, obj):
            data = super(ArticleIndex, self).prepare(obj)
            data["category"] = self.category.title
            data["category_id"] = self.category.pk
            return data

    return BenchArticleIndex


class Backends:
    """Our engine, stock haystack's Whoosh engine and Wagtail's database backend side by side."""

    def __init__(self, folder: Path, site: Site, names: tuple[str, ...]):
        from haystack import connections, indexes
        from haystack.utils.loading import UnifiedIndex
        from wagtail.search.backends import get_search_backend

        from community.search_indexes import ThreadIndex

        article_index = bench_article_index_class()

        class StockArticleIndex(article_index):
            title_auto = indexes.EdgeNgramField(model_attr="title")

        class StockThreadIndex(ThreadIndex):
            title_auto = indexes.EdgeNgramField(model_attr="title")

        self.indexes = {
            "ours": {"articles": article_index(site.category), "forum": ThreadIndex()},
            "stock": {
                "articles": StockArticleIndex(site.category),
                "forum": StockThreadIndex(),
            },
        }
        for alias, engine in (
            ("default", "search.backends.whoosh.HelpWhooshEngine"),
            ("stock", "haystack.backends.whoosh_backend.WhooshEngine"),
        ):
            connections.connections_info[alias] = {"ENGINE": engine, "PATH": str(folder / alias)}
            connections[alias].reset_sessions()
        unified = UnifiedIndex()
        unified.build(indexes=list(self.indexes["stock"].values()))
        connections["stock"]._index = unified
        self.ours = connections["default"].get_backend()
        self.stock = connections["stock"].get_backend()
        self.wagtail = get_search_backend("default")
        self.names = names
        self.seconds = {(name, source): 0.0 for name in names for source in self.indexes["ours"]}
        self.slowest = dict.fromkeys(self.seconds, 0.0)

    def index(self, source: str, model, objects: list, wagtail_objects: list) -> None:
        """Add `objects` to every backend, timing only each backend's own call."""
        for name, call in (
            ("ours", lambda: self.ours.update(self.indexes["ours"][source], objects)),
            ("stock", lambda: self.stock.update(self.indexes["stock"][source], objects)),
            ("wagtail", lambda: self.wagtail.add_bulk(model, wagtail_objects)),
        ):
            if name not in self.names:
                continue
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
            self.seconds[(name, source)] += elapsed
            self.slowest[(name, source)] = max(self.slowest[(name, source)], elapsed)

    def merge(self, source: str, model) -> None:
        """Merge our index into one segment, as `update_index` does after a bulk run; counted
        as indexing time."""
        if "ours" in self.names:
            start = time.perf_counter()
            self.ours.optimize(model._meta.label_lower)
            self.seconds[("ours", source)] += time.perf_counter() - start


def build(site: Site, backends: Backends, source: str, first: int, last: int) -> None:
    """Add articles `first`..`last` (bulk-inserted), or index the threads of that id range
    (already posted), to every backend in batches."""
    from faq.models import ArticlePage
    from tests.benchmarks.forum.models import IndexedThread

    model = ArticlePage if source == "articles" else IndexedThread
    chunk_started, chunk_done = time.perf_counter(), 0
    for start in range(first, last + 1, BATCH):
        numbers = range(start, min(last, start + BATCH - 1) + 1)
        if source == "articles":
            objects = site.article_pages(numbers)
            site.insert_articles(objects)
            wagtail_objects = objects
        else:
            index = backends.indexes["ours"]["forum"]
            objects = list(index.index_queryset().filter(pk__in=numbers).order_by("pk"))
            wagtail_objects = list(
                IndexedThread.objects.visible().filter(pk__in=numbers).order_by("pk")
            )
        backends.index(source, model, objects, wagtail_objects)
        chunk_done += len(numbers)
        if chunk_done == 5 * BATCH or numbers[-1] == last:
            rate = chunk_done / (time.perf_counter() - chunk_started)
            progress(
                f"  {source} {numbers[-1]:,} of {last:,} indexed "
                f"({rate:.0f}/s, at least {(last - numbers[-1]) / rate:.0f} s left)"
            )
            chunk_started, chunk_done = time.perf_counter(), 0
    backends.merge(source, model)
    analyze_database()


def analyze_database() -> None:
    """Refresh the query planner's statistics, as `PRAGMA optimize` does on a maintained site."""
    from django.db import connection

    if connection.vendor in ("sqlite", "postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# -- what each backend is asked ---------------------------------------------------------------


def runners(backends: Backends) -> dict[str, dict[str, Callable[[str], int]]]:
    """Per backend and operation: a function of one input returning how many results it got."""
    from haystack.query import SearchQuerySet

    from community.models import Thread
    from faq.models import ArticlePage
    from search import service, suggestions
    from tests.benchmarks.forum.models import IndexedThread

    def ours_search(text):
        return len([r.as_json() for r in service.search(text, LANGUAGE).results[:10]])

    def ours_autocomplete(text):
        return len([r.as_json() for r in service.autocomplete(text, LANGUAGE, limit=6)])

    def ours_suggest(text):
        return len([s.result.as_json() for s in suggestions.suggest(text, LANGUAGE, limit=3)])

    def stock(*models):
        return SearchQuerySet(using="stock").models(*(models or (ArticlePage, Thread)))

    def wagtail(run, *, articles_only=False):
        def both(text):
            articles = run(backends.wagtail, ArticlePage.objects.live(), text)
            if articles_only:
                return len(articles)
            threads = IndexedThread.objects.visible()
            return len(articles) + len(run(backends.wagtail, threads, text))

        return with_deadline(both)

    return {
        "ours": {"autocomplete": ours_autocomplete, "search": ours_search, "suggest": ours_suggest},
        "stock": {
            "autocomplete": lambda text: len(
                list(stock(ArticlePage).autocomplete(title_auto=text)[:6])
            ),
            "search": lambda text: len(list(stock().auto_query(text)[:10])),
            "suggest": lambda text: len(list(stock().auto_query(text)[:3])),
        },
        "wagtail": {
            "autocomplete": wagtail(
                lambda be, qs, text: list(be.autocomplete(text, qs)[:6]), articles_only=True
            ),
            "search": wagtail(lambda be, qs, text: list(be.search(text, qs)[:10])),
            "suggest": wagtail(
                lambda be, qs, text: list(be.search(text, qs, operator="or")[:3])
            ),
        },
    }


def first_search_after_change(text: str) -> float:
    """Ms of our first search after the index changed (reopens searchers, reads vocabulary)."""
    from search import service

    start = time.perf_counter()
    service.search(text, LANGUAGE)
    return (time.perf_counter() - start) * 1000


def real_prepare_ms(sample: int = 200) -> float:
    """Ms per article of the shipped ArticleIndex.full_prepare on rows read from the database."""
    from faq.search_indexes import ArticleIndex

    index = ArticleIndex()
    pages = list(index.index_queryset()[:sample])
    start = time.perf_counter()
    for page in pages:
        index.full_prepare(page)
    return (time.perf_counter() - start) * 1000 / max(1, len(pages))


# -- the run ----------------------------------------------------------------------------------


class EncoderMeter:
    """Counts and times what the model embeds in this process (passages and questions)."""

    def __init__(self):
        from search import encoders

        self.encoder = encoders.get_encoder()
        self.texts = 0
        self.seconds = 0.0
        if self.encoder is not None:
            self.encoder.encode_passages = self._timed(self.encoder.encode_passages)

    def _timed(self, encode):
        def timed(texts):
            start = time.perf_counter()
            try:
                return encode(texts)
            finally:
                self.seconds += time.perf_counter() - start
                self.texts += len(texts)

        return timed

    def figures(self) -> dict:
        return {
            "model": self.encoder.name if self.encoder else None,
            "passages_embedded": self.texts,
            "seconds": self.seconds,
            "per_second": self.texts / self.seconds if self.seconds else None,
        }


def composer_runner() -> Callable[[str], int]:
    """The forum composer's suggestions for a draft: its first words as title, all as text."""
    from community import composer

    def run(text: str) -> int:
        title = " ".join(text.split()[:8])
        return len(composer.suggestions_for(title, text, LANGUAGE))

    return run


def second_update_index(meter: EncoderMeter) -> dict:
    """`update_index` over everything again, with nothing changed: seconds and passages
    embedded (must be none)."""
    from django.core.management import call_command

    before = meter.texts
    start = time.perf_counter()
    call_command("update_index", using=["default"], verbosity=0, no_progress=True)
    return {"seconds": time.perf_counter() - start, "passages_embedded": meter.texts - before}


def second_process(folder: Path) -> dict:
    """A second web process on the same index and database: it loads the stored vectors (and
    embeds no passage), answers searches; its resident memory with the model loaded."""
    environment = {**os.environ, "HELPCENTER_BENCH_SECOND_PROCESS": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.second_process", str(folder / "default")],
        capture_output=True, text=True, env=environment, timeout=900, check=False,
    )
    if completed.returncode:
        return {"error": completed.stderr[-500:]}
    return json.loads(completed.stdout)


def thread_page_times(site: Site, count: int = 100) -> Measurement:
    """Thread pages as a visitor gets them (the test client, the whole Django stack), the
    threads with the most replies first."""
    from django.test import Client

    from community.links import thread_url
    from community.models import Thread

    client = Client(HTTP_HOST="localhost")
    threads = list(
        Thread.objects.visible().select_related("board__locale").order_by("-reply_count", "pk")
        [: count + WARM_UP]
    )
    urls = [thread_url(thread) for thread in threads]

    def fetch(url: str) -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return 1

    warm_up = min(WARM_UP, len(urls) // 2)
    return measure(fetch, urls[warm_up:], urls[:warm_up], 60.0, SearchEvents())


def run(options: Options) -> dict:
    import django

    folder = Path(tempfile.mkdtemp(prefix="helpcenter-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("HELPCENTER_BENCH_DATABASE", str(folder / "bench.sqlite3"))
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from haystack import connections

    from search import registry
    from search.models import IndexOperation

    queries = corpus.queries(options.queries + WARM_UP)
    inputs = {
        "autocomplete": queries.prefixes,
        "search": queries.search,
        "suggest": queries.messages,
    }
    events = SearchEvents()
    search_logger = logging.getLogger("search")
    search_logger.addHandler(events)
    search_logger.propagate = False
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    wall, cpu = time.perf_counter(), time.process_time()
    report = {
        "what": WHAT,
        "forum_posts": options.forum_posts,
        "inputs": {name: len(values) - WARM_UP for name, values in inputs.items()},
        "targets_p95_ms": TARGET_P95_MS,
        "target_scenario": {"articles": TARGET_SCENARIO[0], "forum_posts": TARGET_SCENARIO[1]},
        "sizes": [],
    }
    try:
        meter = EncoderMeter()
        site = Site()
        names = options.backends
        report["backends"] = list(names)
        backends = Backends(folder, site, names)
        report["wagtail_backend"] = type(backends.wagtail).__name__
        if not options.forum_posts:
            # A registered source without an index sends every search to the database fallback.
            registry.unregister("community")
        else:
            progress(f"forum: {options.forum_posts:,} posts through community.posting")
            thread_ids = site.post_threads(options.forum_posts)
            report["posting_per_second"] = site.posting_rates()
            progress(
                "forum: posted "
                + ", ".join(f"{rate:,.0f} {kind}/s" for kind, rate in
                            report["posting_per_second"].items())
                + " through community.posting"
            )
            report["forum_threads"] = len(thread_ids)
            # The benchmark indexes the threads itself, timed per backend, not through the queue.
            IndexOperation.objects.all().delete()
            progress(f"forum: {len(thread_ids):,} threads into {', '.join(names)}")
            build(site, backends, "forum", min(thread_ids), max(thread_ids))
            report["forum_indexing_per_second"] = {
                name: len(thread_ids) / backends.seconds[(name, "forum")] for name in names
            }
            report["forum_slowest_batch_seconds"] = {
                name: backends.slowest[(name, "forum")] for name in names
            }
        runs = runners(backends)
        composer = composer_runner()
        for size in options.sizes:
            progress(f"articles {site.articles + 1:,}..{size:,} into {', '.join(names)}")
            before = {name: backends.seconds[(name, "articles")] for name in names}
            backends.slowest.update({(name, "articles"): 0.0 for name in names})
            added = size - site.articles
            build(site, backends, "articles", site.articles + 1, size)
            entry = {
                "articles": size,
                "forum_posts": site.forum_posts,
                "articles_indexed": added,
                "indexing_per_second": {
                    name: added / (backends.seconds[(name, "articles")] - before[name])
                    for name in names
                },
                "slowest_batch_seconds": {
                    name: backends.slowest[(name, "articles")] for name in names
                },
                "first_search_after_change_ms": first_search_after_change(queries.search[-1]),
                "operations": {},
            }
            for operation in OPERATIONS:
                timed, warm_up = inputs[operation][:-WARM_UP], inputs[operation][-WARM_UP:]
                entry["operations"][operation] = {}
                for name in names:
                    progress(f"{size:,} articles: {operation}, {TITLES[name]}")
                    measured = measure(
                        runs[name][operation], timed, warm_up, options.time_budget, events
                    )
                    entry["operations"][operation][name] = measured.figures()
            if options.forum_posts:
                progress(f"{size:,} articles: the composer's suggestions")
                timed, warm_up = inputs["suggest"][:-WARM_UP], inputs["suggest"][-WARM_UP:]
                entry["composer"] = measure(
                    composer, timed, warm_up, options.time_budget, events
                ).figures()
            entry["embedding"] = meter.figures()
            progress(f"{size:,} articles: update_index again, nothing changed")
            entry["second_update_index"] = second_update_index(meter)
            progress(f"{size:,} articles: a second web process")
            entry["second_process"] = second_process(folder)
            if options.forum_posts and "thread_page" not in report:
                progress("thread pages")
                report["thread_page"] = thread_page_times(site).figures()
                if not options.as_json:
                    print_thread_pages(report["thread_page"])
            report["sizes"].append(entry)
            if not options.as_json:
                print_size(entry, report)
        report["real_article_prepare_ms"] = real_prepare_ms()
    finally:
        report["wall_seconds"] = time.perf_counter() - wall
        report["cpu_share"] = (time.process_time() - cpu) / report["wall_seconds"]
        search_logger.removeHandler(events)
        search_logger.propagate = True
        connections["default"].reset_sessions()
        connections["stock"].reset_sessions()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(folder, ignore_errors=True)
    if not options.as_json:
        print_notes(report)
    return report


# -- printing ---------------------------------------------------------------------------------


def _ms(value: float | None, figures: dict | None = None) -> str:
    if value is None:
        return "-"
    if figures and figures["aborted"] and value >= QUERY_LIMIT * 1000:
        return f">{QUERY_LIMIT * 1000:.0f}"
    return f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def _met(p95_ms: float | None, target: float) -> str:
    return "met" if p95_ms is not None and p95_ms < target else "MISSED"


def _ratio(theirs: float | None, ours: float | None) -> str:
    return "-" if not theirs or not ours else f"{theirs / ours:.1f}x"


def _share(figures: dict) -> str:
    return "-" if figures["answered"] is None else f"{figures['answered']:.0%}"


def print_header(report: dict) -> None:
    print(WHAT)
    inputs = ", ".join(f"{count} {name} inputs" for name, count in report["inputs"].items())
    print(f"Wagtail backend class: {report['wagtail_backend']}. {inputs}.")
    if "forum_indexing_per_second" in report:
        rates = report["forum_indexing_per_second"]
        posting = report["posting_per_second"]
        print(
            f"Forum: {report['forum_posts']:,} posts in {report['forum_threads']:,} threads, "
            f"posted through community.posting at {posting.get('threads', 0):,.0f} threads/s "
            f"and {posting.get('replies', 0):,.0f} replies/s; threads indexed at "
            + ", ".join(f"{rates[n]:,.0f}/s ({TITLES[n]})" for n in report["backends"])
            + "; slowest batch of 1000: "
            + ", ".join(
                f"{report['forum_slowest_batch_seconds'][n]:.1f} s ({TITLES[n]})"
                for n in report["backends"]
            )
            + "."
        )
    scenario = report["target_scenario"]
    print(
        f"Targets (p95 of ours) apply at {scenario['articles']:,} articles + "
        f"{scenario['forum_posts']:,} forum posts: "
        + ", ".join(f"{op} < {ms:.0f} ms" for op, ms in report["targets_p95_ms"].items())
        + "."
    )


def print_size(entry: dict, report: dict) -> None:
    if len(report["sizes"]) == 1:
        print_header(report)
    articles, posts = entry["articles"], entry["forum_posts"]
    others = report["backends"][1:]
    scenario = (articles, posts) == TARGET_SCENARIO
    print()
    print(
        f"== {articles:,} articles + {posts:,} forum posts"
        + ("  (the target scenario)" if scenario else "")
        + f"; {entry['articles_indexed']:,} articles indexed in this step"
    )
    header = f"{'':18s}{'ours':>20s}"
    for name in others:
        header += f"{TITLES[name]:>29s}"
    print(header + ("   target p95" if scenario else ""))
    sub = f"{'':18s}{'p50':>7s}{'p95':>7s}{'ans':>6s}"
    for _name in others:
        sub += f"{'p50':>8s}{'p95':>7s}{'ans':>6s}{'x':>8s}"
    print(sub)
    rates = entry["indexing_per_second"]
    line = f"{'indexing, docs/s':18s}{rates['ours']:>20,.0f}"
    for name in others:
        line += f"{rates[name]:>21,.0f}{_ratio(rates['ours'], rates[name]):>8s}"
    print(line)
    slowest = entry["slowest_batch_seconds"]
    line = f"{'slowest batch, s':18s}{slowest['ours']:>20.1f}"
    for name in others:
        line += f"{slowest[name]:>21.1f}{'':8s}"
    print(line)
    notes = []
    for operation in OPERATIONS:
        figures = entry["operations"][operation]
        ours = figures["ours"]
        line = f"{operation + ', ms':18s}{_ms(ours['p50_ms']):>7s}{_ms(ours['p95_ms']):>7s}"
        line += f"{_share(ours):>6s}"
        for name in others:
            theirs = figures[name]
            line += f"{_ms(theirs['p50_ms'], theirs):>8s}{_ms(theirs['p95_ms'], theirs):>7s}"
            line += f"{_share(theirs):>6s}"
            ratio = _ratio(theirs["p95_ms"], ours["p95_ms"])
            at_least = theirs["aborted"] and theirs["p95_ms"] >= QUERY_LIMIT * 1000
            line += f"{'>' + ratio if at_least else ratio:>8s}"
        if scenario:
            target = TARGET_P95_MS[operation]
            line += f"   < {target:.0f} {_met(ours['p95_ms'], target)}"
        print(line)
        for name in report["backends"]:
            f = figures[name]
            said = [f"{f[kind]} {label}" for kind, label in SearchEvents.LABELS.items()
                    if f.get(kind)]
            if f["aborted"]:
                said.append(f"{f['aborted']} aborted after {QUERY_LIMIT:.0f} s")
            if f["errors"]:
                said.append(f"{f['errors']} errors, first: {f['first_error']}")
            if f["skipped"]:
                said.append(f"measured {f['n']}, {f['skipped']} left out (time budget)")
            if said:
                notes.append(f"{operation}, {TITLES[name]}: {'; '.join(said)}")
    for note in notes:
        print(f"  - {note}")
    print("  - CPU time of this process per call, p50/p95 ms (less sensitive to other load):")
    for operation in OPERATIONS:
        figures = entry["operations"][operation]
        print(
            f"      {operation:13s}"
            + "   ".join(
                f"{TITLES[name]} {_ms(figures[name]['cpu_p50_ms'])}/"
                f"{_ms(figures[name]['cpu_p95_ms'])}"
                for name in report["backends"]
            )
        )
    print(
        f"  - ours, first search after the index changed: "
        f"{entry['first_search_after_change_ms']:.0f} ms"
    )
    print_semantic(entry)
    if "composer" in entry:
        composer = entry["composer"]
        print(
            f"  - ours, the forum composer's suggestions: p50 {_ms(composer['p50_ms'])} ms, "
            f"p95 {_ms(composer['p95_ms'])} ms, {_share(composer)} answered"
            + (f" (< {TARGET_P95_MS['suggest']:.0f} as suggest: "
               f"{_met(composer['p95_ms'], TARGET_P95_MS['suggest'])})"
               if scenario else "")
            + (f", {composer['errors']} errors, first: {composer['first_error']}"
               if composer["errors"] else "")
        )
    sys.stdout.flush()


def print_semantic(entry: dict) -> None:
    embedding = entry.get("embedding")
    if embedding and embedding["model"]:
        rate = embedding["per_second"]
        print(
            f"  - semantic search on ({embedding['model']}): {embedding['passages_embedded']:,} "
            f"passages embedded so far in this run"
            + (f" at {rate:.1f} per second" if rate else " (all found in the embedding cache)")
        )
    elif embedding:
        print("  - semantic search off: the model is not installed (pip install '.[semantic]')")
    again = entry.get("second_update_index")
    if again:
        print(
            f"  - update_index again with nothing changed: {again['seconds']:.1f} s, "
            f"{again['passages_embedded']} passages embedded"
        )
    other = entry.get("second_process")
    if other and "error" in other:
        print(f"  - the second process failed: {other['error']}")
    elif other:
        print(
            f"  - a second process: {other['passages_embedded']} passages embedded, "
            f"{other['stored_vector_rows']:,} stored vector rows loaded; first search "
            f"{other['first_search_ms']:.0f} ms (model loaded on first use), later p50 "
            f"{other['later_searches_p50_ms']:.1f} ms; resident memory "
            f"{other['resident_mb']:.0f} MB with the model "
            f"({other['resident_mb_without_model']:.0f} MB before)"
        )


def print_thread_pages(page: dict) -> None:
    print(
        f"Thread pages (the threads with most replies, {page['n']} pages): p50 "
        f"{_ms(page['p50_ms'])} ms, p95 {_ms(page['p95_ms'])} ms"
        + (f"; {page['errors']} errors, first: {page['first_error']}" if page["errors"] else "")
        + "."
    )


def print_notes(report: dict) -> None:
    print()
    if "real_article_prepare_ms" in report:
        print(
            f"The shipped ArticleIndex.full_prepare on database rows costs "
            f"{report['real_article_prepare_ms']:.1f} ms per article (a parent query and the "
            f"URL); the indexing rates above prepare with the category already known."
        )
    busy = " (other work on the machine inflated the figures)" if report["cpu_share"] < 0.9 else ""
    print(
        f"The run took {report['wall_seconds'] / 60:.1f} min; this process had the CPU for "
        f"{report['cpu_share']:.0%} of it{busy}."
    )


def count(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1000 if text.endswith("k") else 1
    return int(text.removesuffix("k")) * factor


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Benchmark the help search against stock haystack and Wagtail's database "
        "search backend (docs/development.md, 'Benchmarks').",
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated article counts, e.g. 1k,10k,100k (default 1000,10000)",
    )
    parser.add_argument(
        "--forum-posts",
        type=count,
        default=10_000,
        help="forum posts indexed beside the articles (default 10000; the targets are set for "
        "100000; 0 for none)",
    )
    parser.add_argument(
        "--queries",
        type=int,
        default=200,
        help="search queries and messages (twice as many autocomplete prefixes), default 200",
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        default=8.0,
        help="seconds one backend may spend on one operation at one size (default 8)",
    )
    parser.add_argument(
        "--without",
        action="append",
        choices=BACKENDS[1:],
        default=[],
        help="leave a comparison out (stock haystack indexes very slowly beyond 100k documents)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({count(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error(f"--sizes takes numbers separated by commas, not {args.sizes!r}")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive numbers")
    if args.forum_posts < 0 or args.queries < 1 or args.time_budget <= 0:
        parser.error("--forum-posts must be 0 or more, --queries and --time-budget positive")
    return Options(
        sizes=sizes,
        forum_posts=args.forum_posts,
        queries=args.queries,
        time_budget=args.time_budget,
        backends=tuple(name for name in BACKENDS if name not in args.without),
        as_json=args.json,
    )


def main(argv: list[str]) -> None:
    options = parse(argv)
    report = run(options)
    if options.as_json:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
