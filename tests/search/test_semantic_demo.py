"""The demo's own examples answer right through the HTTP API, with the real packaged model."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from search import service

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    return Client(HTTP_USER_AGENT=BROWSER)


def titles(client, path, query, **params):
    body = client.get(path, {"q": query, **params}).json()
    return [result["title"] for result in body["results"]]


@pytest.mark.slow
def test_demo_examples_answer_right_and_result_lists_end_where_relevance_ends(demo):
    german = titles(demo, "/de/search/api/", "gummi an der brille kaputt")
    assert "Wie tausche ich die Nasenpads aus?" in german[:3], german

    message = (
        "Hello, I ordered glasses two weeks ago and they still have not arrived, how can I "
        "track my delivery?"
    )
    suggested = titles(demo, "/en/search/api/suggest/", message)
    assert suggested[0] == "How can I track my parcel?", suggested

    page = demo.get("/de/search/", {"q": "Rückerstattung"}).content.decode()
    assert "Wann erhalte ich meine Erstattung?" in page

    # A result list ends where relevance ends (the lexical search listed 36 and 46 articles).
    for query in ("glases broke", "cancel order"):
        found = [result.title for result in service.search(query, "en").results]
        assert 0 < len(found) <= 10, (query, found)
    assert titles(demo, "/en/search/api/", "cancel order")[0] == "How do I cancel my order?"
