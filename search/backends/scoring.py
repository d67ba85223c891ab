"""BM25F scoring of a query plan over a Whoosh index with numpy, one segment at a time.

Whoosh scores a large OR query one posting at a time in Python, through union matchers of
union matchers: with 100,000 forum posts beside the articles a help search took a second and
more, nearly all of it inside those matchers. Here the same BM25F (Whoosh's formula, over the
weights and field lengths Whoosh stored) is computed over whole posting lists at once. A
segment's postings and field lengths never change once written, so they are
read once per process and kept (bounded) in a cache keyed by segment; only deletions change,
and they are read with each new searcher. Adding a forum post writes a small new segment and
leaves the cached arrays of the big ones valid.

Reading a long posting list out of Whoosh the first time (block by block, each one unpickled)
is what is left of a search's cost. So a big segment's posting lists are also written once, as
plain numpy arrays beside it (`write_postings_file`, by the index writer after a merge), and read
from there through the operating system's page cache: no per-process copy, no cold reads.
Whoosh deletes the files with their segment.

Only this module and `search.backends.whoosh` know Whoosh.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

logger = logging.getLogger(__name__)

# Whoosh's BM25F with its defaults (K1 1.2, B 0.75) had, on both development sets:
# StackFAQ recall@1 0.784, recall@3 0.926, MRR 0.859; demo 0.765, 0.912, 0.844.
# With K1 1.6, B 1.0 (term counts saturate later, long fields count less):
# StackFAQ 0.811, 0.939, 0.876; demo 0.769, 0.908, 0.846. K1 1.6-2.5 with B 0.9-1.0 were
# all within a point of each other on StackFAQ: a plateau, not a peak.
K1 = 1.6
B = 1.0
CACHE_POSTINGS = 4_000_000  # postings kept per process (about 32 MB)
CATEGORY_BOOST = 2.0
POSTINGS_FILE_MIN_DOCS = 10_000  # smaller segments are cheap to read from Whoosh
POSTINGS_FILE_FIELDS = ("title", "keywords", "text", "category_id")

_EMPTY = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class Clause:
    """Documents containing every term of `terms` in `field` score `boost` x their BM25F sum."""

    field: str
    terms: tuple[str, ...]
    boost: float


@dataclass
class Scored:
    """The best documents (global docnums, best first) and what else the search found."""

    docnums: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    total: int = 0
    timed_out: bool = False


class PostingsFile:
    """One segment's posting lists as numpy arrays in files beside it (memory-mapped).

    `keys` (field, NUL, term, 0x01; sorted) and `spans` (start, stop) are small and loaded;
    `ids` and `weights` hold every posting list one after another.
    """

    PARTS = ("ids", "weights", "spans", "keys")  # written in this order: keys mean complete

    def __init__(self, prefix: str):
        self.keys = np.load(self.filename(prefix, "keys"))
        self.spans = np.load(self.filename(prefix, "spans"))
        self.ids = np.load(self.filename(prefix, "ids"), mmap_mode="r")
        self.weights = np.load(self.filename(prefix, "weights"), mmap_mode="r")

    @staticmethod
    def filename(prefix: str, part: str) -> str:
        # "<segment id>.<ext>": Whoosh deletes such files when it deletes the segment.
        return f"{prefix}.hp{part}.npy"

    @classmethod
    def exists(cls, prefix: str) -> bool:
        return os.path.exists(cls.filename(prefix, "keys"))

    @classmethod
    def open(cls, prefix: str) -> PostingsFile | None:
        """The postings file of the segment at `prefix`, or None if it was not written."""
        if not cls.exists(prefix):
            return None
        try:
            return cls(prefix)
        except (OSError, ValueError) as error:  # half-deleted with its segment, or damaged
            logger.warning("Unreadable postings file %s: %s", prefix, error)
            return None

    @staticmethod
    def key(fieldname: str, term) -> bytes:
        term = term if isinstance(term, bytes) else term.encode("utf-8")
        # The last byte is never NUL: numpy's fixed-width bytes would drop trailing NULs.
        return fieldname.encode() + b"\0" + term + b"\1"

    def postings(self, fieldname: str, term) -> tuple[np.ndarray, np.ndarray]:
        key = self.key(fieldname, term)
        if len(key) > self.keys.dtype.itemsize:
            return _EMPTY
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or self.keys[at] != key:
            return _EMPTY
        start, stop = self.spans[at]
        return self.ids[start:stop], self.weights[start:stop]


def write_postings_file(reader, prefix: str, fields=POSTINGS_FILE_FIELDS) -> int:
    """Write the posting lists of `fields` of one segment's `reader` as a `PostingsFile` at
    `prefix` (its folder and segment id); returns how many postings. Each part is written
    under a temporary name and then renamed, the keys last."""
    keys, spans, ids, weights, total = [], [], [], [], 0
    indexed = set(reader.indexed_field_names())
    for fieldname in fields:
        if fieldname not in indexed:
            continue
        for term in reader.lexicon(fieldname):
            term_ids, term_weights = read_postings(reader, fieldname, term)
            keys.append(PostingsFile.key(fieldname, term))
            spans.append((total, total + len(term_ids)))
            ids.append(term_ids)
            weights.append(term_weights)
            total += len(term_ids)
    keys_array = np.array(keys, dtype=bytes) if keys else np.zeros(0, dtype="S1")
    order = np.argsort(keys_array, kind="stable")
    parts = {
        "ids": np.concatenate(ids) if ids else _EMPTY[0],
        "weights": np.concatenate(weights) if weights else _EMPTY[1],
        "spans": np.array(spans, dtype=np.int64).reshape(-1, 2)[order],
        "keys": keys_array[order],
    }
    for part in PostingsFile.PARTS:
        filename = PostingsFile.filename(prefix, part)
        with open(f"{filename}.tmp", "wb") as handle:
            np.save(handle, parts[part])
        os.replace(f"{filename}.tmp", filename)
    return total


class SegmentCache:
    """Per (index, segment): posting lists as arrays and field lengths, least recently used out."""

    def __init__(self, max_postings: int = CACHE_POSTINGS):
        self.max_postings = max_postings
        self.size = 0
        self._entries: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._segment_data: dict[tuple, object] = {}  # field lengths and word counts
        self._lock = threading.Lock()

    def postings(self, key: tuple, reader, fieldname: str, term) -> tuple[np.ndarray, np.ndarray]:
        """`term`'s posting list in the segment of `reader` (cached under `key`)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
        entry = read_postings(reader, fieldname, term)
        with self._lock:
            if key not in self._entries:
                self._entries[key] = entry
                self.size += len(entry[0])
                while self.size > self.max_postings and len(self._entries) > 1:
                    _key, (ids, _weights) = self._entries.popitem(last=False)
                    self.size -= len(ids)
        return entry

    def segment_data(self, key: tuple, read: Callable[[], object]):
        """What `read()` returns for one segment (field lengths, word counts), read once; None
        is not kept (asked again next time)."""
        data = self._segment_data.get(key)
        if data is None:
            data = read()
            if data is not None:
                with self._lock:
                    self._segment_data[key] = data
        return data

    def forget(self, index_name: str, live: set[tuple]) -> None:
        """Drop what belongs to segments of `index_name` not in `live` (merged away)."""

        def gone(key: tuple) -> bool:
            return key[0] == index_name and key[:2] not in live

        with self._lock:
            for key in [key for key in self._entries if gone(key)]:
                self.size -= len(self._entries.pop(key)[0])
            for key in [key for key in self._segment_data if gone(key)]:
                del self._segment_data[key]


def read_postings(reader, fieldname: str, term) -> tuple[np.ndarray, np.ndarray]:
    """Docnums (ascending) and weights of `term` in one segment."""
    try:
        matcher = reader.postings(fieldname, term)
    except TermNotFound:
        return _EMPTY
    ids: list = []
    weights: list = []
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time, decoded with numpy (Whoosh's private block layout: a tuple of
        # delta-encoded ids and weights that are None for all 1.0, one number for all alike,
        # or a tuple; whoosh.codec.whoosh3.W3PostingsWriter). See the generic loop below.
        while matcher.is_active():
            matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]
            block = np.array(block_ids, dtype=np.int64)
            if not matcher._byteids:
                block = np.cumsum(block)
            ids.append(block.astype(np.int32))
            if block_weights is None:
                weights.append(np.ones(len(block), dtype=np.float32))
            elif isinstance(block_weights, int | float):
                weights.append(np.full(len(block), block_weights, dtype=np.float32))
            else:
                weights.append(np.array(block_weights, dtype=np.float32))
            matcher._next_block()
        if not ids:
            return _EMPTY
        return np.concatenate(ids), np.concatenate(weights)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def read_word_counts(reader, fieldname: str) -> dict[str, int]:
    """Each word of `fieldname` in one segment with the number of its documents holding it."""
    return {term.decode(): info.doc_frequency() for term, info in reader.iter_field(fieldname)}


def read_lengths(reader, fieldname: str) -> np.ndarray:
    """The length of `fieldname` in every document of one segment, as Whoosh stored it."""
    count = reader.doc_count_all()
    try:
        column = reader._perdoc.column_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        raw = np.frombuffer(bytes(column.load()), dtype=np.uint8)
        lengths = _BYTE_TO_LENGTH[raw]
    except Exception:  # noqa: BLE001 - not a whoosh3 segment: ask document by document
        lengths = np.array(
            [reader.doc_field_length(n, fieldname) or 0 for n in range(count)], dtype=np.float32
        )
    if len(lengths) < count:
        lengths = np.concatenate([lengths, np.zeros(count - len(lengths), dtype=np.float32)])
    return lengths


class Leaf(NamedTuple):
    """One segment of a searcher: its reader, first global docnum, cache key, deletions and
    postings file (if written)."""

    reader: object
    offset: int
    key: tuple
    deleted: np.ndarray | None
    postings_file: PostingsFile | None


class Scorer:
    """Scores clauses over one searcher; statistics are memoised for the searcher's lifetime."""

    def __init__(self, index_name: str, searcher, cache: SegmentCache, folder: str | None = None):
        self.index_name = index_name
        self.searcher = searcher
        self.cache = cache
        self.doc_count = searcher.doc_count_all()
        self._idf: dict[tuple[str, str], float] = {}
        self._avg: dict[str, float] = {}
        self.leaves = []
        for reader, offset in searcher.reader().leaf_readers():
            segment = reader.segment()
            if segment is None or not reader.doc_count_all():
                continue
            deleted = (
                np.fromiter(segment.deleted_docs(), dtype=np.int64)
                if reader.has_deletions()
                else None
            )
            key = (index_name, segment.segment_id())
            postings_file = None
            if folder:
                prefix = os.path.join(folder, segment.segment_id())
                postings_file = cache.segment_data(
                    (*key, "postings-file"), lambda prefix=prefix: PostingsFile.open(prefix)
                )
            self.leaves.append(Leaf(reader, offset, key, deleted, postings_file))
        cache.forget(index_name, {leaf.key for leaf in self.leaves})

    def word_counts(self, fieldname: str) -> Counter:
        """Each word of `fieldname` with the number of documents holding it (as Whoosh counts:
        deleted documents included until their segment is merged), summed over segments that
        are each read once."""
        counts: Counter = Counter()
        for leaf in self.leaves:
            counts.update(
                self.cache.segment_data(
                    (*leaf.key, f"{fieldname}:words"),
                    lambda leaf=leaf: read_word_counts(leaf.reader, fieldname),
                )
            )
        return counts

    def idf(self, fieldname: str, term: str) -> float:
        key = (fieldname, term)
        value = self._idf.get(key)
        if value is None:
            # A term's document frequency is the length of its posting lists (deleted
            # documents included, as Whoosh counts), which the search reads anyway.
            frequency = sum(len(self._term(leaf, fieldname, term)[0]) for leaf in self.leaves)
            value = self._idf[key] = math.log(self.doc_count / (frequency + 1)) + 1
        return value

    def average_length(self, fieldname: str) -> float:
        value = self._avg.get(fieldname)
        if value is None:
            value = self._avg[fieldname] = self.searcher.avg_field_length(fieldname) or 1.0
        return value

    def _term(self, leaf: Leaf, fieldname: str, term) -> tuple[np.ndarray, np.ndarray]:
        if leaf.postings_file is not None:
            return leaf.postings_file.postings(fieldname, term)
        return self.cache.postings((*leaf.key, fieldname, term), leaf.reader, fieldname, term)

    def _term_scores(self, leaf: Leaf, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self._term(leaf, fieldname, term)
        if not len(ids):
            return ids, weights
        lengths = self.cache.segment_data(
            (*leaf.key, fieldname), lambda: read_lengths(leaf.reader, fieldname)
        )[ids]
        norm = K1 * ((1 - B) + B * lengths / self.average_length(fieldname))
        return ids, self.idf(fieldname, term) * (weights * (K1 + 1)) / (weights + norm)

    def _clause_scores(self, leaf: Leaf, clause: Clause) -> tuple[np.ndarray, np.ndarray]:
        ids, scores = self._term_scores(leaf, clause.field, clause.terms[0])
        for term in clause.terms[1:]:
            if not len(ids):
                break
            other_ids, other_scores = self._term_scores(leaf, clause.field, term)
            common, mine, theirs = np.intersect1d(
                ids, other_ids, assume_unique=True, return_indices=True
            )
            ids, scores = common, scores[mine] + other_scores[theirs]
        return ids, scores * clause.boost

    @staticmethod
    def out_of_time(deadline: float) -> bool:
        return time.monotonic() > deadline

    def _members(self, leaf: Leaf, fieldname: str, terms: list) -> np.ndarray:
        parts = [self._term(leaf, fieldname, term)[0] for term in terms]
        return np.unique(np.concatenate(parts)) if parts else _EMPTY[0]

    def score(
        self,
        clauses: list[Clause],
        *,
        limit: int,
        deadline: float,
        category_terms: list | None = None,
        boost_category_terms: list | None = None,
    ) -> Scored:
        """The `limit` best documents for `clauses` (summed), as Whoosh's OR of them would rank.

        Stops adding clauses once `deadline` (time.monotonic()) has passed: the documents found so
        far are returned with `timed_out` set.
        """
        result = Scored()
        docnums, scores_found = [], []
        for leaf in self.leaves:
            scores = np.zeros(leaf.reader.doc_count_all(), dtype=np.float32)
            for clause in clauses:
                if self.out_of_time(deadline):
                    result.timed_out = True
                    break
                ids, clause_scores = self._clause_scores(leaf, clause)
                scores[ids] += clause_scores
            if category_terms is not None:
                keep = np.zeros(len(scores), dtype=bool)
                keep[self._members(leaf, "category_id", category_terms)] = True
                scores[~keep] = 0
            if boost_category_terms:
                members = self._members(leaf, "category_id", boost_category_terms)
                scores[members] *= CATEGORY_BOOST
            if leaf.deleted is not None:
                scores[leaf.deleted] = 0
            found = np.flatnonzero(scores > 0)
            result.total += len(found)
            if len(found) > limit:
                found = found[np.argpartition(scores[found], -limit)[-limit:]]
            docnums.append(found + leaf.offset)
            scores_found.append(scores[found])
            if result.timed_out:
                break
        if docnums:
            found, scores = np.concatenate(docnums), np.concatenate(scores_found)
            best = np.lexsort((found, -scores))[:limit]  # best first, ties by docnum
            result.docnums = found[best].tolist()
            result.scores = scores[best].astype(float).tolist()
        return result

    def matched(self, docnums: list[int], terms: set[str], fields) -> dict[int, set[str]]:
        """Which of `terms` each of `docnums` contains in any of `fields`."""
        matched: dict[int, set[str]] = {docnum: set() for docnum in docnums}
        if not docnums or not self.leaves:
            return matched
        offsets = np.array([leaf.offset for leaf in self.leaves])
        docs = np.array(docnums, dtype=np.int64)
        owner = np.searchsorted(offsets, docs, side="right") - 1
        for number in np.unique(owner):
            leaf = self.leaves[number]
            local = docs[owner == number] - leaf.offset
            for term in terms:
                contains = np.zeros(len(local), dtype=bool)
                for fieldname in fields:
                    ids = self._term(leaf, fieldname, term)[0]
                    if len(ids):
                        at = np.minimum(np.searchsorted(ids, local), len(ids) - 1)
                        contains |= ids[at] == local
                for docnum in local[contains] + leaf.offset:
                    matched[int(docnum)].add(term)
        return matched
