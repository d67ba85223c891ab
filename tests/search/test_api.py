"""The search page and JSON APIs over HTTP, including hostile input."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from faq.models import ArticlePage
from search.models import Query, QueryDailyHits, QueryVisitor

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
HOSTILE = [
    "(", ")", "AND", "OR NOT", "*", '"', "\\", "title:nose", "field:value", "\x00", "nose\x00pads",
    "😀🕶️", "\u200bnose\u200b pads", "\u202enose pads\u202c", "\u200f\u200e", "ＮＯＳＥ ｐａｄｓ",
    "", "   ", "\t\n", "a" * 10_000, "nose " * 2_000, "<script>alert(1)</script>",
    "%00", "' OR 1=1 --", "{{ 7*7 }}",
]


@pytest.fixture
def client():
    return Client(HTTP_USER_AGENT=BROWSER)


NOTHING_TO_SEARCH = {"", "   ", "\t\n", "\x00", "(", ")", "*", '"', "\\", "\u200f\u200e", "%00"}


@pytest.mark.parametrize(
    "path", ["/en/search/", "/en/search/api/", "/en/search/api/autocomplete/",
             "/en/search/api/suggest/"]
)
def test_hostile_input_never_fails(indexed, client, path):
    for query in HOSTILE:
        response = client.get(path, {"q": query})
        assert response.status_code == 200, repr(query)
        assert b"<script>alert(1)</script>" not in response.content, repr(query)
        if path != "/en/search/" and query in NOTHING_TO_SEARCH:
            assert response.json()["results"] == [], repr(query)


def test_json_api_shape(indexed, client):
    body = client.get("/en/search/api/", {"q": "nose pads"}).json()
    assert body["query"] == "nose pads"
    first = body["results"][0]
    assert set(first) >= {"title", "url", "category", "short_answer", "highlight", "score"}
    assert first["title"] == "How do I replace the nose pads?"
    assert first["url"].startswith("/en/")
    assert first["category"] == "Frames & nose pads"
    assert "<mark>" in first["highlight"]


def test_locale_follows_the_url_prefix_and_parameter(indexed, client):
    german = client.get("/de/search/api/", {"q": "Nasenpads"}).json()
    assert german["results"][0]["title"] == "Wie tausche ich die Nasenpads aus?"
    override = client.get("/en/search/api/", {"q": "Nasenpads", "locale": "de"}).json()
    assert override["results"][0]["url"].startswith("/de/")


def test_suggest_returns_confidence(indexed, client):
    message = (
        "Hello, I bought glasses from you last month and yesterday the little nose pad "
        "fell off. How can I get a new one and put it on myself?"
    )
    body = client.post("/en/search/api/suggest/", {"q": message}).json()
    assert body["results"][0]["title"] == "How do I replace the nose pads?"
    confidences = [r["confidence"] for r in body["results"]]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert confidences == sorted(confidences, reverse=True)


def test_suggest_logs_sent_messages_not_drafts(indexed, client):
    client.post("/en/search/api/suggest/?draft=1", {"q": "my nose pad fell off"})
    assert not Query.objects.exists()
    client.post("/en/search/api/suggest/", {"q": "my nose pad fell off"})
    assert Query.objects.count() == 1


def test_autocomplete_completes_the_last_word(indexed, client):
    body = client.get("/en/search/api/autocomplete/", {"q": "nose pa"}).json()
    assert body["results"][0]["title"] == "How do I replace the nose pads?"
    body = client.get("/de/search/api/autocomplete/", {"q": "Sendungsverf"}).json()
    assert body["results"][0]["title"] == "Wo ist mein Paket?"


def test_searches_are_logged_with_result_counts(indexed, client):
    client.get("/en/search/", {"q": "nose pads"})
    client.get("/en/search/", {"q": "Nose  Pads "})
    client.get("/en/search/", {"q": "xylophone"})
    assert Query.objects.filter(locale="en").count() == 2


def test_click_redirects_only_to_this_site(indexed, client):
    response = client.get("/en/search/click/", {"q": "x", "to": "https://evil.example/"})
    assert response["Location"] == "/en/search/"
    response = client.get("/en/search/click/", {"q": "x", "to": "/en/shipping/"})
    assert response["Location"] == "/en/shipping/"


def test_results_page_filters_by_category(indexed, client):
    parcel = indexed["Where is my parcel?"]
    html = client.get("/en/search/", {"q": "parcel glasses",
                                      "category": parcel.get_parent().pk}).content.decode()
    assert "Where is my parcel?" in html
    assert "My glasses are broken" not in html


def test_api_is_rate_limited(indexed, client, settings):
    settings.HELPCENTER_SEARCH_API_RATE_LIMIT_PER_MINUTE = 3
    codes = [client.get("/en/search/api/", {"q": "pads"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_did_you_mean_links_to_the_corrected_query(indexed, client):
    html = client.get("/en/search/", {"q": "refnud"}).content.decode()
    assert 'href="/en/search/?q=refund"' in html


def test_german_search_page_is_translated(indexed, client):
    html = client.get("/de/search/", {"q": "Sendungsverfolgnug"}).content.decode()
    assert "Meinten Sie" in html


SPAM = "refund via evil-refunds.example whatsapp us"


def offered(client, prefix="refund via"):
    body = client.get("/en/search/api/autocomplete/", {"q": prefix}).json()
    return [r["title"] for r in body["results"] if r["type"] == "query"]


def test_one_client_cannot_make_a_popular_search(indexed, client):
    for _ in range(5):
        assert client.get("/en/search/", {"q": SPAM}).status_code == 200
    client.get("/en/search/click/", {"q": SPAM, "to": "/en/", "locale": "en"})
    assert offered(client) == []
    assert QueryDailyHits.objects.get(source="help").hits == 1


def test_many_people_who_found_something_make_a_popular_search(indexed, client):
    for number in range(5):
        person = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{number + 1}")
        person.get("/en/search/", {"q": SPAM})
    assert offered(client) == []  # nobody opened a result yet
    client.get("/en/search/click/", {"q": SPAM, "to": "/en/", "locale": "en"})
    assert offered(client) == [SPAM]


def test_topic_filters_and_pages_are_no_new_searches(indexed, client):
    category = indexed["Where is my parcel?"].get_parent().pk
    client.get("/en/search/", {"q": "parcel glasses"})
    QueryVisitor.objects.update(last_searched_at=timezone.now() - dt.timedelta(minutes=5))
    client.get("/en/search/", {"q": "parcel glasses", "category": category})
    client.get("/en/search/", {"q": "parcel glasses", "page": 2})
    assert QueryDailyHits.objects.get().hits == 1


def test_search_page_is_rate_limited(indexed, client, settings):
    settings.HELPCENTER_SEARCH_PAGE_RATE_LIMIT_PER_MINUTE = 3
    responses = [client.get("/en/search/", {"q": f"pads {n}"}) for n in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Please wait a minute" in responses[-1].content.decode()
    assert Query.objects.count() == 3


def result_item(html, title):
    """The <li> of the result with `title` on the results page."""
    return next(item for item in html.split('<li class="hc-article-list__item">')[1:]
                if title in item)


def test_results_show_a_snippet_only_beyond_the_short_answer(
    indexed, client, help_center, make_category, committed
):
    with committed():
        care = make_category("Care", parent=help_center)
        article = care.add_child(instance=ArticlePage(
            title="How do I clean my lenses?", short_answer="Rinse the lenses with warm water.",
            body=[{"type": "rich_text", "value": "<p>Rinse the lenses with warm water.</p>"}],
            live=False,
        ))
        article.save_revision().publish()

    html = client.get("/en/search/", {"q": "rinse lenses warm water"}).content.decode()
    item = result_item(html, "How do I clean my lenses?")
    assert "Rinse the lenses with warm water." in item
    assert "hc-results__highlight" not in item

    html = client.get("/en/search/", {"q": "parcel DHL"}).content.decode()
    item = result_item(html, "Where is my parcel?")
    assert "Follow the tracking link" in item
    snippet = item.split('<p class="hc-results__highlight">')[1].split("</p>")[0]
    assert "<mark>DHL</mark>" in snippet and "Follow the tracking link" not in snippet
