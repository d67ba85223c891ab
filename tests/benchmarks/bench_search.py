"""Indexing throughput and latency of search, autocomplete and suggest at 1k and 10k articles,
side by side with stock haystack + Whoosh (`auto_query`) on the same documents.

Run: `make bench` (or `python -m tests.benchmarks.bench_search [SIZES...]`). It builds a
throwaway test database and index folders and prints p50/p95 in milliseconds.
"""

import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")
REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "example_site" / "demo_content"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(function, inputs):
    times = []
    for value in inputs:
        start = time.perf_counter()
        function(value)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def demo_texts():
    """Sentences, titles and keywords of the English demo articles: realistic help text."""
    titles, sentences, keywords = [], [], []
    for line in (DEMO / "articles.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["locale"] != "en":
            continue
        titles.append(record["title"])
        keywords.extend(record["keywords"])
        for block in record["body"]:
            text = json.dumps(block["value"])
            sentences.extend(s.strip() for s in text.replace("<", " <").split(". ") if len(s) > 30)
    return titles, sentences, keywords


def make_articles(count, seed=7):
    from faq.models import ArticlePage

    titles, sentences, keywords = demo_texts()
    rng = random.Random(seed)
    articles = []
    for number in range(1, count + 1):
        title = f"{rng.choice(titles)} ({rng.choice(keywords)} {number})"
        body = ". ".join(rng.sample(sentences, 6))
        article = ArticlePage(
            pk=number,
            id=number,
            title=title,
            short_answer=rng.choice(sentences)[:300],
            keywords=", ".join(rng.sample(keywords, 3)),
            body=[{"type": "rich_text", "value": f"<p>{body}</p>"}],
        )
        articles.append(article)
    return articles


def bench_index_class():
    from faq.search_indexes import ArticleIndex

    class BenchIndex(ArticleIndex):
        """Prepares unsaved pages without touching the database."""

        def prepare_locale(self, obj):
            return "en"

        def prepare_url(self, obj):
            return f"/en/bench/{obj.pk}/"

        def prepare(self, obj):
            data = super(ArticleIndex, self).prepare(obj)
            data["category"] = "Bench"
            data["category_id"] = 1 + obj.pk % 7
            return data

    return BenchIndex()


def main(argv):
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from haystack import connections
    from haystack.query import SearchQuerySet

    from faq.models import ArticlePage
    from search import service, suggestions

    sizes = [int(size) for size in argv] or [1_000, 10_000]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    folder = Path(tempfile.mkdtemp(prefix="helpcenter-bench-"))
    queries = [
        json.loads(line)["query"]
        for line in (DEMO / "dev-queries.jsonl").open()
        if '"locale": "en"' in line
    ]
    prefixes = [q[: max(3, len(q) // 2)] for q in queries]
    messages = [
        f"Hello, {q}. I ordered last week and need help quickly, thank you!" for q in queries
    ]
    try:
        print(f"{'':32s}{'ours':>22s}{'stock haystack':>24s}")
        for size in sizes:
            articles = make_articles(size)
            index = bench_index_class()
            figures = {}
            for alias, engine in (
                ("default", "search.backends.whoosh.HelpWhooshEngine"),
                ("stock", "haystack.backends.whoosh_backend.WhooshEngine"),
            ):
                connections.connections_info[alias] = {
                    "ENGINE": engine,
                    "PATH": str(folder / f"{alias}-{size}"),
                }
                connections[alias].reset_sessions()
                backend = connections[alias].get_backend()
                start = time.perf_counter()
                for offset in range(0, size, 1000):
                    backend.update(index, articles[offset : offset + 1000])
                figures[alias] = {"index": size / (time.perf_counter() - start)}

            def ours_search(text):
                return [r.highlight for r in service.search(text, "en").results[:10]]

            def stock_search(text):
                return list(SearchQuerySet(using="stock").models(ArticlePage).auto_query(text)[:10])

            ours_search(queries[0])
            figures["default"]["search"] = timed(ours_search, queries)
            figures["default"]["autocomplete"] = timed(
                lambda t: service.autocomplete(t, "en"), prefixes
            )
            figures["default"]["suggest"] = timed(lambda t: suggestions.suggest(t, "en"), messages)
            figures["stock"]["search"] = timed(stock_search, queries)
            print(f"{size} articles")
            print(
                f"  indexing (documents/s)      {figures['default']['index']:>18.0f}"
                f"{figures['stock']['index']:>24.0f}"
            )
            for name in ("search", "autocomplete", "suggest"):
                p50, p95 = figures["default"][name]
                line = f"  {name:14s} p50 / p95 ms  {p50:8.1f} / {p95:6.1f}"
                if name == "search":
                    s50, s95 = figures["stock"]["search"]
                    line += f"{s50:14.1f} / {s95:6.1f}   ratio p50 {s50 / p50:.1f}x"
                print(line)
    finally:
        connections["default"].reset_sessions()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
