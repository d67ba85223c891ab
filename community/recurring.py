"""Recurring questions: clusters of similar forum threads that an article should answer.

Threads are compared by meaning (the cosine of the passage vectors the search's index writer
stored for them) or, when the semantic search is off or a thread has no vector yet, by their
words (rapidfuzz's token set ratio over the search's normalised tokens without stop words). A
thread joins the first cluster whose first (newest) thread is similar enough; clusters of two or
more are reported with whether an existing article already answers them (the suggest confidence
of the best article for the cluster's question).

Bounded on big forums: only the newest `RECURRING_MAX_THREADS` open questions of the last
`RECURRING_DAYS` days are compared (n² similarities of at most that many), at most
`RECURRING_MAX_CLUSTERS` clusters ask the search for an article, nothing is encoded here, and
the finished report is cached for `RECURRING_CACHE_SECONDS` (thread actions forget it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .conf import app_settings
from .markup import plain_text
from .models import Post, Thread

CACHE_KEY = "community:recurring:{language}:{version}"
VERSION_KEY = "community:recurring:version"
THREAD_LABEL = "community.thread"
PASSAGE_LENGTH = 300


@dataclass
class Cluster:
    threads: list[Thread]
    similarity: str  # "semantic" or "lexical"
    article_id: int | None = None
    article_title: str = ""
    confidence: float | None = None
    key: str = field(init=False)

    def __post_init__(self):
        self.key = "-".join(str(thread.pk) for thread in self.threads)

    @property
    def lead(self) -> Thread:
        return self.threads[0]

    @property
    def count(self) -> int:
        return len(self.threads)

    @property
    def newest(self) -> dt.datetime:
        return max(thread.created_at for thread in self.threads)

    @property
    def solved_count(self) -> int:
        return sum(thread.solved for thread in self.threads)

    @property
    def best_solved(self) -> Thread | None:
        """The solved thread to promote: the one with the most helpful votes."""
        solved = [thread for thread in self.threads if thread.solved]
        return max(solved, key=lambda thread: (thread.vote_count, -thread.pk)) if solved else None


def candidates(language: str) -> list[Thread]:
    """Open questions of one language the report may group (newest first, bounded)."""
    since = timezone.now() - dt.timedelta(days=app_settings.RECURRING_DAYS)
    question = Post.objects.filter(thread=OuterRef("pk"), is_question=True).values("source")[:1]
    return list(
        Thread.objects.visible().in_language(language)
        .filter(kind=Thread.Kind.QUESTION, created_at__gte=since, left_out_of_reports=False,
                duplicate_of__isnull=True, duplicate_of_article__isnull=True)
        .exclude(article_links__isnull=False)
        .annotate(question=Subquery(question))
        .select_related("board")
        .order_by("-created_at", "-pk")[: app_settings.RECURRING_MAX_THREADS]
    )


def passage(thread: Thread) -> str:
    return f"{thread.title}. {plain_text(thread.question or '')}"[:PASSAGE_LENGTH]


def indexed_vectors(threads: list[Thread], language: str) -> dict[int, np.ndarray] | None:
    """The passage vectors the search's index writer stored for these threads (no encoding
    here: vectors are only ever computed by the writer); None when semantic search is off."""
    from haystack import connections
    from haystack.utils import get_identifier

    from search import encoders, vectors

    encoder = encoders.get_encoder()
    backend = connections["default"].get_backend()
    if encoder is None or not hasattr(backend, "index_name"):
        return None
    dense = vectors.open_dense(backend.path, backend.index_name(THREAD_LABEL, language))
    if dense is None or dense.model != encoder.name:
        return None
    rows = dict(zip(dense.documents, dense.starts, strict=True))
    found = {}
    for thread in threads:
        row = rows.get(get_identifier(thread))
        if row is not None:
            vector = np.asarray(dense.matrix[row], dtype=np.float32)
            found[thread.pk] = vector / max(float(np.linalg.norm(vector)), 1e-9)
    return found


def similar_pairs(threads: list[Thread], language: str) -> tuple[np.ndarray, str]:
    """Which threads are alike (a boolean matrix) and by what: their meaning where the index
    has vectors for both, their words otherwise."""
    texts = [passage(thread) for thread in threads]
    alike = lexical_similarities(texts, language) >= app_settings.RECURRING_LEXICAL_THRESHOLD
    found = indexed_vectors(threads, language)
    if not found:
        return alike, "lexical"
    rows = [index for index, thread in enumerate(threads) if thread.pk in found]
    matrix = np.array([found[threads[index].pk] for index in rows])
    by_meaning = matrix @ matrix.T >= app_settings.RECURRING_SEMANTIC_THRESHOLD
    alike[np.ix_(rows, rows)] = by_meaning
    return alike, "semantic"


def lexical_similarities(texts: list[str], language: str) -> np.ndarray:
    """Token set ratio (0..1) of the texts' content words."""
    from rapidfuzz import fuzz, process

    from search.text import remove_stopwords, tokenise

    words = [" ".join(sorted(set(remove_stopwords(tokenise(text, language), language))))
             for text in texts]
    return process.cdist(words, words, scorer=fuzz.token_set_ratio, dtype=np.float32) / 100.0


def group(alike: np.ndarray) -> list[list[int]]:
    """Leader clustering: each thread joins the first cluster whose leader it resembles."""
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for index in range(len(alike)):
        leader = next((leader for leader in leaders if alike[leader, index]), None)
        if leader is None:
            leaders.append(index)
            members[index] = [index]
        else:
            members[leader].append(index)
    return [members[leader] for leader in leaders if len(members[leader]) > 1]


def clusters(language: str) -> list[Cluster]:
    """The report's clusters for one language, largest and newest first (cached)."""
    key = CACHE_KEY.format(language=language, version=cache.get(VERSION_KEY, 0))
    found = cache.get(key)
    if found is None:
        found = compute(language)
        cache.set(key, found, app_settings.RECURRING_CACHE_SECONDS)
    return found


def compute(language: str) -> list[Cluster]:
    threads = candidates(language)
    if len(threads) < 2:
        return []
    alike, kind = similar_pairs(threads, language)
    found = [Cluster([threads[i] for i in indexes], kind) for indexes in group(alike)]
    found.sort(key=lambda cluster: (cluster.count, cluster.newest), reverse=True)
    found = found[: app_settings.RECURRING_MAX_CLUSTERS]
    for cluster in found:
        answer_with_article(cluster, language)
    return found


def answer_with_article(cluster: Cluster, language: str) -> None:
    """The best existing article for the cluster's question and the suggest confidence."""
    from django.apps import apps

    if not apps.is_installed("search"):
        return
    from search.suggestions import suggest

    found = suggest(passage(cluster.lead), language, limit=1, sources=["articles"])
    if found:
        cluster.article_id = found[0].result.pk
        cluster.article_title = found[0].result.title
        cluster.confidence = found[0].confidence


def forget() -> None:
    """Thread actions changed what the report shows: compute it again on the next visit."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def find(language: str, key: str) -> Cluster | None:
    return next((cluster for cluster in clusters(language) if cluster.key == key), None)
