"""The recurring questions report: similar threads grouped by meaning or by words, the article that
may already answer them, and its actions (link, mark as duplicates, dismiss, promote)."""

import pytest
from django.urls import reverse

from community import posting, recurring
from community.models import Thread, ThreadArticle
from search import encoders
from tests.helpers import client_for

NOSE_PADS = [
    ("My nose pads press after a week", "They leave red marks on my nose."),
    ("Nose pads hurt after an hour", "The pads press on my nose, what can I do?"),
    ("Pads press on my nose", "Nose pads leave marks after wearing."),
]
OTHERS = [
    ("How do I return my order?", "I want to send the parcel back."),
    ("Anti-reflective coating smudges", "Smudges on the coating all day."),
]


@pytest.fixture
def words_only(settings):
    settings.HELPCENTER_COMMUNITY_RECURRING_CACHE_SECONDS = 60
    settings.HELPCENTER_SEARCH_SEMANTIC = False
    encoders.reset()
    yield
    encoders.reset()


@pytest.fixture
def questions(board, make_member, answerer):
    threads = {}
    for title, text in NOSE_PADS + OTHERS:
        threads[title] = posting.start_thread(board, make_member(), title, text)
    solved = threads[NOSE_PADS[0][0]]
    posting.accept(posting.reply(solved, answerer, "Ask the optician to bend the pad arms."),
                   solved.author)
    return threads


def titles(cluster):
    return sorted(thread.title for thread in cluster.threads)


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """The search's index writer stores the threads' documents and passage vectors."""
    with django_capture_on_commit_callbacks(execute=True):
        posting.reindex(Thread.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("meaning", [True, False], ids=["semantic", "lexical"])
def test_similar_questions_form_one_cluster(meaning, questions, indexed, settings):
    settings.HELPCENTER_SEARCH_SEMANTIC = meaning
    encoders.reset()
    try:
        found = recurring.compute("en")
    finally:
        encoders.reset()
    assert [titles(cluster) for cluster in found] == [sorted(title for title, _ in NOSE_PADS)]
    cluster = found[0]
    assert cluster.similarity == ("semantic" if meaning else "lexical")
    assert cluster.count == 3
    assert cluster.solved_count == 1
    assert cluster.newest == max(thread.created_at for thread in cluster.threads)
    assert cluster.best_solved.title == NOSE_PADS[0][0]


def test_a_thread_without_vectors_is_compared_by_its_words(questions):
    assert not recurring.indexed_vectors(list(Thread.objects.all()), "en")  # none stored
    assert [titles(cluster) for cluster in recurring.compute("en")] == [
        sorted(title for title, _ in NOSE_PADS)]


def test_an_article_that_answers_the_cluster_is_named(questions, make_article, words_only,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Nose pads press on my nose",
                               short_answer="An optician bends the pad arms so pads press less.")
    cluster = recurring.compute("en")[0]
    assert cluster.article_id == article.pk
    assert 0 < cluster.confidence <= 1


def test_the_report_is_bounded(questions, settings, words_only):
    settings.HELPCENTER_COMMUNITY_RECURRING_MAX_THREADS = 2
    assert len(recurring.candidates("en")) == 2
    settings.HELPCENTER_COMMUNITY_RECURRING_MAX_THREADS = 300
    settings.HELPCENTER_COMMUNITY_RECURRING_MAX_CLUSTERS = 0
    assert recurring.compute("en") == []


def test_report_page_and_actions(questions, editor, moderator, make_article, words_only,
                                 django_user_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Nose pads press on my nose",
                               short_answer="An optician bends the pad arms so pads press less.")
    client = client_for(editor)
    page = client.get(reverse("community_recurring:report")).content.decode()
    assert "Recurring forum questions" in page
    assert NOSE_PADS[2][0] in page and "1 of 3" in page  # the newest thread leads
    assert "Nose pads press on my nose (" in page  # the article and its confidence
    assert "/promote/" in page
    assert "Mark as duplicates" not in page  # editors do not moderate the forum
    key = recurring.clusters("en")[0].key
    refused = client.post(reverse("community_recurring:duplicates"), {"cluster": key})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community_recurring:link"), {"cluster": key,
                                                                       "language": "en"})
    assert response.status_code == 302
    assert ThreadArticle.objects.filter(article=article).count() == 3
    assert recurring.clusters("en") == []  # answered threads leave the report


def test_duplicates_and_dismiss(questions, words_only, django_user_model,
                                django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client = client_for(admin)
    key = recurring.clusters("en")[0].key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community_recurring:duplicates"), {"cluster": key,
                                                                "language": "en"})
    canonical = questions[NOSE_PADS[0][0]]
    duplicates = Thread.objects.filter(duplicate_of=canonical)
    assert sorted(duplicates.values_list("title", flat=True)) == sorted(
        title for title, _ in NOSE_PADS[1:])
    assert recurring.clusters("en") == []
    Thread.objects.update(duplicate_of=None)
    recurring.forget()
    key = recurring.clusters("en")[0].key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community_recurring:dismiss"), {"cluster": key, "language": "en"})
    assert Thread.objects.filter(left_out_of_reports=True).count() == 3
    assert recurring.clusters("en") == []
    stale = client.post(reverse("community_recurring:dismiss"), {"cluster": key})
    assert stale.status_code == 302
