"""Running the help search: update_index / rebuild_index, the writer lock they share with the
index queue, and searches that stay bounded in time whatever a customer sends."""

import io
import re
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from haystack import connections
from wagtail.models import PageViewRestriction

from search import indexing, service
from search.backends.scoring import Scorer
from search.backends.whoosh import HelpWhooshSearchBackend
from search.models import IndexOperation
from search.query import MAX_GROUPS
from search.text import MAX_TOKEN_LENGTH
from tests.helpers import run_concurrently

from .test_api import BROWSER

API_PATHS = ["/en/search/api/", "/en/search/api/autocomplete/", "/en/search/api/suggest/"]
MANY_ANSWERS = "how do I return my order, replace the nose pads and track my parcel"


def backend():
    return connections["default"].get_backend()


def indexed_ids(language):
    searcher = backend().open_index("faq.articlepage", language).current_searcher()
    return {int(fields["django_id"]) for fields in searcher.all_stored_fields()}


def live_ids(language):
    from faq.models import ArticlePage

    articles = ArticlePage.objects.live().public().filter(locale__language_code=language)
    return set(articles.values_list("pk", flat=True))


def run(command, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# -- update_index / rebuild_index --------------------------------------------------------------


def test_update_index_reports_progress_per_language(indexed):
    out, _err = run("update_index", verbosity=2, batchsize=3)
    lines = out.splitlines()
    assert lines[:-1] == [
        "Indexed 3/5 help articles (de)",
        "Indexed 5/5 help articles (de)",
        "Indexed 3/4 help articles (en)",
        "Indexed 4/4 help articles (en)",
    ]
    assert re.fullmatch(
        r"Indexed 9 documents in \d+\.\d s \(de 5, en 4\); embedded 0 passages \(18 unchanged\)\.",
        lines[-1],
    )


def segments(language):
    searcher = backend().open_index("faq.articlepage", language).current_searcher()
    return len(searcher.reader().leaf_readers())


def test_a_bulk_run_leaves_each_index_in_one_segment(indexed, monkeypatch):
    from search.management.commands import update_index

    monkeypatch.setattr(update_index, "MERGE_AFTER", 10**6)
    run("update_index", batchsize=2)
    assert segments("en") > 1 and segments("de") > 1
    en_titles = [r.title for r in service.search("nose pads order parcel", "en").results]
    monkeypatch.setattr(update_index, "MERGE_AFTER", 9)  # the fixture has 9 articles
    run("update_index", batchsize=2)
    assert segments("en") == segments("de") == 1
    assert indexed_ids("en") == live_ids("en")
    assert [r.title for r in service.search("nose pads order parcel", "en").results] == en_titles


def test_big_segments_get_postings_files_that_searches_read(
    indexed, monkeypatch, make_article, committed
):
    from search.backends import whoosh
    from search.management.commands import update_index

    en_titles = [r.title for r in service.search("nose pads order parcel", "en").results]
    monkeypatch.setattr(whoosh, "POSTINGS_FILE_MIN_DOCS", 4)  # the English index has 4
    monkeypatch.setattr(update_index, "MERGE_AFTER", 9)  # the fixture has 9 articles
    run("update_index")
    scorer = backend().open_index("faq.articlepage", "en").current_scorer()
    assert [leaf.postings_file is not None for leaf in scorer.leaves] == [True]
    assert [r.title for r in service.search("nose pads order parcel", "en").results] == en_titles
    # A new article lands in a small segment of its own, read from Whoosh beside the file.
    with committed():
        make_article(
            "How do I swap the nose pads on rimless frames?",
            category=indexed["How do I replace the nose pads?"].get_parent(),
        )
    titles = [r.title for r in service.search("swap nose pads rimless", "en").results]
    assert "How do I swap the nose pads on rimless frames?" in titles[:2]
    scorer = backend().open_index("faq.articlepage", "en").current_scorer()
    assert [leaf.postings_file is not None for leaf in scorer.leaves] == [True, False]


def test_update_index_shows_progress_bars_on_a_terminal(indexed):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out, err = Terminal(), Terminal()
    call_command("update_index", stdout=out, stderr=err)
    assert "help articles (de): 100%" in err.getvalue()
    assert "5/5" in err.getvalue() and "4/4" in err.getvalue()
    assert out.getvalue().splitlines()[:2] == [
        "Indexed 5/5 help articles (de)", "Indexed 4/4 help articles (en)",
    ]


def test_rebuild_index_leaves_out_unpublished_and_private_articles(indexed, make_article):
    draft = make_article("A draft about nose pads?", publish=False)
    private = indexed["Where is my parcel?"]
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    out, _err = run("rebuild_index", interactive=False)

    assert indexed_ids("en") == live_ids("en")
    assert private.pk not in indexed_ids("en") and draft.pk not in indexed_ids("en")
    assert indexed_ids("de") == live_ids("de")
    assert re.search(
        r"^Indexed 8 documents in \d+\.\d s \(de 5, en 3\); "
        r"embedded 0 passages \(16 unchanged\)\.$",
        out,
        re.M,
    )


def test_update_index_remove_drops_what_is_no_longer_public(indexed):
    private = indexed["Where is my parcel?"]
    # The restriction's index update waits for a commit this test never makes: the index still
    # has the page, as after a crash between commit and queue run.
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert private.pk in indexed_ids("en")

    out, _err = run("update_index", remove=True)

    assert indexed_ids("en") == live_ids("en")
    assert "Removed 1 stale document of help articles." in out
    assert "removed 1 stale document." in out


def test_rebuild_index_asks_first(indexed, monkeypatch):
    generation = backend().open_index("faq.articlepage", "en").index.latest_generation()
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    out, _err = run("rebuild_index")
    assert out.strip() == "No action taken."
    assert backend().open_index("faq.articlepage", "en").index.latest_generation() == generation


def test_a_bulk_job_waits_for_the_writer_lock(indexed):
    out, err = io.StringIO(), io.StringIO()
    holding, waited = threading.Event(), threading.Event()

    def queue_writer():
        with indexing.writer_lock() as acquired:
            assert acquired
            holding.set()
            for _ in range(3000):  # until the command says it waits, or 30 s
                if "Waiting for the search index writer" in err.getvalue():
                    waited.set()
                    return
                threading.Event().wait(0.01)

    holder = threading.Thread(target=queue_writer)
    holder.start()
    holding.wait()
    call_command("update_index", stdout=out, stderr=err)
    holder.join()
    assert waited.is_set()
    assert "Indexed 9 documents" in out.getvalue()


def test_a_bulk_job_gives_up_when_the_lock_stays_taken(indexed, monkeypatch):
    monkeypatch.setattr(indexing, "BULK_LOCK_WAIT", 0.3)
    holding, release = threading.Event(), threading.Event()

    def queue_writer():
        with indexing.writer_lock():
            holding.set()
            release.wait()

    holder = threading.Thread(target=queue_writer)
    holder.start()
    holding.wait()
    try:
        with pytest.raises(CommandError, match="locked; nothing was changed"):
            run("rebuild_index", interactive=False)
    finally:
        release.set()
        holder.join()
    assert indexed_ids("en") == live_ids("en")


@pytest.mark.django_db(transaction=True)
def test_changes_during_a_rebuild_are_neither_lost_nor_overwritten(
    help_center, make_category, make_article, monkeypatch
):
    """The queue and a rebuild write the same index; the rebuild holds the writer lock.

    While the rebuild holds an article it read as published, an editor unpublishes it and
    publishes a new one. The editor's queue run finds the lock taken and leaves its rows; the
    rebuild writes its older copy, then applies the rows when it is done.
    """
    category = make_category("Sunglasses")
    first = make_article("How do I clean polarised lenses?", category=category)
    make_article("Do you sell clip-on sunglasses?", category=category)
    new_article = {}

    def editor():
        first.unpublish()
        new_article["page"] = make_article("Can I get prescription sunglasses?",
                                           category=category)

    original_update = HelpWhooshSearchBackend.update
    calls, errors, waiting = [], [], []

    def update(self, index, iterable, commit=True):
        calls.append([obj.pk for obj in iterable])
        if len(calls) == 1:  # the first batch is read: now the editor works, in another thread
            errors.extend(run_concurrently(lambda _number: editor(), threads=1))
            waiting.append(IndexOperation.objects.count())
        return original_update(self, index, iterable, commit)

    monkeypatch.setattr(HelpWhooshSearchBackend, "update", update)
    run("rebuild_index", interactive=False, batchsize=1)

    assert calls[0] == [first.pk]
    assert errors == []
    assert waiting == [2]  # the editor's queue run left its rows to the rebuild
    assert indexed_ids("en") == live_ids("en")
    assert first.pk not in indexed_ids("en")
    assert new_article["page"].pk in indexed_ids("en")
    assert not IndexOperation.objects.exists()


# -- bounded time ------------------------------------------------------------------------------


@pytest.fixture
def browser_client():
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def index_searches(monkeypatch):
    """Every search as it reaches the index: (clauses, seconds left until its deadline)."""
    seen = []
    original = Scorer.score

    def score(self, clauses, *, deadline, **kwargs):
        seen.append((clauses, deadline - time.monotonic()))
        return original(self, clauses, deadline=deadline, **kwargs)

    monkeypatch.setattr(Scorer, "score", score)
    return seen


LONG_TOKENS = [
    "a" * 10_000,
    "ü" * 10_000,  # folds to "ue" per letter: twice as long before the cap
    "nasen" + "pad" * 3_300,
    "x1" * 5_000 + " nose pads",
]


@pytest.mark.parametrize("path", API_PATHS)
def test_long_tokens_are_capped_before_the_index(indexed, browser_client, index_searches, path):
    for text in LONG_TOKENS:
        index_searches.clear()
        response = browser_client.get(path, {"q": text})
        assert response.status_code == 200
        assert index_searches, f"{text[:10]}… reached no search"
        for clauses, seconds_left in index_searches:
            longest = max(len(term) for clause in clauses for term in clause.terms)
            assert longest <= MAX_TOKEN_LENGTH, (path, text[:10], longest)
            assert 0 < seconds_left <= backend().time_limit


@pytest.mark.parametrize("path", API_PATHS)
def test_long_messages_are_cut_to_a_few_words(indexed, browser_client, monkeypatch, path):
    plans = []
    original = HelpWhooshSearchBackend.search_plan

    def search_plan(self, plan, *args, **kwargs):
        plans.append(plan)
        return original(self, plan, *args, **kwargs)

    monkeypatch.setattr(HelpWhooshSearchBackend, "search_plan", search_plan)
    message = " ".join(f"{word}{number}" for number in range(400) for word in ("nose", "pad"))
    assert browser_client.get(path, {"q": message}).status_code == 200
    assert plans
    assert all(0 < len(plan.groups) <= MAX_GROUPS for plan in plans)


@pytest.fixture
def time_runs_out(monkeypatch):
    """Each search runs out of time right after its first clause, as if its deadline passed then.

    Deterministic, unlike a tiny TIME_LIMIT: the scorer's own check stops the search.
    """
    original = Scorer.score

    def score(self, clauses, **kwargs):
        checks = iter([False])  # in time for the first clause, out of time from the second on
        monkeypatch.setattr(self, "out_of_time", lambda deadline: next(checks, True))
        return original(self, clauses, **kwargs)

    monkeypatch.setattr(Scorer, "score", score)


@pytest.mark.parametrize("path", API_PATHS)
def test_a_search_out_of_time_answers_with_what_it_has(
    indexed, browser_client, path, request, caplog, words_only
):
    def articles():
        response = browser_client.get(path, {"q": MANY_ANSWERS})
        assert response.status_code == 200
        return [r for r in response.json()["results"] if r.get("type", "article") == "article"]

    assert len(articles()) >= 2
    request.getfixturevalue("time_runs_out")
    with caplog.at_level("WARNING", logger="search"):
        assert len(articles()) == 1
    assert "time limit" in caplog.text
