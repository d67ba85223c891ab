"""Several processes on one Whoosh index and one database, as several gunicorn workers and a task
worker would be: web workers search through the JSON APIs in a loop while editor processes
publish, rename and unpublish articles through the index queue and run `rebuild_index`.

The processes are real interpreters (tests/search/multiprocess_worker.py) on the test database
file and the test's index folder. They run the Django stack through the test client rather than
gunicorn: that way each answer is known to come from one particular process.
"""

import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from haystack import connections

from faq.models import ArticlePage
from search.models import IndexOperation

ROOT = Path(__file__).resolve().parents[2]
REPLY_TIMEOUT = 120

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class Process:
    """A worker process; `ask` sends a command and waits for its answer."""

    def __init__(self, role: str):
        self.log = tempfile.TemporaryFile(mode="w+")
        env = {
            **os.environ,
            "HELPCENTER_MP_DATABASE": str(connection.settings_dict["NAME"]),
            "HELPCENTER_MP_INDEX": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
        }
        self.role = role
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tests.search.multiprocess_worker"],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
        )

    def send(self, op: str, **arguments) -> None:
        self.process.stdin.write(json.dumps({"op": op, **arguments}).encode() + b"\n")
        self.process.stdin.flush()

    def receive(self) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], REPLY_TIMEOUT)
        line = self.process.stdout.readline() if ready else b""
        if not line:
            self.log.seek(0)
            raise AssertionError(f"{self.role} process gave no answer:\n{self.log.read()[-4000:]}")
        reply = json.loads(line)
        assert "error" not in reply, f"{self.role} process failed:\n{reply['error']}"
        return reply

    def ask(self, op: str, **arguments) -> dict:
        self.send(op, **arguments)
        return self.receive()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.send("exit")
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
        return self.process.returncode


@pytest.fixture
def processes():
    started: list[Process] = []

    def start(*roles):
        batch = [Process(role) for role in roles]
        started.extend(batch)
        for process in batch:
            process.receive()  # ready
        return batch

    yield start
    for process in started:
        process.stop()


def titles(web, query):
    return web.ask("titles", q=query)["titles"]


def assert_every_worker(webs, query, *, finds=(), misses=()):
    for web in webs:
        found = titles(web, query)
        for title in finds:
            assert title in found, (web.process.pid, query, found)
        for title in misses:
            assert title not in found, (web.process.pid, query, found)


def assert_index_matches_database():
    backend = connections["default"].get_backend()
    searcher = backend.open_index("faq.articlepage", "en").current_searcher()
    indexed = sorted(int(fields["django_id"]) for fields in searcher.all_stored_fields())
    live = sorted(ArticlePage.objects.live().public().values_list("pk", flat=True))
    assert indexed == live
    assert backend.health("faq.articlepage", "en") is None


def assert_nothing_went_wrong(webs):
    for web in webs:
        stats = web.ask("stats")
        assert stats["searches"] > 0
        assert stats["errors"] == [], stats["errors"]
        assert stats["warnings"] == [], stats["warnings"]
    assert not IndexOperation.objects.exists()


def test_several_workers_share_one_index(help_center, make_category, make_article, processes):
    category = make_category("Sunglasses")
    lenses = make_article("How do I clean polarised lenses?", category=category)
    make_article("Do you sell clip-on sunglasses?", category=category)
    *webs, first, second = processes("web", "web", "web", "editor", "editor")
    for web in webs:
        web.ask("loop", on=True)

    # Each change is seen by every worker once the editor's queue run is over.
    assert_every_worker(webs, "polarised lenses", finds=[lenses.title])
    pk = first.ask("publish", parent=category.pk, title="Can I get prescription sunglasses?")["pk"]
    assert_every_worker(webs, "prescription sunglasses",
                        finds=["Can I get prescription sunglasses?"])
    first.ask("edit", pk=pk, title="Do you make prescription sunglasses?")
    assert_every_worker(webs, "prescription sunglasses",
                        finds=["Do you make prescription sunglasses?"],
                        misses=["Can I get prescription sunglasses?"])
    first.ask("unpublish", pk=pk)
    assert_every_worker(webs, "prescription sunglasses",
                        misses=["Do you make prescription sunglasses?"])

    # Two editors and a rebuild at once: nothing lost, nothing unpublished left behind.
    first.send("churn", parent=category.pk, prefix="Alpha", count=6)
    second.send("rebuild")
    assert second.receive() == {}
    second.send("churn", parent=category.pk, prefix="Beta", count=3)
    churned = [first.receive(), second.receive()]
    published = {title for result in churned for title in result["published"]}
    unpublished = {title for result in churned for title in result["unpublished"]}
    assert len(published) == 6 and len(unpublished) == 3
    assert not IndexOperation.objects.exists()
    assert_index_matches_database()
    for title in sorted(published):
        assert_every_worker(webs, title, finds=[title])
    for title in sorted(unpublished):
        assert_every_worker(webs, title, misses=[title])
    assert_nothing_went_wrong(webs)

    # A worker that was idle while the index changed still sees what a rebuild wrote: the
    # rebuilt index must not restart at a generation that the worker's searcher already has.
    for web in webs:
        web.ask("loop", on=False)
    second.ask("rebuild")
    assert_every_worker(webs, "polarised lenses", finds=[lenses.title])
    first.ask("unpublish", pk=lenses.pk)
    second.ask("rebuild")
    assert_every_worker(webs, "polarised lenses", misses=[lenses.title])
    assert_nothing_went_wrong(webs)
    assert_index_matches_database()
