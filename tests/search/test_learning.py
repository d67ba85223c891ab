"""Learned phrasings (search.learning): customers' searches that ended well teach the search
how they ask, once enough distinct visitors did the same and an editor approved."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from search import learning, service
from search.conf import app_settings
from search.models import LearnedPhrasing, PhrasingStatus, PhrasingVisitor, Query
from tests.contactform.fixtures import contact_page  # noqa: F401 - a fixture

from .test_api import BROWSER, offered

PHRASE = "specs wallet credit"  # no word of it is in any article
ARTICLE = "How do I return my order and get a refund?"


def person(number: int) -> Client:
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"198.51.100.{number}")


def search_and_click(client: Client, article, text: str = PHRASE) -> None:
    assert client.get("/en/search/", {"q": text}).status_code == 200
    response = client.get(
        "/en/search/click/", {"q": text, "pk": article.pk, "to": article.url, "locale": "en"}
    )
    assert response.status_code == 302


@pytest.fixture
def learned(indexed, settings):
    """PHRASE clicked to the returns article by as many visitors as it takes to be listed."""
    article = indexed[ARTICLE]
    for number in range(app_settings.SEARCH_LEARN_MIN_VISITORS):
        search_and_click(person(number + 1), article)
    return LearnedPhrasing.objects.get(query__text=PHRASE)


def test_a_phrasing_is_listed_once_enough_distinct_visitors_clicked(indexed, settings):
    settings.HELPCENTER_SEARCH_LEARN_MIN_VISITORS = 3
    article = indexed[ARTICLE]
    search_and_click(person(1), article)
    search_and_click(person(1), article)  # the same visitor again counts once
    search_and_click(person(2), article)
    phrasing = LearnedPhrasing.objects.get()
    assert (phrasing.page_id, phrasing.visitors) == (article.pk, 2)
    assert list(learning.listed()) == []
    search_and_click(person(3), article)
    assert list(learning.listed()) == [phrasing]
    assert learning.listed().get().visitors == 3
    assert phrasing.status == PhrasingStatus.SUGGESTED


def test_bots_editors_and_results_that_are_no_articles_teach_nothing(indexed, admin_client):
    article = indexed[ARTICLE]
    bot = Client(HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="198.51.100.9")
    search_and_click(bot, article)
    search_and_click(admin_client, article)
    search_and_click(person(1), article.get_parent())  # a category page, not an article
    assert not LearnedPhrasing.objects.exists()


def test_personal_data_and_whole_messages_are_not_learned(indexed):
    article = indexed[ARTICLE]
    search_and_click(person(1), article, "refund for anna@example.com")
    search_and_click(person(2), article, "refund please " * 20)
    search_and_click(person(3), article, "refund of order 12345678")
    assert Query.objects.filter(text__contains="[email]").exists()
    assert not LearnedPhrasing.objects.exists()


def test_a_helpful_vote_after_a_search_is_evidence(indexed):
    article = indexed[ARTICLE]
    visitor = person(1)
    visitor.get("/en/search/", {"q": PHRASE})
    assert visitor.post(article.url + "feedback/", {"helpful": "yes"}).status_code in (200, 302)
    evidence = PhrasingVisitor.objects.get()
    assert evidence.kind == "helpful"
    assert evidence.phrasing.query.text == PHRASE and evidence.phrasing.page_id == article.pk
    other = person(2)
    other.get("/en/search/", {"q": "broken glasses"})
    other.post(indexed["Where is my parcel?"].url + "feedback/", {"helpful": "no"})
    assert PhrasingVisitor.objects.count() == 1  # "not helpful" teaches nothing


def test_an_old_search_is_no_evidence_for_a_later_vote(indexed, settings):
    article = indexed[ARTICLE]
    visitor = person(1)
    visitor.get("/en/search/", {"q": PHRASE})
    settings.HELPCENTER_SEARCH_LEARN_WINDOW_MINUTES = 0
    visitor.post(article.url + "feedback/", {"helpful": "yes"})
    assert not PhrasingVisitor.objects.exists()


def test_a_suggested_phrasing_is_never_offered_as_a_completion(indexed, settings, client):
    settings.HELPCENTER_SEARCH_POPULAR_QUERIES_MIN_VISITORS = 3
    settings.HELPCENTER_SEARCH_LEARN_MIN_VISITORS = 3
    text = "refund via wallet"  # found, clicked by 3 people: popular enough to be offered
    for number in range(3):
        search_and_click(person(number + 1), indexed[ARTICLE], text)
    phrasing = learning.listed().get()
    assert offered(client, "refund via") == []
    phrasing.status = PhrasingStatus.APPROVED
    phrasing.save()
    assert offered(client, "refund via") == [text]


def test_an_approved_phrasing_is_searched_like_an_example_question(learned, committed):
    article_id = learned.page_id
    assert service.search(PHRASE, "en", mode="lexical").results == []
    with committed():
        learned.status = PhrasingStatus.APPROVED
        learned.save()
    assert learning.approved_for(article_id) == [PHRASE]
    assert [r.pk for r in service.search(PHRASE, "en", mode="lexical").results] == [article_id]
    with committed():
        learned.status = PhrasingStatus.REJECTED
        learned.save()
    assert learning.approved_for(article_id) == []
    assert service.search(PHRASE, "en", mode="lexical").results == []


def test_phrasings_fade_without_new_evidence(learned, settings):
    learned.status = PhrasingStatus.APPROVED
    learned.save()
    old = timezone.now() - dt.timedelta(days=app_settings.SEARCH_LEARN_DAYS + 1)
    LearnedPhrasing.objects.update(last_seen_at=old)
    PhrasingVisitor.objects.update(seen_at=old)
    assert list(learning.listed()) == []
    assert learning.approved_for(learned.page_id) == []
    out = io.StringIO()
    call_command("searchlog_garbage_collect", stdout=out)
    assert "1 learned phrasing faded." in out.getvalue()
    assert not LearnedPhrasing.objects.exists() and not PhrasingVisitor.objects.exists()


def test_search_evaluate_learns_nothing(indexed, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"query": PHRASE, "expected": ["x"], "locale": "en"}) + "\n", "utf-8"
    )
    call_command("search_evaluate", str(queries), "--mode", "lexical",
                 stdout=io.StringIO())
    assert not Query.objects.exists()
    assert not LearnedPhrasing.objects.exists()


def test_editors_approve_in_the_admin(learned, editor, committed):
    client = Client()
    client.force_login(editor)
    listing = client.get("/admin/snippets/search/learnedphrasing/")
    assert listing.status_code == 200
    assert PHRASE in listing.content.decode()
    add = client.get("/admin/snippets/search/learnedphrasing/add/")
    assert add.status_code in (302, 403)
    edit = f"/admin/snippets/search/learnedphrasing/edit/{learned.pk}/"
    assert client.get(edit).status_code == 200
    with committed():
        response = client.post(edit, {"status": PhrasingStatus.APPROVED})
    assert response.status_code == 302
    learned.refresh_from_db()
    assert learned.status == PhrasingStatus.APPROVED
    assert service.search(PHRASE, "en", mode="lexical").results[0].pk == learned.page_id


def test_the_article_editor_proposes_searches_that_led_to_it(learned, editor):
    client = Client()
    client.force_login(editor)
    page = learned.page
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "How customers searched for this article" in html
    assert f'data-question="{PHRASE}"' in html
    assert "example-question-candidates.js" in html
    article = page.specific
    article.example_questions = PHRASE.upper()
    article.save_revision()
    article.save()
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f'data-question="{PHRASE}"' not in html  # already one of its example questions
    assert "No searches have led customers to this article yet." in html


def test_a_deflection_on_the_contact_form_after_a_search_is_evidence(
    indexed, contact_page  # noqa: F811 - a fixture
):
    article = indexed[ARTICLE]
    visitor = person(1)
    visitor.get("/en/search/", {"q": PHRASE})
    deflect = contact_page.url + contact_page.reverse_subpage("deflect")
    assert visitor.post(deflect, {"article": article.pk}).status_code == 200
    evidence = PhrasingVisitor.objects.get()
    assert (evidence.kind, evidence.phrasing.page_id) == ("deflection", article.pk)
    assert evidence.phrasing.query.text == PHRASE
