"""A solved thread becomes a draft article: personal data removed, Wagtail's workflow, and the
link both ways (the article's admin panel, the thread's "Answered in our help center", search)."""

import re

import pytest
from django.test import Client

from community import posting, promotion
from community.models import Thread, ThreadArticle
from faq.models import ArticlePage
from search import service
from tests.helpers import client_for, publish_page

from .fixtures import BROWSER

QUESTION = ("My order 4711-2233 arrived with a broken hinge. Call me on +49 30 1234567 or mail "
            "anna.k@example.com. @Ben O. said it could be glued?")
ANSWER = ("Hi Anna K., please don't glue it. Send the frame back with order number 4711-2233 "
          "and we repair it for free. Write to repairs@example.com or call 030 98765432. "
          "Repairs take about five working days.\n\n- pack the frame in its case\n"
          "- add a note with the order number")


@pytest.fixture
def solved(board, asker, answerer):
    thread = posting.start_thread(board, asker, "Broken hinge, can Anna K. glue it?", QUESTION)
    answer = posting.reply(thread, answerer, ANSWER)
    posting.accept(answer, asker)
    thread.refresh_from_db()
    return thread


@pytest.fixture
def category(make_category):
    return make_category("Repairs")


def all_text(article) -> str:
    return " ".join([article.title, article.short_answer, article.keywords,
                     article.example_questions, *(b["value"] for b in article.body.raw_data)])


def test_a_solved_thread_becomes_a_draft_without_personal_data(solved, category, moderator):
    article = promotion.promote(solved, category, moderator)
    article = ArticlePage.objects.get(pk=article.pk)
    text = all_text(article)
    assert not article.live
    assert article.get_parent().pk == category.pk
    assert article.locale_id == solved.board.locale_id
    assert not re.search(r"\S+@\S+\.\w+", text), text
    assert not re.search(r"\d{4,}", text), text
    for name in ("Anna", "Ben O.", "@Ben"):
        assert name not in text
    assert article.title == "Broken hinge, can [member] glue it?"
    assert article.short_answer == (
        "Hi [member], please don't glue it. Send the frame back with order number [phone number] "
        "and we repair it for free. Write to [e-mail address] or call [phone number]."
    )
    body = article.body.raw_data[0]["value"]
    assert "<li>pack the frame in its case</li>" in body
    assert article.keywords.split(", ")[:2] == ["broken", "hinge"]
    assert "member" not in article.keywords
    assert article.latest_revision is not None
    assert ThreadArticle.objects.filter(thread=solved, article=article,
                                        origin=ThreadArticle.Origin.PROMOTED).exists()


def test_an_unsolved_thread_cannot_be_promoted(thread, category, moderator):
    assert not promotion.can_promote(thread, moderator)
    with pytest.raises(promotion.PermissionDenied):
        promotion.promote(thread, category, moderator)


def test_an_editor_promotes_and_lands_in_the_page_editor_with_the_check_note(
        forum, solved, category, editor):
    client = client_for(editor)
    form = client.get(f"{forum.url}{solved.pk}/promote/")
    assert form.status_code == 200
    assert "Repairs" in form.content.decode()
    response = client.post(f"{forum.url}{solved.pk}/promote/", {"category": category.pk})
    article = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{article.pk}/edit/"
    edit = client.get(response["Location"]).content.decode()
    assert "This draft was written from a forum thread." in edit
    assert f"#{solved.pk}" in edit


def test_a_wrong_category_is_refused_and_nothing_is_created(forum, solved, moderator):
    response = client_for(moderator).post(f"{forum.url}{solved.pk}/promote/", {"category": "x"})
    assert response.status_code == 400
    assert not ArticlePage.objects.exists()


def test_a_forum_moderator_without_admin_access_goes_back_to_the_thread(forum, solved, category,
                                                                        moderator):
    response = client_for(moderator).post(f"{forum.url}{solved.pk}/promote/",
                                          {"category": category.pk})
    assert response.status_code == 302
    assert response["Location"] == forum.url + solved.url_part
    assert ArticlePage.objects.filter(live=False).count() == 1


def test_once_published_the_thread_names_the_article_and_search_prefers_it(
        forum, solved, category, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posting.edit_post(solved.posts.get(is_question=True), solved.author, QUESTION)
    hits = [r.model for r in service.search("broken hinge glue", "en").results]
    assert "community.thread" in hits
    article = promotion.promote(solved, category, moderator)
    page = Client(HTTP_USER_AGENT=BROWSER).get(forum.url + solved.url_part).content.decode()
    assert "Answered in our help center" not in page
    with django_capture_on_commit_callbacks(execute=True):
        publish_page(ArticlePage.objects.get(pk=article.pk))
    page = Client(HTTP_USER_AGENT=BROWSER).get(forum.url + solved.url_part).content.decode()
    assert "Answered in our help center:" in page
    assert f'href="{ArticlePage.objects.get(pk=article.pk).url}"' in page
    results = service.search("broken hinge glue", "en").results
    assert [r.model for r in results][:1] == ["faq.articlepage"]
    assert "community.thread" not in [r.model for r in results]
    assert list(promotion.source_threads(article)) == [Thread.objects.get(pk=solved.pk)]


def test_linking_an_existing_article_is_logged_and_shown(forum, thread, make_article, moderator):
    article = make_article("How do I adjust nose pads?")
    promotion.link_article(thread, article, moderator)
    promotion.link_article(thread, article, moderator)
    assert ThreadArticle.objects.filter(thread=thread).count() == 1
    page = Client().get(forum.url + thread.url_part).content.decode()
    assert "How do I adjust nose pads?" in page


@pytest.mark.parametrize("text, expected", [
    ("mail me: a.b+c@shop.example.de!", "mail me: [e-mail address]!"),
    ("order #123456 please", "order [number] please"),
    ("customer no. AB-99881", "customer no. [number]"),
    ("phone (030) 123-4567 now", "phone [phone number] now"),
    ("thanks @maria_s and @Ben", "thanks [member] and [member]"),
    ("@Lena M. said so, Lena agrees", "[member] said so, [member] agrees"),
    ("I wear size 52 with 140 mm temples", "I wear size 52 with 140 mm temples"),
])
def test_scrub(text, expected):
    assert promotion.scrub(text, {"Lena M.", "Lena"}) == expected


def test_promoting_twice_gives_two_drafts_with_their_own_addresses(solved, category, moderator):
    first = promotion.promote(solved, category, moderator)
    second = promotion.promote(solved, category, moderator)
    assert first.slug != second.slug
    assert ArticlePage.objects.filter(live=False).count() == 2


def test_a_german_thread_gives_a_german_draft(locale_de, help_center, make_member, answerer,
                                             moderator):
    from community.models import Board
    from faq.models import CategoryPage

    german_center = help_center.copy_for_translation(locale_de, copy_parents=True)
    category = german_center.add_child(instance=CategoryPage(title="Reparatur", slug="reparatur",
                                                             locale=locale_de))
    board = Board.objects.create(name="Fassungen", slug="fassungen", locale=locale_de)
    thread = posting.start_thread(board, make_member("Jan K."), "Scharnier gebrochen",
                                  "Bitte an jan@example.de schreiben.")
    posting.accept(posting.reply(thread, answerer, "Schreiben Sie an reparatur@example.de."),
                   thread.author)
    thread.refresh_from_db()
    article = promotion.promote(thread, category, moderator)
    assert article.locale_id == locale_de.pk
    assert article.short_answer == "Schreiben Sie an [E-Mail-Adresse]."
