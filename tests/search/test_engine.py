"""The help search end to end: index updates through the queue, query understanding, ranking."""

import shutil

import pytest
from django.conf import settings
from haystack import connections

from search import service
from search.models import IndexOperation, Synonym

NOSE_PADS_EN = "How do I replace the nose pads?"
NOSE_PADS_DE = "Wie tausche ich die Nasenpads aus?"
RETURNS_DE = "Wie funktioniert die Rückgabe und Erstattung?"


def titles(text, locale, **kwargs):
    return [result.title for result in service.search(text, locale, **kwargs).results]


def test_publishing_indexes_and_the_queue_empties(indexed):
    assert not IndexOperation.objects.exists()
    assert titles("nose pads", "en")[0] == NOSE_PADS_EN
    assert titles("Nasenpads", "de")[0] == NOSE_PADS_DE


def test_languages_do_not_mix(indexed):
    assert NOSE_PADS_DE not in titles("nasenpads", "en")
    assert NOSE_PADS_EN not in titles("nose pads", "de")


@pytest.mark.parametrize("query", ["Rückgabe", "Ruckgabe", "Rueckgabe", "RÜCKGABE", "rückgaben"])
def test_umlauts_meet(indexed, query):
    assert titles(query, "de")[0] == RETURNS_DE


@pytest.mark.parametrize(
    ("query", "locale", "expected"),
    [
        ("noze paads", "en", NOSE_PADS_EN),
        ("replcae nose pad", "en", NOSE_PADS_EN),
        ("Nasenpdas tauschen", "de", NOSE_PADS_DE),
        ("Sendungsverfolgnug", "de", "Wo ist mein Paket?"),
        ("refnud", "en", "How do I return my order and get a refund?"),
    ],
)
def test_typos_are_forgiven(indexed, query, locale, expected):
    response = service.search(query, locale)
    assert response.results[0].title == expected
    assert response.did_you_mean


def test_existing_words_are_not_corrected(indexed):
    response = service.search("parcel", "en")
    assert response.plan.corrections == {}
    assert response.results[0].title == "Where is my parcel?"


def test_synonyms_from_the_admin_are_used(indexed, locale_de):
    assert titles("gummi", "de") == []
    Synonym.objects.create(locale=locale_de, line="Gummi -> Nasenpad")
    assert titles("gummi", "de")[0] == NOSE_PADS_DE
    assert NOSE_PADS_DE in titles("gummi an der brille kaputt", "de")[:2]
    assert titles("nasenpad", "de")[0] == NOSE_PADS_DE  # one-way: no "gummi" the other way


def test_multi_way_synonyms(indexed, locale_en):
    Synonym.objects.create(locale=locale_en, line="parcel, package, shipment")
    assert titles("package", "en")[0] == "Where is my parcel?"


def test_natural_language_questions(indexed):
    assert titles("my parcel has not arrived yet, where is it right now?", "en")[0] == (
        "Where is my parcel?"
    )
    assert titles("Ich möchte meine Brille zurückschicken und mein Geld wiederhaben", "de")[
        0
    ] == RETURNS_DE


def test_compounds_match_their_parts(indexed):
    # The returns article says "Brillenetui" only; "Etui" is known from the cleaning article.
    assert RETURNS_DE in titles("Etui", "de")
    assert "Wie reinige ich meine Brille?" in titles("Brillenetui", "de")


def test_documents_matching_more_words_rank_first(indexed):
    results = titles("broken glasses complaint", "en")
    assert results[0] == "My glasses are broken - how do I file a complaint?"


def test_unpublished_and_deleted_articles_disappear(indexed, committed):
    with committed():
        indexed[NOSE_PADS_EN].unpublish()
    assert NOSE_PADS_EN not in titles("nose pads", "en")
    with committed():
        indexed["Where is my parcel?"].delete()
    assert "Where is my parcel?" not in titles("parcel tracking", "en")
    assert not IndexOperation.objects.exists()


def test_restricted_articles_leave_the_index_and_return_when_lifted(indexed, committed):
    from wagtail.models import PageViewRestriction

    category = indexed["Where is my parcel?"].get_parent()
    with committed():
        restriction = PageViewRestriction.objects.create(page=category, restriction_type="login")
    assert "Where is my parcel?" not in titles("parcel tracking", "en")
    with committed():
        restriction.delete()
    assert "Where is my parcel?" in titles("parcel tracking", "en")


def test_category_filter(indexed):
    category_id = indexed["Where is my parcel?"].get_parent().pk
    filtered = service.search("parcel glasses return", "en", category_ids=[category_id])
    assert [r.title for r in filtered.results] == ["Where is my parcel?"]


def test_missing_index_falls_back_to_the_database(indexed, caplog):
    connections["default"].get_backend().reset()
    shutil.rmtree(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    response = service.search("nose pads", "en")
    assert response.fallback
    assert response.results[0].title == NOSE_PADS_EN
    assert "rebuild_index" in caplog.text


@pytest.mark.parametrize("query", ["", "   ", "\x00", "()", "*", '"', "\\", "\u200b\u202e"])
def test_empty_queries_find_nothing(indexed, query):
    response = service.search(query, "en")
    assert response.plan.is_empty and response.results == []


def test_apply_accepts_integer_and_string_ids(indexed):
    from search import indexing

    page = indexed["Where is my parcel?"]
    indexing.apply("faq.articlepage", [page.pk])
    indexing.apply("faq.articlepage", [str(page.pk)])
    assert titles("parcel", "en")[0] == "Where is my parcel?"


def test_shown_results_know_which_query_words_they_contain(indexed):
    first = service.search("broken glasses complaint", "en").results[0]
    assert first.matched >= {"broken", "glass", "complaint"}
    assert first.coverage == 1.0
    partial = service.search("parcel complaint", "en").results
    assert {r.title: r.coverage for r in partial}["Where is my parcel?"] == 0.5


def test_autocomplete_asks_only_sources_that_offer_completions(indexed, monkeypatch):
    from search import registry

    articles = registry.sources(["articles"])[0]
    forum = registry.SearchSource(name="forum", model_label=articles.model_label, label="Forum")
    monkeypatch.setitem(registry._sources, "forum", forum)
    asked = []
    original = service._run

    def run(plan, sources, **kwargs):
        asked.append([source.name for source in sources])
        return original(plan, sources, **kwargs)

    monkeypatch.setattr(service, "_run", run)
    assert service.autocomplete("where is my parc", "en")
    service.search("where is my parcel", "en")
    assert asked == [["articles"], [source.name for source in registry.sources()]]
    assert "forum" in asked[1]


def test_autocomplete_marks_typed_words_whole_and_completed_ones_not(indexed):
    glasses, *_rest = service.autocomplete("glases brok", "en")
    assert glasses.title == "My glasses are broken - how do I file a complaint?"
    assert "<mark>glasses</mark>" in glasses.highlight  # the typo's correction, a whole word
    assert "<mark>broken</mark>" not in glasses.highlight  # completed from "brok"
    typed, *_rest = service.autocomplete("glases broken ", "en")
    assert "<mark>broken</mark>" in typed.highlight


def test_autocomplete_completes_titles_not_body_text(indexed):
    # "DHL" appears only in the body of the parcel article: search finds it, autocomplete does not.
    assert "Where is my parcel?" in titles("DHL", "en")
    assert service.autocomplete("DHL", "en") == []
    assert [r.title for r in service.autocomplete("where is my parc", "en")][0] == (
        "Where is my parcel?"
    )
