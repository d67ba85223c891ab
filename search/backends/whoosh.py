"""A haystack Whoosh backend made for help search.

Stock haystack refreshes the index twice, opens a new searcher and filters by model over all
documents on every query. This backend keeps one small index per content type and language
(`faq_articlepage__de`, ...) in the same folder, analyses text with `search.analyzers`, keeps a
searcher open per process (reopened only when the index changed) and answers
`search.query.QueryPlan`s with a ranked OR query bounded in time.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from .. import encoders, vectors
from ..analyzers import HelpAnalyzer, register_lexicon
from ..query import QueryPlan
from ..text import CompoundSplitter, TermKind, analyse, language_of
from ..typos import Vocabulary
from . import Hit, HitList
from .scoring import (
    POSTINGS_FILE_MIN_DOCS,
    Clause,
    PostingsFile,
    Scorer,
    SegmentCache,
    write_postings_file,
)

logger = logging.getLogger(__name__)

FIELD_BOOSTS = {"title": 3.0, "keywords": 2.0, "text": 1.0}
SEARCH_TIME_LIMIT = 0.5
WRITE_LOCK_TIMEOUT = 60.0
TEXT_STORE_LIMIT = 20_000
INDEX_NAME = re.compile(r"^[a-z0-9_]+__[a-z]{2}$")
SCHEMA_FIELDS = (
    "text",
    "title",
    "keywords",
    "short_answer",
    "locale",
    "url",
    "category",
    "category_id",
    "questions",
)
"""The fields a `SearchIndex` for this engine may have (see `_document`); `questions` (other
ways customers ask, one a line) is optional."""


class WordsAnalyzer(HelpAnalyzer):
    """Normalised, unstemmed words: the vocabulary that typo correction corrects against."""

    def __call__(self, value, **kwargs):
        kwargs["no_morph"] = True
        return super().__call__(value, **kwargs)


def schema_for(language: str, name: str) -> Schema:
    """The schema of index `name`; its analyzer splits compounds with the lexicon `name`."""
    analyzer = HelpAnalyzer(language, lexicon=name)
    return Schema(
        **{
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        },
        title=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["title"]),
        keywords=TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS["keywords"]),
        text=TEXT(analyzer=analyzer, stored=True, field_boost=FIELD_BOOSTS["text"]),
        words=TEXT(analyzer=WordsAnalyzer(language), phrase=False),
        category=STORED(),
        category_id=NUMERIC(stored=True, bits=64, signed=False),
        url=STORED(),
        short_answer=STORED(),
    )


class _OpenIndex:
    """An index with its open searcher, scorer, vocabulary and compound splitter, refreshed on
    change."""

    def __init__(self, name: str, index, cache: SegmentCache, folder: str):
        self.name = name
        self.index = index
        self.cache = cache
        self.folder = folder
        self.lock = threading.Lock()
        self.searcher = index.searcher()
        self.scorer = Scorer(name, self.searcher, cache, folder)
        self._vocabulary: tuple[Vocabulary, CompoundSplitter] | None = None

    def current_searcher(self):
        self.current_scorer()
        return self.searcher

    def current_scorer(self) -> Scorer:
        if not self.searcher.up_to_date():
            with self.lock:
                if not self.searcher.up_to_date():
                    # Searcher.refresh() keeps readers of unchanged segments, deletions included:
                    # a document removed from an old segment would stay findable. Reopen.
                    stale, self.searcher = self.searcher, self.index.refresh().searcher()
                    self.scorer = Scorer(self.name, self.searcher, self.cache, self.folder)
                    stale.close()
                    self._vocabulary = None
        return self.scorer

    def vocabulary(self) -> tuple[Vocabulary, CompoundSplitter]:
        scorer = self.current_scorer()
        if self._vocabulary is None:
            with self.lock:
                if self._vocabulary is None:
                    counts = scorer.word_counts("words")
                    language = self.index.schema["words"].analyzer.locale
                    self._vocabulary = (
                        Vocabulary(counts),
                        CompoundSplitter(counts, locale=language),
                    )
        return self._vocabulary


class HelpWhooshSearchBackend(WhooshSearchBackend):
    """See the module docstring. Options: PATH (a folder), TIME_LIMIT (seconds per search)."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise ImproperlyConfigured("HelpWhooshEngine needs a PATH on disk.")
        self.time_limit = connection_options.get("TIME_LIMIT", SEARCH_TIME_LIMIT)
        self._open: dict[str, _OpenIndex] = {}
        self._open_lock = threading.Lock()
        self._cache = SegmentCache()

    def setup(self):
        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        self.setup_complete = True

    # -- index names ---------------------------------------------------------------------------

    @staticmethod
    def index_name(model_label: str, language: str) -> str:
        return f"{model_label.replace('.', '_')}__{language}"

    def index_names(self, model_label: str | None = None) -> list[str]:
        if not self.setup_complete:
            self.setup()
        prefix = f"{model_label.replace('.', '_')}__" if model_label else ""
        names = {
            match.group(1)
            for match in (re.match(r"^_(.+)_\d+\.toc$", name) for name in os.listdir(self.path))
            if match
        }
        return sorted(n for n in names if n.startswith(prefix) and INDEX_NAME.match(n))

    def _writable_index(self, name: str, language: str):
        if not self.setup_complete:
            self.setup()
        if self.storage.index_exists(name):
            return self.storage.open_index(indexname=name)
        return self.storage.create_index(schema_for(language, name), indexname=name)

    def optimize(self, model_label: str) -> int:
        """Merge each language index of `model_label` into one segment (and write its postings
        file); returns how many indexes were merged. A bulk run leaves many segments, and a
        search reads each term's postings once per segment. The caller holds the writer lock
        (`search.indexing`)."""
        merged = 0
        for name in self.index_names(model_label):
            index = self.storage.open_index(indexname=name)
            with index.reader() as reader:
                segments = len(reader.leaf_readers())
            if segments > 1:
                index.writer(timeout=WRITE_LOCK_TIMEOUT).commit(optimize=True)
                merged += 1
            self.write_postings_files(index)
        return merged

    def write_postings_files(self, index) -> int:
        """Write a postings file (`search.backends.scoring.PostingsFile`) for each segment of
        `index` with at least POSTINGS_FILE_MIN_DOCS documents that has none; returns how many.

        Then commits an empty generation, so that open searchers reopen and use the files. The
        caller holds the writer lock.
        """
        missing = {
            segment.segment_id()
            for segment in index._segments()
            if segment.doc_count_all() >= POSTINGS_FILE_MIN_DOCS
            and not PostingsFile.exists(os.path.join(self.path, segment.segment_id()))
        }
        if not missing:
            return 0
        with index.reader() as reader:
            for leaf, _offset in reader.leaf_readers():
                if leaf.segment().segment_id() in missing:
                    write_postings_file(leaf, os.path.join(self.path, leaf.segment().segment_id()))
        index.writer(timeout=WRITE_LOCK_TIMEOUT).commit(merge=False)
        return len(missing)

    def open_index(self, model_label: str, language: str) -> _OpenIndex:
        """The open index of `model_label` in `language`; raises EmptyIndexError if missing."""
        name = self.index_name(model_label, language)
        opened = self._open.get(name)
        if opened is None:
            with self._open_lock:
                opened = self._open.get(name)
                if opened is None:
                    if not self.setup_complete:
                        self.setup()
                    if not self.storage.index_exists(name):
                        raise EmptyIndexError(f"No search index {name} in {self.path}")
                    opened = self._open[name] = _OpenIndex(
                        name, self.storage.open_index(indexname=name), self._cache, self.path
                    )
        return opened

    # -- writing (haystack API) ----------------------------------------------------------------

    def update(self, index, iterable: Iterable, commit=True):
        self._check_fields(index)
        model_label = index.get_model()._meta.label_lower
        by_language: dict[str, list[dict]] = {}
        for obj in iterable:
            try:
                prepared = index.full_prepare(obj)
            except SkipDocument:
                logger.debug("Indexing for object %s skipped", get_identifier(obj))
                continue
            document = self._document(prepared)
            by_language.setdefault(document.pop("_language"), []).append(document)
        for language, documents in by_language.items():
            name = self.index_name(model_label, language)
            index = self._writable_index(name, language)
            self._register_lexicon(name, index, language, documents)
            writer = index.writer(timeout=WRITE_LOCK_TIMEOUT)
            try:
                for document in documents:
                    writer.update_document(
                        **{key: value for key, value in document.items() if key != "_questions"}
                    )
            except Exception:
                writer.cancel()
                raise
            writer.commit()
            self.write_postings_files(index)  # when Whoosh merged segments into a big one
            self._write_vectors(name, documents)

    def _write_vectors(self, name: str, documents: list[dict]) -> None:
        """Embed what changed of these documents (`search.vectors`); lexical without a model."""
        encoder = encoders.get_encoder()
        if encoder is not None:
            vectors.write(self.path, name, encoder, {
                document[ID]: vectors.document_passages(
                    document["title"], document["text"], document["_questions"]
                )
                for document in documents
            })

    @staticmethod
    def _check_fields(index) -> None:
        """The schema is fixed: a field it has no place for would be lost, so refuse it."""
        unknown = sorted(
            field.index_fieldname
            for field in index.fields.values()
            if field.index_fieldname not in SCHEMA_FIELDS
        )
        if unknown:
            raise SearchBackendError(
                f"HelpWhooshEngine stores the help-search fields only ({', '.join(SCHEMA_FIELDS)})"
                f"; {type(index).__name__} also has {', '.join(unknown)}. Index models of your own"
                " with a second, stock haystack connection (docs/search.md)."
            )

    @staticmethod
    def _register_lexicon(name, index, language, documents) -> None:
        """German compounds split into words the index knows: its vocabulary plus this batch's.

        A word learnt later splits older documents from their next update or `rebuild_index`.
        """
        if language != "de":
            return
        words = Counter()
        with index.reader() as reader:
            if "words" in reader.indexed_field_names():
                for term, info in reader.iter_field("words"):
                    words[term.decode()] = info.doc_frequency()
        for document in documents:
            words.update(
                set(
                    term.normalised
                    for term in analyse(document["words"], language, max_length=None)
                    if term.kind == TermKind.WORD and not term.stopword
                )
            )
        register_lexicon(name, CompoundSplitter(words, locale=language))

    @staticmethod
    def _document(prepared: dict) -> dict:
        language = language_of(prepared.get("locale")) or "en"
        text = str(prepared.get("text") or "")[:TEXT_STORE_LIMIT]
        title, keywords = str(prepared.get("title") or ""), str(prepared.get("keywords") or "")
        questions = [
            line.strip() for line in str(prepared.get("questions") or "").splitlines()
            if line.strip()
        ]
        keywords = "\n".join([keywords, *questions])
        category_id = prepared.get("category_id")
        return {
            "_language": language,
            "_questions": questions,
            ID: prepared[ID],
            DJANGO_CT: prepared[DJANGO_CT],
            DJANGO_ID: str(prepared[DJANGO_ID]),
            "title": title,
            "keywords": keywords,
            "text": text,
            "words": f"{title}\n{keywords}\n{text}",
            "category": str(prepared.get("category") or ""),
            "category_id": int(category_id) if category_id else 0,
            "url": str(prepared.get("url") or ""),
            "short_answer": str(prepared.get("short_answer") or ""),
        }

    def remove(self, obj_or_string, commit=True):
        identifier = get_identifier(obj_or_string)
        model_label = ".".join(identifier.split(".")[:2])
        for name in self.index_names(model_label):
            writer = self.storage.open_index(indexname=name).writer(timeout=WRITE_LOCK_TIMEOUT)
            writer.delete_by_term(ID, identifier)
            writer.commit()
            vectors.remove(self.path, name, {identifier})

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        labels = [m._meta.label_lower for m in models] if models else [None]
        with self._open_lock:
            for label in labels:
                for name in self.index_names(label):
                    self._empty(name, name.rsplit("__", 1)[1])
                    self._open.pop(name, None)

    def _empty(self, name: str, language: str) -> None:
        """Empty index `name` (with a fresh schema) as its next generation, under its write lock.

        A new index would start again at generation 0: a searcher in another process that holds
        the generation the rebuild ends at would take the old index for current.
        """
        from whoosh.writing import CLEAR

        vectors.clear(self.path, name)
        try:
            writer = self.storage.open_index(indexname=name).writer(timeout=WRITE_LOCK_TIMEOUT)
        except Exception:  # noqa: BLE001 - an unreadable index is simply created again
            self.storage.create_index(schema_for(language, name), indexname=name)
            return
        writer.schema = schema_for(language, name)
        writer.commit(mergetype=CLEAR)

    def delete_index(self):
        """Delete every index folder and file; searches stop finding the documents at once."""
        self.reset()
        super().delete_index()

    def search(self, query_string, **kwargs):
        raise SearchBackendError(
            "HelpWhooshEngine answers QueryPlans: use search.service.search() instead of "
            "SearchQuerySet."
        )

    def more_like_this(self, model_instance, additional_query_string=None, **kwargs):
        raise NotImplementedError(
            "HelpWhooshEngine offers no more_like_this: use search.service.search() with the "
            "article's title, or a second, stock haystack connection (docs/search.md)."
        )

    def extract_file_contents(self, file_obj, **kwargs):
        raise NotImplementedError("HelpWhooshEngine does not index file contents.")

    # -- searching -----------------------------------------------------------------------------

    def vocabulary(self, model_label: str, language: str):
        return self.open_index(model_label, language).vocabulary()

    def search_plan(
        self,
        plan: QueryPlan,
        model_labels: list[str],
        *,
        limit: int = 50,
        category_ids: list[int] | None = None,
        boost_category_ids: list[int] | None = None,
        fields: tuple[str, ...] = tuple(FIELD_BOOSTS),
    ) -> HitList:
        """Run `plan` over `fields` of the indexes of `model_labels` in the plan's language."""
        clauses = self._clauses(plan, fields)
        if not clauses:
            return HitList([], 0, False)
        deadline = time.monotonic() + self.time_limit
        found, total, timed_out = [], 0, False
        for label, opened in self._open_indexes(model_labels, plan.language):
            scorer = opened.current_scorer()
            category = scorer.searcher.schema["category_id"]
            scored = scorer.score(
                clauses,
                limit=limit,
                deadline=deadline,
                category_terms=(
                    [category.to_bytes(c) for c in category_ids] if category_ids else None
                ),
                boost_category_terms=[category.to_bytes(c) for c in boost_category_ids or []],
            )
            if scored.timed_out:
                timed_out = True
                logger.warning("Help search hit its time limit for %r", plan.text[:80])
            total += scored.total
            found.extend(
                (score, label, scorer, docnum)
                for docnum, score in zip(scored.docnums, scored.scores, strict=True)
            )
        found.sort(key=lambda entry: entry[0], reverse=True)
        return HitList(self._hits(found[:limit], clauses), total, timed_out)

    def _open_indexes(self, model_labels: list[str], language: str) -> list[tuple]:
        """(label, open index) of each source; a source with no index yet (a forum without
        threads in this language) has no documents, but none at all means the index is missing
        (EmptyIndexError: the search answers from the database)."""
        opened, missing = [], None
        for label in model_labels:
            try:
                opened.append((label, self.open_index(label, language)))
            except EmptyIndexError as error:
                missing = error
        if missing is not None and not opened:
            raise missing
        return opened

    @staticmethod
    def _clauses(plan: QueryPlan, fields) -> list[Clause]:
        """One clause per alternative and field, weighted as the alternative.

        The field boosts (title x3, keywords x2) are in the indexed weights, where BM25
        saturates them; boosting the clauses again counted them twice (measured: recall@3 on
        the StackFAQ dev set 0.910 -> 0.926, on the demo set 0.884 -> 0.892).
        """
        return [
            Clause(field, a.terms, a.weight)
            for group in plan.groups
            for a in group.alternatives
            for field in fields
        ]

    @staticmethod
    def _hits(found: list[tuple], clauses: list[Clause]) -> list[Hit]:
        """Hits for (score, label, scorer, docnum), with the plan's terms each one contains."""
        terms = {term for clause in clauses for term in clause.terms}
        fields = {clause.field for clause in clauses}
        shown: dict[str, tuple] = {}
        for _score, label, scorer, docnum in found:
            shown.setdefault(label, (scorer, []))[1].append(docnum)
        matched = {
            label: scorer.matched(docnums, terms, fields)
            for label, (scorer, docnums) in shown.items()
        }
        return [
            HelpWhooshSearchBackend._stored_hit(
                scorer.searcher.stored_fields(docnum), label, score, matched[label][docnum]
            )
            for score, label, scorer, docnum in found
        ]

    @staticmethod
    def _stored_hit(stored: dict, label: str, score: float, matched: set[str]) -> Hit:
        return Hit(
            key=stored[ID],
            model=label,
            pk=int(stored[DJANGO_ID]),
            score=score,
            title=stored.get("title", ""),
            url=stored.get("url", ""),
            category=stored.get("category", ""),
            category_id=stored.get("category_id") or None,
            short_answer=stored.get("short_answer", ""),
            text=stored.get("text", ""),
            matched=matched,
        )

    def dense_search(
        self,
        vector,
        model_labels: list[str],
        language: str,
        *,
        limit: int = 50,
        category_ids: list[int] | None = None,
    ) -> list[Hit]:
        """The `limit` documents of `model_labels` in `language` nearest to `vector` (exact,
        over the memory-mapped passage vectors); a hit's score is its cosine.

        Without `category_ids` the hits carry only their key and cosine (`Hit.stored` False):
        most of them fall below where relevance ends, and `load_hits` reads the others."""
        found = []
        encoder = encoders.get_encoder()
        for label in model_labels:
            dense = vectors.open_dense(self.path, self.index_name(label, language))
            if dense is None or encoder is None or dense.model != encoder.name:
                continue
            if not category_ids:
                found += [
                    Hit(key=doc_id, model=label, pk=int(doc_id.rsplit(".", 1)[1]),
                        score=cosine, stored=False)
                    for doc_id, cosine in dense.nearest(vector, limit)
                ]
                continue
            searcher = self.open_index(label, language).current_searcher()
            wanted = set(category_ids)
            for doc_id, cosine in dense.nearest(vector, limit * 2):
                docnum = searcher.document_number(id=doc_id)
                if docnum is None:
                    continue  # removed since the vectors were written
                stored = searcher.stored_fields(docnum)
                if stored.get("category_id") not in wanted:
                    continue
                found.append(self._stored_hit(stored, label, cosine, set()))
        found.sort(key=lambda hit: hit.score, reverse=True)
        return found[:limit]

    def load_hits(self, hits: list[Hit], language: str) -> list[Hit]:
        """The hits with what a result shows read from the index (those `dense_search` gave
        with their key only); a document removed since its vectors were written is left out."""
        loaded, searchers = [], {}
        for hit in hits:
            if hit.stored:
                loaded.append(hit)
                continue
            if hit.model not in searchers:
                # Once per index: finding whether it changed lists its folder.
                searchers[hit.model] = self.open_index(hit.model, language).current_searcher()
            searcher = searchers[hit.model]
            docnum = searcher.document_number(id=hit.key)
            if docnum is not None:
                stored = searcher.stored_fields(docnum)
                loaded.append(self._stored_hit(stored, hit.model, hit.score, hit.matched))
        return loaded

    def has_vectors(self, model_label: str, language: str) -> bool:
        return vectors.open_dense(self.path, self.index_name(model_label, language)) is not None

    def health(self, model_label: str, language: str) -> str | None:
        """None when the index opens and reads; otherwise what is wrong, for logs and checks."""
        try:
            self.open_index(model_label, language).current_searcher().doc_count()
        except Exception as error:  # noqa: BLE001 - any failure means "rebuild the index"
            return f"{type(error).__name__}: {error}"
        return None

    def reset(self) -> None:
        """Forget open searchers (tests, after deleting index files)."""
        with self._open_lock:
            for opened in self._open.values():
                opened.searcher.close()
            self._open.clear()


class HelpWhooshEngine(BaseEngine):
    backend = HelpWhooshSearchBackend
    query = WhooshSearchQuery
