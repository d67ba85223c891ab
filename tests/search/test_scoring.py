"""search.backends.scoring: BM25F over cached posting arrays ranks exactly as Whoosh's own
OR query does, respects deletions, category filters and deadlines, and keeps its cache per
segment."""

import math
import time

import pytest
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from search.backends import scoring
from search.backends.scoring import (
    Clause,
    PostingsFile,
    Scorer,
    SegmentCache,
    write_postings_file,
)

SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    title=TEXT(stored=True, field_boost=3.0),
    text=TEXT(),
    category_id=NUMERIC(stored=True, bits=64, signed=False),
    url=STORED(),
)
DOCUMENTS = [
    ("a", "replace nose pads", "nose pads wear out; replace them at any optician", 1),
    ("b", "return an order", "return your order within thirty days for a refund", 1),
    ("c", "track my parcel", "the parcel tracking link is in the shipping mail", 2),
    ("d", "nose pads for children", "small nose pads for children frames", 2),
    ("e", "refund time", "a refund takes five days after the return arrives", 1),
    ("f", "clean lenses", "clean lenses with warm water and the cloth, never paper", 2),
]
FAR = 10**9


def documents(index, rows, *, separate_segments=False):
    for key, title, text, category in rows:
        writer = index.writer()
        writer.update_document(key=key, title=title, text=text, category_id=category, url=key)
        writer.commit(merge=not separate_segments)


@pytest.fixture
def index(tmp_path):
    storage = FileStorage(str(tmp_path))
    index = storage.create_index(SCHEMA, indexname="help")
    documents(index, DOCUMENTS[:3], separate_segments=True)
    documents(index, DOCUMENTS[3:], separate_segments=True)
    return index


def whoosh_scores(searcher, clauses):
    searcher.weighting = BM25F(B=scoring.B, K1=scoring.K1)
    options = []
    for clause in clauses:
        terms = [wq.Term(clause.field, term) for term in clause.terms]
        option = terms[0] if len(terms) == 1 else wq.And(terms)
        option.boost = clause.boost
        options.append(option)
    results = searcher.search(wq.Or(options), limit=None)
    return {searcher.stored_fields(hit.docnum)["key"]: hit.score for hit in results}


def our_scores(scorer, clauses, **kwargs):
    scored = scorer.score(clauses, limit=100, deadline=FAR, **kwargs)
    keys = [scorer.searcher.stored_fields(docnum)["key"] for docnum in scored.docnums]
    return dict(zip(keys, scored.scores, strict=True)), scored


CLAUSES = [
    Clause("title", ("nose",), 3.0),
    Clause("text", ("nose",), 1.0),
    Clause("title", ("refund",), 2.7),
    Clause("text", ("refund",), 0.9),
    Clause("text", ("return", "order"), 0.5),
]


def test_scores_equal_whooshs_own_bm25f_over_several_segments(index):
    searcher = index.searcher()
    assert len(searcher.reader().leaf_readers()) > 1
    theirs = whoosh_scores(searcher, CLAUSES)
    ours, scored = our_scores(Scorer("help", searcher, SegmentCache()), CLAUSES)
    assert set(ours) == set(theirs) == {"a", "b", "d", "e"}
    for key, score in theirs.items():
        assert math.isclose(ours[key], score, rel_tol=1e-5), key
    assert list(ours) == sorted(theirs, key=theirs.get, reverse=True)
    assert scored.total == 4


def test_a_multi_word_clause_needs_every_word(index):
    ours, _scored = our_scores(
        Scorer("help", index.searcher(), SegmentCache()), [Clause("text", ("nose", "children"), 1)]
    )
    assert set(ours) == {"d"}


def test_deleted_documents_are_never_found(index):
    writer = index.writer()
    writer.delete_by_term("key", "a")
    writer.commit()
    ours, scored = our_scores(Scorer("help", index.searcher(), SegmentCache()), CLAUSES)
    assert "a" not in ours
    assert scored.total == 3


def test_limit_keeps_the_best_and_counts_all(index):
    scorer = Scorer("help", index.searcher(), SegmentCache())
    everything, _scored = our_scores(scorer, CLAUSES)
    scored = scorer.score(CLAUSES, limit=2, deadline=FAR)
    assert scored.total == 4
    keys = [scorer.searcher.stored_fields(n)["key"] for n in scored.docnums]
    assert keys == list(everything)[:2]


def test_category_filter_and_boost(index):
    scorer = Scorer("help", index.searcher(), SegmentCache())
    field = SCHEMA["category_id"]
    plain, _scored = our_scores(scorer, CLAUSES)
    filtered, _scored = our_scores(scorer, CLAUSES, category_terms=[field.to_bytes(2)])
    assert set(filtered) == {"d"}
    boosted, _scored = our_scores(scorer, CLAUSES, boost_category_terms=[field.to_bytes(2)])
    assert boosted["d"] == pytest.approx(2 * plain["d"])
    assert boosted["a"] == pytest.approx(plain["a"])


def test_matched_terms_of_shown_documents(index):
    scorer = Scorer("help", index.searcher(), SegmentCache())
    scored = scorer.score(CLAUSES, limit=10, deadline=FAR)
    found = scorer.matched(scored.docnums, {"nose", "refund"}, {"title", "text"})
    matched = {scorer.searcher.stored_fields(n)["key"]: terms for n, terms in found.items()}
    assert matched["a"] == {"nose"}
    assert matched["e"] == {"refund"}
    assert matched["b"] == {"refund"}  # "refund" is in its text, though no clause matched it
    assert matched["d"] == {"nose"}


def test_a_passed_deadline_stops_before_any_clause(index):
    scored = Scorer("help", index.searcher(), SegmentCache()).score(
        CLAUSES, limit=10, deadline=time.monotonic() - 1
    )
    assert scored.timed_out
    assert scored.docnums == []


def test_the_cache_outlives_a_new_segment_and_forgets_merged_ones(index):
    cache = SegmentCache()
    first = Scorer("help", index.searcher(), cache)
    first.score(CLAUSES, limit=10, deadline=FAR)
    segments_before = {key[:2] for key in cache._entries}
    documents(index, [("g", "nose pads again", "nose", 1)], separate_segments=True)
    second = Scorer("help", index.searcher(), cache)
    ours, _scored = our_scores(second, CLAUSES)
    assert "g" in ours
    assert segments_before <= {key[:2] for key in cache._entries}  # old segments still cached
    writer = index.writer()
    writer.commit(optimize=True)
    merged = Scorer("help", index.searcher(), cache)
    assert not segments_before & {key[:2] for key in cache._entries}
    assert set(our_scores(merged, CLAUSES)[0]) == set(ours)


def test_the_cache_is_bounded(index):
    cache = SegmentCache(max_postings=3)
    scorer = Scorer("help", index.searcher(), cache)
    scorer.score(CLAUSES, limit=10, deadline=FAR)
    assert cache.size <= 3 or len(cache._entries) == 1
    assert set(our_scores(scorer, CLAUSES)[0]) == {"a", "b", "d", "e"}


def test_word_counts_sum_segments_like_whoosh_and_follow_new_documents(index):
    cache = SegmentCache()
    searcher = index.searcher()
    whoosh_counts = {
        term.decode(): info.doc_frequency() for term, info in searcher.reader().iter_field("text")
    }
    assert Scorer("help", searcher, cache).word_counts("text") == whoosh_counts
    assert whoosh_counts["nose"] == 2
    documents(index, [("g", "nose pads again", "nose and pads", 1)], separate_segments=True)
    counts = Scorer("help", index.searcher(), cache).word_counts("text")
    assert counts["nose"] == 3
    assert counts["pads"] == whoosh_counts["pads"] + 1


def with_postings_files(index, folder):
    """A scorer whose segments are all read from postings files written beside them."""
    with index.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            write_postings_file(leaf, str(folder / leaf.segment().segment_id()))
    scorer = Scorer("help", index.searcher(), SegmentCache(), str(folder))
    assert all(leaf.postings_file is not None for leaf in scorer.leaves)
    return scorer


def test_postings_files_score_as_whoosh_does(index, tmp_path):
    scorer = with_postings_files(index, tmp_path)
    theirs = whoosh_scores(scorer.searcher, CLAUSES)
    ours, _scored = our_scores(scorer, CLAUSES)
    assert list(ours) == sorted(theirs, key=theirs.get, reverse=True)
    for key, score in theirs.items():
        assert math.isclose(ours[key], score, rel_tol=1e-5), key
    assert not scorer.cache._entries  # nothing was read from Whoosh's postings


def test_postings_files_hold_numeric_terms_and_words_that_are_missing(index, tmp_path):
    scorer = with_postings_files(index, tmp_path)
    field = SCHEMA["category_id"]
    filtered, _scored = our_scores(scorer, CLAUSES, category_terms=[field.to_bytes(2)])
    assert set(filtered) == {"d"}
    leaf = scorer.leaves[0]
    assert len(leaf.postings_file.postings("category_id", field.to_bytes(0))[0]) == 0
    assert len(leaf.postings_file.postings("text", "x" * 500)[0]) == 0  # longer than any key
    assert len(leaf.postings_file.postings("nofield", "nose")[0]) == 0


def test_deletions_apply_to_postings_files(index, tmp_path):
    with_postings_files(index, tmp_path)
    writer = index.writer()
    writer.delete_by_term("key", "a")
    writer.commit(merge=False)
    scorer = Scorer("help", index.searcher(), SegmentCache(), str(tmp_path))
    assert scorer.leaves[0].postings_file is not None
    ours, scored = our_scores(scorer, CLAUSES)
    assert "a" not in ours
    assert scored.total == 3


def test_an_unreadable_postings_file_is_ignored_with_a_warning(index, tmp_path, caplog):
    with_postings_files(index, tmp_path)
    segment_id = index.searcher().reader().leaf_readers()[0][0].segment().segment_id()
    (tmp_path / f"{segment_id}.hpkeys.npy").write_bytes(b"not numpy")
    scorer = Scorer("help", index.searcher(), SegmentCache(), str(tmp_path))
    assert scorer.leaves[0].postings_file is None
    assert "Unreadable postings file" in caplog.text
    assert set(our_scores(scorer, CLAUSES)[0]) == {"a", "b", "d", "e"}


def test_whoosh_deletes_postings_files_with_their_segment(tmp_path):
    storage = FileStorage(str(tmp_path))
    index = storage.create_index(SCHEMA, indexname="help")
    documents(index, DOCUMENTS, separate_segments=True)
    with_postings_files(index, tmp_path)
    assert len(list(tmp_path.glob("*.hpkeys.npy"))) == len(DOCUMENTS)
    index.writer().commit(optimize=True)
    assert not list(tmp_path.glob("*.hp*.npy"))
    assert PostingsFile.open(str(tmp_path / "help_gone")) is None
