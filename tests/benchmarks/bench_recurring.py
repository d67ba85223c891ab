"""How long the recurring questions report takes as the forum grows (prints figures).

`python -m tests.benchmarks.bench_recurring [threads ...]` creates that many question threads
(benchmark corpus titles and texts, in a throw-away test database) and times the steps of
`community.recurring.compute`: reading the candidates, comparing them (by words: the threads are
not indexed here; by meaning it is one product of stored vectors, at most 300 × 300) and
grouping, then asking the search for each cluster's article (the database fallback here: no
index). The report only ever compares the newest `HELPCENTER_COMMUNITY_RECURRING_MAX_THREADS`,
so the time stops growing beyond that.
"""

from __future__ import annotations

import os
import sys
import time

from tests.benchmarks import corpus

SETTINGS = "tests.benchmarks.settings"
DEFAULT_SIZES = [100, 1_000, 10_000]


def make_threads(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Locale

    from community.markup import render_markdown
    from community.models import Board, Post, Thread

    locale = Locale.objects.get_or_create(language_code="en")[0]
    board = Board.objects.get_or_create(name="Bench", slug="bench", locale=locale)[0]
    author = get_user_model().objects.get_or_create(username="bench")[0]
    start = Thread.objects.count()
    now = timezone.now()
    texts = [corpus.forum_post(start + n) for n in range(count)]
    threads = Thread.objects.bulk_create(
        Thread(board=board, title=text.title[:200], slug=f"t-{start + n}", author=author,
               created_at=now, last_activity_at=now)
        for n, text in enumerate(texts)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=author, is_question=True, source=text.body,
             html=render_markdown(text.body))
        for thread, text in zip(threads, texts, strict=True)
    )


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def run(sizes: list[int]) -> list[dict]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from community import recurring

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows = []
    try:
        total = 0
        for size in sorted(sizes):
            make_threads(size - total)
            total = size
            row = {"threads": size}
            row["read_s"], threads = timed(lambda: recurring.candidates("en"))
            row["compared"] = len(threads)
            row["group_s"], groups = timed(
                lambda found=threads: recurring.group(recurring.similar_pairs(found, "en")[0]))
            row["clusters"] = len(groups)
            row["total_s"], _found = timed(lambda: recurring.compute("en"))
            rows.append(row)
            print(f"{size:>7,} threads: compared {row['compared']} in "
                  f"{row['read_s'] * 1000:.0f} ms read + {row['group_s'] * 1000:.0f} ms "
                  f"compare and group, {row['clusters']} clusters; whole report with the "
                  f"article lookups {row['total_s']:.2f} s", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return rows


if __name__ == "__main__":
    run([int(size) for size in sys.argv[1:]] or DEFAULT_SIZES)
