"""Solved forum threads among the contact form's suggestions: after the articles, in the
automatic reply and the team notification (through the loopback SMTP server), never looked up
as pages, and "this answers my question" on a thread counted as a deflection."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Page

from community import posting
from community.links import thread_url
from community.models import PostState, Thread
from contactform import notifications
from contactform.models import Deflection, Submission
from search.service import SearchResult
from search.suggestions import Suggestion
from tests.community import fixtures as forum_fixtures
from tests.helpers import client_for

from .test_notifications import enable_auto_reply

forum = forum_fixtures.forum
board = forum_fixtures.board
make_member = forum_fixtures.make_member
asker = forum_fixtures.asker
answerer = forum_fixtures.answerer

QUESTION = "Which lens coating helps with night driving?"


@pytest.fixture
def answers(make_article, board, asker, answerer, django_capture_on_commit_callbacks):
    """An article and three threads about the question, indexed: solved, unsolved, and solved
    but hidden since (the index does not know that yet)."""
    with django_capture_on_commit_callbacks(execute=True):  # the index queue
        article = make_article(
            "Which lens coating is best?",
            short_answer="Our anti-reflective coating suits most wearers.",
        )
        solved = posting.start_thread(board, asker, "Lens coating for night driving", QUESTION)
        posting.accept(posting.reply(solved, answerer, "The blue-light coating helps."), asker)
        unsolved = posting.start_thread(board, answerer, "Coating for driving at night?",
                                        QUESTION)
        hidden = posting.start_thread(board, answerer, "Night driving lens coating", QUESTION)
        posting.accept(posting.reply(hidden, asker, "Ask your optician."), answerer)
    Thread.objects.filter(pk=hidden.pk).update(state=PostState.HIDDEN)
    return {"article": article, "solved": solved, "unsolved": unsolved, "hidden": hidden}


def thread_suggestion(thread, confidence):
    """A real suggestion of a forum thread, as `search.suggestions.suggest` gives it."""
    result = SearchResult(
        title=thread.title, url=thread_url(thread),
        category=thread.board.name, short_answer="", score=1.0, relevance=1.0, popularity=0.0,
        pk=thread.pk, model="community.thread",
    )
    return Suggestion(result=result, confidence=confidence, source="community")


@pytest.mark.django_db(transaction=True)
def test_the_auto_reply_lists_a_solved_thread_after_the_articles(
    customer, contact_page, form_data, forum, answers, mail_server
):
    enable_auto_reply(contact_page, auto_reply_confidence=0.0)
    response = customer.post(contact_page.url, form_data(
        message=QUESTION, email="ann@example.com", suggestions_seen="1",
        opened=str(answers["solved"].pk),
    ))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert [(item["source"], item["id"]) for item in submission.suggested_answers] == [
        ("articles", answers["article"].pk), ("community", answers["solved"].pk)]
    assert submission.opened_answers == []  # a thread opens on its own page, not inline

    thread_url = "http://localhost" + forum.url + answers["solved"].url_part
    reply = mail_server.to("ann@example.com")[0].get_content()
    article_url = answers["article"].get_full_url()
    assert article_url in reply and thread_url in reply
    assert reply.index(article_url) < reply.index("Lens coating for night driving (Community)")
    assert reply.index("Lens coating for night driving (Community)") < reply.index(thread_url)
    for other in ("unsolved", "hidden"):
        assert answers[other].title not in reply

    team = mail_server.to("team@klarsicht.example")[0].get_content()
    assert "2. Lens coating for night driving [Community]\n" in team
    assert thread_url in team
    assert answers["unsolved"].title not in team and answers["hidden"].title not in team


def test_without_javascript_a_solved_thread_comes_after_the_articles(
    customer, contact_page, form_data, answers
):
    html = customer.post(contact_page.url, form_data(message=QUESTION)).content.decode()
    assert "Before you send: these answers might help" in html
    article, thread = answers["article"], answers["solved"]
    assert html.index(f'<a href="{article.url}">') < html.index(f'<a href="{thread_url(thread)}">')
    assert 'hc-source-badge--community">Community</span> Frames &amp; fit' in html
    assert '<input type="hidden" name="source" value="community">' in html
    assert answers["unsolved"].title not in html and answers["hidden"].title not in html
    assert not Submission.objects.exists()


def test_the_inbox_shows_a_suggested_thread_without_an_edit_link(
    admin_user, contact_page, forum, answers, store_submission, suggestion_for
):
    thread = answers["solved"]
    submission = store_submission(contact_page, suggestions=[
        suggestion_for(answers["article"], 0.9), thread_suggestion(thread, 0.5)])
    html = client_for(admin_user).get(
        reverse("contact_messages_modeladmin_inspect", args=[submission.pk])).content.decode()
    assert f'href="http://localhost{forum.url}{thread.url_part}"' in html
    assert '<span class="w-status">Community</span>' in html
    assert html.count('/edit/">Edit article</a>') == 1  # the article's; a thread is no page
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[thread.pk])}"' not in html


def test_a_thread_whose_id_is_an_article_id_is_not_read_as_that_page(
    contact_page, forum, board, asker, answerer, make_article, store_submission, suggestion_for
):
    article = make_article("How do I replace the nose pads?", short_answer="Pull and click.")
    if connection.vendor == "postgresql":  # its sequences do not roll back with a test
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                           [Thread._meta.db_table, article.pk])
    thread = posting.start_thread(board, asker, "Nose pads press", "They leave marks.")
    while thread.pk < article.pk:  # threads until one has the article's id
        thread = posting.start_thread(board, asker, f"Nose pads press ({thread.pk})", "Marks.")
    assert thread.pk == article.pk and Page.objects.filter(pk=thread.pk).exists()
    posting.accept(posting.reply(thread, answerer, "Bend them a little wider."), asker)
    submission = store_submission(
        contact_page,
        suggestions=[suggestion_for(article, 0.9), thread_suggestion(thread, 0.5)],
        opened=[article.pk],
    )

    first, second = notifications.answers_for(submission)
    assert (first.title, first.short_answer, first.opened, first.exists) == (
        "How do I replace the nose pads?", "Pull and click.", True, True)
    assert first.url == article.get_full_url() and first.source_label == ""
    assert (second.title, second.short_answer, second.opened, second.exists) == (
        thread.title, "", False, False)
    assert second.live and second.source_label == "Community"
    assert second.url == "http://localhost" + forum.url + thread.url_part

    Thread.objects.filter(pk=thread.pk).update(state=PostState.HIDDEN)
    hidden = notifications.answers_for(submission)[1]
    assert not hidden.live and hidden.title == thread.title  # as stored, not the page's

    from contactform.replies import answer_blocks

    assert [block.id for block in answer_blocks(submission)] == [article.pk]


def test_this_answers_my_question_on_a_thread_counts_as_a_deflection(
    customer, contact_page, answers, admin_user
):
    deflect_url = contact_page.url + contact_page.reverse_subpage("deflect")
    response = customer.post(
        deflect_url, {"article": answers["solved"].pk, "source": "community"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.json()["ok"] is True
    for other in ("unsolved", "hidden"):
        refused = customer.post(
            deflect_url, {"article": answers[other].pk, "source": "community"},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert refused.status_code == 400
    customer.post(deflect_url, {"article": answers["article"].pk, "source": "articles"},
                  HTTP_X_REQUESTED_WITH="fetch")
    # Without JavaScript ("This solved it"): the thank-you page leads back to the thread; the
    # same answer is counted once per visitor.
    page = customer.post(deflect_url, {"article": answers["solved"].pk, "source": "community"})
    assert f'href="{thread_url(answers["solved"])}"' in page.content.decode()

    assert sorted(Deflection.objects.values_list("source", "article_id", "article_title")) == [
        ("", answers["article"].pk, "Which lens coating is best?"),
        ("community", None, "Lens coating for night driving"),
    ]
    client = client_for(admin_user)
    rate = client.get(reverse("contactform_reports:deflection_rate"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(rate.streaming_content).decode())))
    assert rows[1][1] == "2"  # both questions were solved without a message
    articles = client.get(reverse("contactform_reports:deflecting_articles"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(articles.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["Which lens coating is best?"]


@pytest.mark.django_db(transaction=True)
def test_a_thread_that_answers_better_than_the_third_article_takes_its_place(
    make_article, board, asker, answerer, django_capture_on_commit_callbacks
):
    from search.suggestions import suggest

    with django_capture_on_commit_callbacks(execute=True):  # the index queue
        for title in ("How do I clean my glasses?", "Which glasses case protects best?",
                      "Can I wear my glasses in the rain?"):
            make_article(title, short_answer="Glasses care tips from our opticians.")
        fog = posting.start_thread(board, asker, "Glasses fog up with a face mask",
                                   "My glasses fog up with a face mask on the train.")
        posting.accept(posting.reply(fog, answerer, "Press the mask's wire over your nose."),
                       asker)
    found = suggest("My glasses fog up when I wear a face mask on the train", "en")
    assert [s.source for s in found] == ["articles", "articles", "community"]
    assert found[-1].result.pk == fog.pk
    # With the thread still unsolved, the third article keeps its place.
    Thread.objects.filter(pk=fog.pk).update(accepted_post=None)
    assert [s.source for s in suggest("My glasses fog up with a face mask", "en")] == [
        "articles", "articles", "articles"]
