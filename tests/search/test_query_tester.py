"""The admin query tester: `search.explanation.explain` and the view that shows it."""

import html
import re
import shutil
from urllib.parse import urlencode

import pytest
from django.conf import settings
from haystack import connections

from search.explanation import SynonymRule, TypoCorrection, explain, query_expression
from search.models import SearchSettings, Synonym
from search.query import Alternative, plan_query
from tests.helpers import client_for

URL = "/admin/help-search/query-tester/"
RETURNS_DE = "Wie funktioniert die Rückgabe und Erstattung?"
NOSE_PADS_DE = "Wie tausche ich die Nasenpads aus?"
# Two stop words, a typo ("funktionirt"), an umlaut and a synonym ("Zurückschicken").
GERMAN_QUERY = "Wie funktionirt das Zurückschicken?"


@pytest.fixture
def send_back(locale_de):
    return Synonym.objects.create(locale=locale_de, line="Zurückschicken, Rückgabe, Retoure")


def open_tester(client, **params):
    return client.get(f"{URL}?{urlencode(params)}")


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# --- explain ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_explain_keeps_every_step_of_a_german_query(indexed, send_back):
    explanation = explain(GERMAN_QUERY, "de")

    assert explanation.language == "de"
    assert explanation.normalised == "wie funktionirt das zuruckschicken?"
    assert [(t.normalised, t.stopword) for t in explanation.words] == [
        ("wie", True),
        ("funktionirt", False),
        ("das", True),
        ("zuruckschicken", False),
    ]
    assert [(t.normalised, t.stem) for t in explanation.words if not t.stopword] == [
        ("funktionirt", "funktionirt"),
        ("zuruckschicken", "zuruckschick"),
    ]
    assert explanation.corrections == [
        TypoCorrection("funktionirt", "funktioniert", distance=1, documents=1)
    ]
    assert {(use.source, use.terms) for use in explanation.synonyms} == {
        ("zuruckschick", ("ruckgab",)),
        ("zuruckschick", ("retour",)),
    }
    for use in explanation.synonyms:
        assert use.rules == (SynonymRule(send_back.pk, send_back.line),)
    assert explanation.expression == (
        "(funktionirt OR funktioniert^0.9) OR "
        "(zuruckschick OR zuruck^0.45 OR schick^0.45 OR ruckgab^0.8 OR retour^0.8)"
    )
    assert explanation.response.did_you_mean == "funktioniert zuruckschicken"
    assert explanation.popularity_weight == SearchSettings.current().popularity_weight
    assert not explanation.truncated and not explanation.ignored_words


@pytest.mark.django_db
def test_explain_says_which_words_each_result_matched(indexed, send_back):
    first, *others = explain(GERMAN_QUERY, "de").results

    assert first.rank == 1 and first.result.title == RETURNS_DE
    assert [(w.word, [a.terms for a in w.matched]) for w in first.words] == [
        ("funktionirt", [("funktioniert",)]),  # the correction, not the typo
        ("zuruckschicken", [("zuruck",), ("ruckgab",), ("retour",)]),  # a part and synonyms
    ]
    assert first.missing_words == []
    for other in others:
        assert other.result.score <= first.result.score
        assert other.missing_words  # a weaker result lacks at least one of the words


@pytest.mark.django_db
def test_explain_names_only_active_rules_and_every_rule_behind_an_expansion(indexed, locale_de):
    one_way = Synonym.objects.create(locale=locale_de, line="Gummi -> Nasenpad")
    both_ways = Synonym.objects.create(locale=locale_de, line="Gummi, Nasenpad, Nasenauflage")
    Synonym.objects.create(locale=locale_de, line="Gummi -> Etui", active=False)

    explanation = explain("Gummi", "de")

    by_terms = {use.terms: use for use in explanation.synonyms}
    assert set(by_terms) == {("nasenpad",), ("nasenauflag",)}
    assert [rule.pk for rule in by_terms[("nasenpad",)].rules] == [one_way.pk, both_ways.pk]
    assert [rule.pk for rule in by_terms[("nasenauflag",)].rules] == [both_ways.pk]
    assert explanation.results[0].result.title == NOSE_PADS_DE


@pytest.mark.django_db
def test_explain_shows_compound_parts_and_hyphen_joins(indexed):
    explanation = explain("Brillenetui E-Mail", "de")
    assert {(t.normalised, t.kind) for t in explanation.extra_terms} == {
        ("brille", "part"),
        ("etui", "part"),
        ("email", "joined"),
    }


@pytest.mark.django_db
def test_explain_narrows_to_a_category(indexed):
    returns = indexed[RETURNS_DE].get_parent()
    explanation = explain("Brille", "de", category_ids=[returns.pk])
    assert explanation.results
    assert {row.result.category_id for row in explanation.results} == {returns.pk}


@pytest.mark.django_db
def test_explain_takes_any_text(indexed):
    for text in ["", "   ", "\x00", "!!!", "\u200b\u202e", "<script>", "a" * 10_000, "wort " * 100]:
        explanation = explain(text, "de")
        assert explanation.truncated == (len(text.strip()) > explanation.max_length), text[:20]
        assert len(explanation.normalised) <= explanation.max_length


@pytest.mark.django_db
def test_explain_lists_the_words_a_long_message_leaves_out(indexed, editor):
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
    words += "november oscar papa quebec romeo sierra tango uniform victor whiskey xray"
    explanation = explain(words, "en")
    searched = [group.word for group in explanation.plan.groups]
    assert len(searched) == explanation.max_words < len(words.split())
    assert sorted(searched + explanation.ignored_words) == sorted(words.split())
    assert explain("pads " * 30, "en").ignored_words == []  # repeats count once

    page = text_of(open_tester(client_for(editor), q=words, locale="en"))
    assert f"at most {explanation.max_words} different words" in page
    assert "Left out: " + ", ".join(explanation.ignored_words) in page


def test_query_expression_writes_weights_and_phrases():
    plan = plan_query("nose rubber", "en")
    plan.groups[1].add(Alternative(("nose", "pad"), 0.8, "synonym", "rubber"))
    assert query_expression(plan) == "nose OR (rubber OR (nose AND pad)^0.8)"


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_every_step_and_the_ranked_results(indexed, send_back, editor):
    response = open_tester(client_for(editor), q=GERMAN_QUERY, locale="de")
    assert response.status_code == 200
    page = text_of(response)

    assert "wie funktionirt das zuruckschicken?" in page  # normalised
    assert "wie stop word funktionirt das stop word zuruckschicken" in page  # words
    assert "zuruckschicken zuruckschick word" in page  # stem
    assert "funktionirt funktioniert 1 1" in page  # typo, edit distance, documents
    assert f"zuruckschick ruckgab 0.80 {send_back.line}" in page  # synonym and its rule
    assert "(funktionirt OR funktioniert^0.9) OR (zuruckschick OR zuruck^0.45" in page
    assert "score = (1 − 0.15) × relevance + 0.15 × popularity" in page
    assert "Did you mean funktioniert zuruckschicken ?" in page
    assert "1 result for “Wie funktionirt das Zurückschicken?” in German" in page
    assert f"1 {RETURNS_DE} View live Rücksendung funktionirt → funktioniert typo" in page

    body = response.content.decode()
    article = indexed[RETURNS_DE]
    assert f'href="/admin/pages/{article.pk}/edit/"' in body  # edit the result
    assert f'href="{article.url}"' in body  # view it live
    assert f'href="/admin/snippets/search/synonym/edit/{send_back.pk}/"' in body  # the rule
    assert 'href="?q=funktioniert+zuruckschicken&amp;locale=de"' in body  # did you mean


@pytest.mark.django_db
def test_a_compound_with_a_typo_in_one_part_is_shown_with_its_parts(indexed, editor):
    explanation = explain("Rückgabeerstatung", "de")
    assert explanation.corrections == [
        TypoCorrection(
            "ruckgabeerstatung",
            "ruckgabeerstattung",
            distance=1,
            documents=0,  # the reading itself is no index word; its parts are
            parts=(("ruckgabe", 1), ("erstattung", 1)),
        )
    ]
    page = text_of(open_tester(client_for(editor), q="Rückgabeerstatung", locale="de"))
    assert (
        "ruckgabeerstatung ruckgabeerstattung searched as its parts: "
        "ruckgabe (1) + erstattung (1) 1 –"
    ) in page


def test_the_page_shows_the_editors_popularity_weight(indexed, editor):
    settings_row = SearchSettings.current()
    settings_row.popularity_weight = 0.4
    settings_row.save()
    page = text_of(open_tester(client_for(editor), q="Brille", locale="de"))
    assert "score = (1 − 0.40) × relevance + 0.40 × popularity" in page


@pytest.mark.django_db
def test_a_category_of_the_language_narrows_the_results(indexed, editor):
    client = client_for(editor)
    returns = indexed[RETURNS_DE].get_parent()
    page = text_of(open_tester(client, q="Brille", locale="de", category=returns.pk))
    assert RETURNS_DE in page
    assert "Wie reinige ich meine Brille?" not in page
    assert "Wie reinige ich meine Brille?" in text_of(open_tester(client, q="Brille", locale="de"))

    english = indexed["Where is my parcel?"].get_parent()
    response = open_tester(client, q="Brille", locale="de", category=english.pk)
    assert response.status_code == 200
    assert "This category is not in the chosen language: choose one of German." in text_of(response)


@pytest.mark.django_db
def test_the_form_offers_the_sites_languages_and_categories(indexed, editor):
    body = client_for(editor).get(URL).content.decode()
    assert '<option value="de">German</option>' in body
    assert '<option value="en" selected>English</option>' in body
    german, english = indexed[RETURNS_DE].get_parent(), indexed["Where is my parcel?"].get_parent()
    # English is chosen: German categories are there for the switch but neither shown nor chosen.
    assert (f'<option value="{german.pk}" data-language="de" hidden disabled>Rücksendung</option>'
            in body)
    assert f'<option value="{english.pk}" data-language="en">Shipping</option>' in body
    assert "results for" not in body  # nothing is run before a query is sent

    body = open_tester(client_for(editor), q="Brille", locale="de").content.decode()
    assert f'<option value="{german.pk}" data-language="de">Rücksendung</option>' in body
    assert (f'<option value="{english.pk}" data-language="en" hidden disabled>Shipping</option>'
            in body)


@pytest.mark.django_db
def test_the_query_is_escaped(locale_en, editor):
    body = open_tester(
        client_for(editor), q='<script>alert(1)</script> "><img src=x>', locale="en"
    ).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
def test_hostile_queries_get_a_clear_message(locale_de, editor):
    client = client_for(editor)
    for query, message in [
        ("", "Type a query to test."),
        ("   ", "Type a query to test."),
        ("a" * 10_000, "This query has 10000 characters; test queries may have up to 400."),
        ("Brille\x00", "The query contains a NUL character"),
        ("!!! ???", "This query has no letters or digits to search for"),
        ("Brille " * 40, "The search reads only the first 200 characters of a query"),
    ]:
        response = open_tester(client, q=query, locale="de")
        assert response.status_code == 200
        assert message in text_of(response), query[:20]


@pytest.mark.django_db
def test_an_unknown_language_is_a_form_error(locale_de, editor):
    response = open_tester(client_for(editor), q="Brille", locale="xx")
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


@pytest.mark.django_db
def test_a_missing_index_is_explained(indexed, editor):
    connections["default"].get_backend().reset()
    shutil.rmtree(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    page = text_of(open_tester(client_for(editor), q="Nasenpads", locale="de"))
    assert "these results come from the database fallback" in page
    assert NOSE_PADS_DE in page


# --- who may use it ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_superusers_and_editors_may_test_queries(indexed, admin_client, editor):
    for client in (admin_client, client_for(editor)):
        response = open_tester(client, q="Nasenpads", locale="de")
        assert response.status_code == 200
        assert NOSE_PADS_DE in text_of(response)


@pytest.mark.django_db
def test_users_without_the_permission_are_refused(admin_only_user):
    client = client_for(admin_only_user)
    response = open_tester(client, q="Nasenpads", locale="de")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "do not have permission" in text_of(client.get(response["Location"]))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = open_tester(client, q="Nasenpads", locale="de")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_menu_offers_the_tester_under_help_search_with_the_permission(
    admin_client, editor, admin_only_user
):
    for client in (admin_client, client_for(editor)):
        body = client.get("/admin/").content.decode()
        assert "Query tester" in body and URL in body
    assert "Query tester" not in client_for(admin_only_user).get("/admin/").content.decode()


def test_each_result_shows_its_rank_by_words_and_by_meaning(indexed, editor):
    response = open_tester(client_for(editor), q="Nasenpads abgefallen", locale="de")
    body = response.content.decode()
    row = re.search(rf"{re.escape(NOSE_PADS_DE)}.*?</tr>", body, re.S).group()
    lexical = re.search(r"data-lexical>([^<]*)<", row).group(1)
    dense = re.search(r"data-dense>([^<]*)<", row).group(1)
    assert re.fullmatch(r"1 \(\d+[.,]\d\d\)", lexical), lexical
    assert re.fullmatch(r"\d+ \(0[.,]\d{3}\)", dense), dense
    assert "Words: rank (score)" in body and "Meaning: rank (cosine)" in body
    assert "relevance = 0.40 × words + 0.60 × meaning" in text_of(response)
    assert "Semantic search is off" not in body


def test_the_tester_says_when_semantic_search_is_off(indexed, editor, words_only):
    response = open_tester(client_for(editor), q="Nasenpads", locale="de")
    assert "Semantic search is off: results are ranked by their words only." in text_of(response)
    assert "HELPCENTER_SEARCH_SEMANTIC is False." in text_of(response)
