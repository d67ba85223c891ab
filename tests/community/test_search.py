"""Threads in the help search: indexed through the single-writer queue, ranked, marked, filtered,
and suggested while a member writes a question."""

import pytest
from django.test import Client

from community import posting
from community.models import Post, PostState, Thread
from contactform.models import Deflection
from search import service
from tests.helpers import client_for

from .fixtures import BROWSER


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what happens after commit (the index queue), as outside a test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def community_hits(query, language="en"):
    return [r for r in service.search(query, language).results if r.model == "community.thread"]


def test_a_thread_is_found_with_its_accepted_answer(forum, board, asker, answerer, after_commit):
    with after_commit():
        thread = posting.start_thread(board, asker, "Temples leave red marks behind my ears",
                                      "After two hours the temples hurt.")
    assert [r.pk for r in community_hits("temples hurt ears")] == [thread.pk]
    with after_commit():
        answer = posting.reply(thread, answerer, "An optician can bend the temple tips warm.")
        posting.accept(answer, asker)
    hit = community_hits("optician bend warm")[0]
    assert hit.pk == thread.pk
    assert hit.url == forum.url + thread.url_part
    assert hit.category == "Frames & fit"
    assert hit.short_answer.startswith("An optician can bend")


def test_solved_threads_rank_above_unsolved(board, asker, answerer, after_commit):
    with after_commit():
        unsolved = posting.start_thread(board, asker, "Hinge screw keeps loosening",
                                        "The hinge screw keeps loosening every week.")
        solved = posting.start_thread(board, answerer, "Hinge screw keeps loosening again",
                                      "The hinge screw keeps loosening every week.")
        posting.accept(posting.reply(solved, asker, "A drop of screw glue."), answerer)
    assert [r.pk for r in community_hits("hinge screw loosening")][:2] == [solved.pk, unsolved.pk]


def test_deleted_and_hidden_content_leaves_the_index(board, asker, answerer, after_commit):
    with after_commit():
        thread = posting.start_thread(board, asker, "Anti-reflective coating smudges",
                                      "Smudges on the coating all day.")
        answer = posting.reply(thread, answerer, "Use the microfibre spray once a week.")
        posting.accept(answer, asker)
    assert community_hits("microfibre spray")
    with after_commit():
        posting.delete_post(answer, answerer)
    assert community_hits("microfibre spray") == []
    assert community_hits("coating smudges")
    with after_commit():
        Thread.objects.filter(pk=thread.pk).update(state=PostState.HIDDEN)
        posting.reindex([thread.pk])
    assert community_hits("coating smudges") == []


def test_search_page_marks_and_filters_community_results(forum, board, asker, make_article,
                                                         after_commit):
    with after_commit():
        make_article(title="How do I clean my lenses?",
                     short_answer="Rinse the lenses with lukewarm water.")
        posting.start_thread(board, asker, "Cleaning lenses with alcohol wipes?",
                             "Are alcohol wipes safe for cleaning lenses?")
    client = Client(HTTP_USER_AGENT=BROWSER)
    everything = client.get("/en/search/?q=cleaning+lenses").content.decode()
    assert 'hc-source-badge--community">Community</span>' in everything
    assert "Cleaning lenses with alcohol wipes?" in everything
    assert "How do I clean my lenses?" in everything
    only_forum = client.get("/en/search/?q=cleaning+lenses&in=community").content.decode()
    assert "Cleaning lenses with alcohol wipes?" in only_forum
    assert "How do I clean my lenses?" not in only_forum
    only_articles = client.get("/en/search/?q=cleaning+lenses&in=articles").content.decode()
    assert "Cleaning lenses with alcohol wipes?" not in only_articles


def test_contact_form_suggests_solved_threads_after_the_articles(
    forum, board, asker, answerer, make_article, after_commit
):
    with after_commit():
        article = make_article(title="Which lens coating is best?",
                               short_answer="Our anti-reflective coating suits most wearers.")
        solved = posting.start_thread(board, asker, "Lens coating for night driving",
                                      "Which lens coating helps night driving?")
        posting.accept(posting.reply(solved, answerer, "The blue-light coating."), asker)
        unsolved = posting.start_thread(board, answerer, "Lens coating for night driving?",
                                        "Which lens coating helps with night driving?")
        hidden = posting.start_thread(board, answerer, "Night driving lens coating",
                                      "Which coating for night driving lenses?")
        posting.accept(posting.reply(hidden, asker, "Ask your optician."), answerer)
    Thread.objects.filter(pk=hidden.pk).update(state=PostState.HIDDEN)  # not yet unindexed
    everything = [(r.model, r.pk) for r in service.search("lens coating night driving", "en")
                  .results]
    assert ("community.thread", unsolved.pk) in everything  # found, but no answer
    assert ("community.thread", hidden.pk) in everything  # the index does not know yet
    # The thread repeats the words more closely, yet an article is suggested first.
    assert everything.index(("community.thread", solved.pk)) < everything.index(
        ("faq.articlepage", article.pk))
    data = Client().post("/en/search/api/suggest/?source=contact&draft=1", {
        "q": "lens coating night driving", "limit": "3"}).json()
    assert [(r["source"], r["id"]) for r in data["results"]] == [
        ("articles", article.pk), ("community", solved.pk)]
    assert data["results"][1]["url"] == forum.url + solved.url_part
    assert data["results"][0]["confidence"] >= data["results"][1]["confidence"]
    composer = Client().get("/en/search/api/suggest/", {
        "q": "lens coating night driving", "sources": "community,articles", "draft": "1",
    }).json()
    assert {(r["source"], r["id"]) for r in composer["results"]} == {
        ("articles", article.pk), ("community", solved.pk)}


def test_without_javascript_post_first_shows_suggestions(forum, board, asker, answerer,
                                                         after_commit):
    with after_commit():
        solved = posting.start_thread(board, answerer, "Frame slides down my nose",
                                      "My frame slides down my nose all the time.")
        posting.accept(posting.reply(solved, asker, "Ask for ear grips."), answerer)
        posting.start_thread(board, answerer, "Frame slides down when I sweat",
                             "The frame slides down my nose when I sweat.")  # unsolved
    client = client_for(asker)
    data = {"board": board.pk, "kind": "question", "title": "My frame slides down my nose",
            "text": "Whenever I look down the frame slides."}
    response = client.post(f"{forum.url}new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Post anyway" in body
    assert "Frame slides down my nose" in body
    assert "Frame slides down when I sweat" not in body  # not solved: not suggested
    assert Thread.objects.count() == 2
    response = client.post(f"{forum.url}new/", {**data, "action": "post_anyway"})
    assert response.status_code == 302
    assert Thread.objects.filter(title="My frame slides down my nose").exists()


def test_this_answers_my_question_counts_a_deflection(forum, board, asker, answerer,
                                                      make_article):
    article = make_article(title="Lens sizes")
    thread = posting.start_thread(board, answerer, "Lens width 52 or 54?", "Which fits?")
    client = client_for(asker)
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    for _twice in range(2):
        client.post(f"{forum.url}deflect/", {"kind": "article", "pk": article.pk})
    response = client.post(f"{forum.url}deflect/", {"kind": "thread", "pk": thread.pk},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["ok"] is True
    rows = Deflection.objects.filter(page=forum).order_by("pk")
    assert [(d.article_id, d.article_title) for d in rows] == [
        (article.pk, "Lens sizes"), (None, "Lens width 52 or 54?")]


def test_a_missing_answer_is_not_counted(forum, asker):
    client = client_for(asker)
    response = client.post(f"{forum.url}deflect/", {"kind": "thread", "pk": 999},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400
    assert not Deflection.objects.exists()
    assert not Post.objects.exists()


def test_a_language_without_threads_still_searches_the_index(make_article, after_commit):
    """The forum's index of a language exists only once a thread is written there: until then
    articles are searched in the index as before, not in the database fallback."""
    with after_commit():
        make_article(title="Where is my parcel?", short_answer="Follow the tracking link.")
    response = service.search("parcel tracking", "en")
    assert response.fallback is False
    assert [r.title for r in response.results] == ["Where is my parcel?"]


def test_unsolved_threads_fade_after_months_without_activity(board, asker, answerer, settings,
                                                             after_commit):
    from django.utils import timezone

    from community.ranking import thread_weights

    settings.HELPCENTER_COMMUNITY_STALE_AFTER_MONTHS = 6
    with after_commit():
        old = posting.start_thread(board, asker, "Lens scratches after cleaning",
                                   "My lenses scratch after cleaning them.")
        fresh = posting.start_thread(board, answerer, "Lens scratches after cleaning them",
                                     "My lenses scratch after cleaning them.")
    Thread.objects.filter(pk=old.pk).update(
        last_activity_at=timezone.now() - timezone.timedelta(days=200))
    assert thread_weights([old.pk, fresh.pk]) == {old.pk: 0.8 * 0.5, fresh.pk: 0.8}
    assert [r.pk for r in community_hits("lenses scratch cleaning")] == [fresh.pk, old.pk]
    Thread.objects.filter(pk=fresh.pk).update(
        last_activity_at=timezone.now() - timezone.timedelta(days=1))
    settings.HELPCENTER_COMMUNITY_STALE_AFTER_MONTHS = 0
    assert thread_weights([old.pk]) == {old.pk: 0.8}
