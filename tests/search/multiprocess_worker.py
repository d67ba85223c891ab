"""A process of tests/search/test_multiprocess.py: `python -m tests.search.multiprocess_worker`.

It uses the test settings with the database and index folder of the test that started it
(environment: HELPCENTER_MP_DATABASE, HELPCENTER_MP_INDEX), reads one JSON command per line on
stdin and answers each with one JSON line on stdout. Between commands a web worker keeps
searching through the JSON APIs, as a gunicorn worker would, and counts what went wrong.
"""

import json
import logging
import os
import select
import sys
import traceback

QUERIES = ["polarised lenses", "prescription sunglasses", "refund", "sunglases", "nose pads"]
PAUSE = 0.2  # seconds between searches: busy, but leaving the editors some CPU
PATHS = ["/en/search/api/", "/en/search/api/autocomplete/", "/en/search/api/suggest/"]


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings.test"
    from example_site.settings import test as settings

    settings.DATABASES["default"]["NAME"] = os.environ["HELPCENTER_MP_DATABASE"]
    settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = os.environ["HELPCENTER_MP_INDEX"]
    settings.HELPCENTER_SEARCH_API_RATE_LIMIT_PER_MINUTE = 10**9
    # Wagtail's own (admin) search index is not under test. With the immediate task backend it
    # is updated inside the publishing transaction, and on PostgreSQL two editors publishing at
    # once can deadlock on it (docs/search.md, "Operations"); sites run a task worker for that.
    settings.WAGTAILSEARCH_BACKENDS = {
        alias: {**backend, "AUTO_UPDATE": False}
        for alias, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }

    import django

    django.setup()


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class Worker:
    def __init__(self):
        from django.test import Client

        self.client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")
        self.searching = False
        self.searches = 0
        self.errors: list[str] = []
        self.warnings = Warnings()
        logging.getLogger("search").addHandler(self.warnings)

    # -- a web worker --------------------------------------------------------------------------

    def search_once(self) -> None:
        path = PATHS[self.searches % len(PATHS)]
        query = QUERIES[self.searches % len(QUERIES)]
        self.searches += 1
        try:
            response = self.client.get(path, {"q": query})
            if response.status_code != 200:
                self.errors.append(f"{path}?q={query}: HTTP {response.status_code}")
        except Exception:  # noqa: BLE001 - reported to the test
            self.errors.append(traceback.format_exc())

    def op_titles(self, q: str) -> dict:
        response = self.client.get("/en/search/api/", {"q": q})
        assert response.status_code == 200, response.status_code
        return {"titles": [result["title"] for result in response.json()["results"]]}

    def op_loop(self, on: bool) -> dict:
        self.searching = on
        return {}

    def op_stats(self) -> dict:
        return {
            "searches": self.searches,
            "errors": self.errors,
            "warnings": self.warnings.messages,
        }

    # -- an editor -----------------------------------------------------------------------------

    def op_publish(self, parent: int, title: str) -> dict:
        from wagtail.models import Page

        from faq.models import ArticlePage

        article = Page.objects.get(pk=parent).add_child(
            instance=ArticlePage(
                title=title,
                short_answer=f"{title} The short answer.",
                body=[{"type": "rich_text", "value": f"<p>All about {title}</p>"}],
                live=False,
            )
        )
        article.save_revision().publish()
        return {"pk": article.pk}

    def op_edit(self, pk: int, title: str) -> dict:
        from faq.models import ArticlePage

        article = ArticlePage.objects.get(pk=pk)
        article.title = title
        article.save_revision().publish()
        return {}

    def op_unpublish(self, pk: int) -> dict:
        from faq.models import ArticlePage

        ArticlePage.objects.get(pk=pk).unpublish()
        return {}

    def op_churn(self, parent: int, prefix: str, count: int) -> dict:
        """Publish `count` articles, rename every second one and unpublish every third."""
        published, unpublished = {}, []
        for number in range(count):
            title = f"{prefix} question {number}"
            pk = self.op_publish(parent, title)["pk"]
            if number % 2:
                title = f"{prefix} renamed question {number}"
                self.op_edit(pk, title)
            if number % 3 == 2:
                self.op_unpublish(pk)
                unpublished.append(title)
            else:
                published[title] = pk
        return {"published": published, "unpublished": unpublished}

    def op_rebuild(self) -> dict:
        from django.core.management import call_command

        call_command("rebuild_index", interactive=False, verbosity=0)
        return {}


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr  # anything else printed must not mix with the replies
    setup()
    worker = Worker()
    worker.search_once()  # open the index, as a worker does on its first request
    replies.write(json.dumps({"ready": os.getpid()}) + "\n")
    replies.flush()
    buffer = b""
    while True:
        if b"\n" not in buffer:
            ready, _, _ = select.select([sys.stdin], [], [], PAUSE if worker.searching else None)
            if not ready:
                worker.search_once()
                continue
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                return
            buffer += chunk
            continue
        line, buffer = buffer.split(b"\n", 1)
        command = json.loads(line)
        operation = command.pop("op")
        if operation == "exit":
            return
        try:
            reply = getattr(worker, f"op_{operation}")(**command)
        except Exception:  # noqa: BLE001 - reported to the test
            reply = {"error": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
