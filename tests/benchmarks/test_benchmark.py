"""The benchmark keeps working: its documents are reproducible and a tiny run reports every
backend. No figure is asserted; speed is what the benchmark prints."""

import json
import os
import subprocess
import sys

import pytest

from tests.benchmarks import bench_search, corpus


def test_a_document_depends_only_on_its_number():
    assert corpus.article(42) == corpus.article(42)
    assert corpus.article(42) != corpus.article(43)
    assert corpus.thread(7) == corpus.thread(7)
    assert corpus.thread(7) != corpus.thread(8)
    assert corpus.article(42, seed=8) != corpus.article(42)


def test_queries_mix_questions_prefixes_and_messages():
    queries = corpus.queries(60)
    assert len(queries.search) == 60
    assert len(queries.prefixes) == 120
    assert len(queries.messages) == 60
    assert all(len(prefix) >= 3 for prefix in queries.prefixes)
    assert all(query in queries.search for query in ("cancel order", "order status"))
    assert all(
        any(query.rstrip("?.!") in message for query in queries.search)
        for message in queries.messages
    )


def test_sizes_accept_thousands_and_reject_words(capsys):
    options = bench_search.parse(["--sizes", "10k,1000,1k", "--forum-posts", "2k", "--json"])
    assert options.sizes == [1000, 10_000]
    assert options.forum_posts == 2000
    assert options.as_json
    with pytest.raises(SystemExit) as exit_info:
        bench_search.parse(["--sizes", "many"])
    assert exit_info.value.code == 2
    assert "--sizes takes numbers separated by commas" in capsys.readouterr().err


@pytest.mark.slow
def test_a_tiny_run_reports_all_three_backends():
    completed = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_search", "--sizes", "30,60",
         "--forum-posts", "60", "--queries", "4", "--time-budget", "5", "--json"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert [size["articles"] for size in report["sizes"]] == [30, 60]
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    expected_backend = "PostgresSearchBackend" if on_postgres else "SQLiteSearchBackend"
    assert report["wagtail_backend"] == expected_backend
    assert set(report["forum_indexing_per_second"]) == set(bench_search.BACKENDS)
    assert report["posting_per_second"]["threads"] > 0
    assert report["posting_per_second"]["replies"] > 0
    assert report["thread_page"]["n"] > 0 and report["thread_page"]["errors"] == 0
    for size in report["sizes"]:
        assert size["forum_posts"] == 60
        assert size["composer"]["errors"] == 0 and size["composer"]["n"] > 0
        # Nothing changed: nothing embedded again; a second process loads the stored vectors.
        assert size["second_update_index"]["passages_embedded"] == 0
        other = size["second_process"]
        assert other["passages_embedded"] == 0
        assert other["stored_vector_rows"] > 0 and other["resident_mb"] > 0
        assert size["articles_indexed"] == 30
        assert all(rate > 0 for rate in size["indexing_per_second"].values())
        assert set(size["slowest_batch_seconds"]) == set(bench_search.BACKENDS)
        for operation in bench_search.OPERATIONS:
            figures = size["operations"][operation]
            assert set(figures) == set(bench_search.BACKENDS)
            assert figures["ours"]["errors"] == 0
            assert figures["ours"]["n"] > 0
            assert figures["ours"]["answered"] > 0
            assert "database_fallbacks" not in figures["ours"]
