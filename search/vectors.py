"""Passage vectors of the semantic search: computed by the index writer, read by every search.

Each search index (one per content type and language, `faq_articlepage__de`) has its vectors
beside it in the index folder: `<index>.vectors.json` names the model, the documents in row
order and the hash of the text each row embeds, and the current `<index>.vectors.<n>.npy`
matrix, which searches memory-map (the operating system's page cache holds it once for every
process). A writer writes a new matrix and then replaces the JSON file, so a reader sees the old
generation or the new one, never a mix.

Vectors are computed only here, by the single index writer (`search.indexing`), never in a
request. Every vector is also kept in the embedding cache (SQLite, keyed by model and text
hash): `update_index`, `rebuild_index` and re-imports embed only texts that changed.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .conf import app_settings
from .encoders import Encoder

logger = logging.getLogger(__name__)

PASSAGE_BODY_CHARS = 400
# A short question matches a short query closer than any passage does (question against question
# is the model's symmetric task): its cosine counts this much less, so an article with example
# questions does not outrank the others for every query near its topic. Every document's title
# (an article's question, a thread's title) is embedded as a question too, with a smaller
# discount: every document has one, so none gains on the others by it. Fitted on both
# development sets with tests/benchmarks/fit_fusion.py (docs/search.md).
QUESTION_OFFSET = 0.06
TITLE_OFFSET = 0.04
OFFSETS = {"passage": 0.0, "title": TITLE_OFFSET, "question": QUESTION_OFFSET}
EMBED_BATCH = 16
CACHE_FILE = "embeddings.sqlite3"


def passage_text(title: str, text: str) -> str:
    """What is embedded of a document: its title (an article's question) and the start of its
    text (the short answer, then the body), whole words only."""
    start = text[:PASSAGE_BODY_CHARS]
    if len(text) > PASSAGE_BODY_CHARS and " " in start:
        start = start.rsplit(" ", 1)[0]
    return f"{title.strip()}\n{start.strip()}".strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# -- the embedding cache ---------------------------------------------------------------------------


class EmbeddingCache:
    """Vectors by (model name, text hash) in one SQLite file, shared by every index build."""

    def __init__(self, folder: str):
        os.makedirs(folder, exist_ok=True)
        self.path = os.path.join(folder, CACHE_FILE)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, "
                "PRIMARY KEY (model, hash))"
            )
            yield connection
            connection.commit()
        finally:
            connection.close()

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found = {}
        with self._connect() as connection:
            for start in range(0, len(hashes), 500):
                chunk = hashes[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in connection.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})",  # noqa: S608 - only placeholders
                    [model, *chunk],
                ):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, key, np.asarray(v, dtype=np.float32).tobytes())
                 for key, v in vectors.items()],
            )


def embedding_cache(index_folder: str) -> EmbeddingCache:
    return EmbeddingCache(app_settings.SEARCH_EMBEDDING_CACHE or index_folder)


# -- progress of a bulk run ------------------------------------------------------------------------

_progress = threading.local()


@contextlib.contextmanager
def embedding_progress(callback: Callable[[int, int], None]) -> Iterator[None]:
    """Call `callback(embedded, reused)` as this thread writes vectors (update_index): passages
    embedded now, and passages whose vector was stored or cached already."""
    _progress.callback = callback
    try:
        yield
    finally:
        _progress.callback = None


def _report(embedded: int, reused: int) -> None:
    callback = getattr(_progress, "callback", None)
    if callback:
        callback(embedded, reused)


# -- writing (the index writer only) ---------------------------------------------------------------


def _meta_path(folder: str, name: str) -> str:
    return os.path.join(folder, f"{name}.vectors.json")


def _read_meta(folder: str, name: str) -> dict | None:
    try:
        with open(_meta_path(folder, name), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Passage:
    """One text embedded for a document: its passage ("passage"), its title ("title") or an
    example question customers ask ("question"). Titles and questions are embedded as queries:
    question against question is the model's symmetric task."""

    text: str
    kind: str = "passage"

    @property
    def question(self) -> bool:
        return self.kind != "passage"

    @property
    def key(self) -> str:
        return text_hash(f"query: {self.text}" if self.question else self.text)


def document_passages(title: str, text: str, questions: list[str]) -> list[Passage]:
    """What is embedded of one document: its passage, its title, its example questions."""
    passages = [Passage(passage_text(title, text))]
    if title.strip():
        passages.append(Passage(title.strip(), "title"))
    return passages + [Passage(question, "question") for question in questions]


Rows = dict[str, dict[str, tuple[np.ndarray, str]]]


def _kinds(meta: dict) -> dict[str, str]:
    """Text hash -> kind of row ("passage" unless the meta file lists it as a title or question;
    a text that is both is read as the title, whose discount is smaller)."""
    kinds = dict.fromkeys(meta.get("question_keys", ()), "question")
    kinds.update(dict.fromkeys(meta.get("title_keys", ()), "title"))
    return kinds


def _current(folder: str, name: str, model: str) -> Rows:
    """The stored rows of index `name`: document id -> {text hash: (vector, kind)}."""
    meta = _read_meta(folder, name)
    rows: Rows = {}
    if not meta or meta.get("model") != model or not meta["ids"]:
        return rows
    kinds = _kinds(meta)
    matrix = np.load(os.path.join(folder, meta["file"]))
    for row, (doc_id, key) in enumerate(zip(meta["ids"], meta["hashes"], strict=True)):
        rows.setdefault(doc_id, {})[key] = (matrix[row], kinds.get(key, "passage"))
    return rows


def write(folder: str, name: str, encoder: Encoder, documents: dict[str, list[Passage]]) -> int:
    """Bring the vectors of index `name` up to date with `documents` (id -> its passages, the
    first made by `passage_text`) and return how many texts were embedded. The caller holds
    the writer lock."""
    rows = _current(folder, name, encoder.name)
    wanted = {p.key: p for passages in documents.values() for p in passages}
    stored = {key for doc_rows in rows.values() for key in doc_rows}
    missing = sorted(set(wanted) - stored)
    cache = embedding_cache(folder)
    found = cache.get_many(encoder.name, missing) if missing else {}
    to_embed = [key for key in missing if key not in found]
    _report(0, len(wanted) - len(to_embed))
    for question in (False, True):
        keys = [key for key in to_embed if wanted[key].question is question]
        encode = encoder.encode_queries if question else encoder.encode_passages
        for start in range(0, len(keys), EMBED_BATCH):
            batch_keys = keys[start : start + EMBED_BATCH]
            batch = dict(
                zip(batch_keys, encode([wanted[key].text for key in batch_keys]), strict=True)
            )
            cache.put_many(encoder.name, batch)
            found.update(batch)
            _report(len(batch_keys), 0)
    known = {key: vector for doc_rows in rows.values() for key, (vector, _q) in doc_rows.items()}
    known.update(found)
    for doc_id, passages in documents.items():
        rows[doc_id] = {}
        for passage in passages:  # the first kind of a text wins: a title before a question
            rows[doc_id].setdefault(passage.key, (known[passage.key], passage.kind))
    _save(folder, name, encoder, rows)
    return len(to_embed)


def remove(folder: str, name: str, doc_ids: set[str]) -> None:
    """Drop the rows of these documents (the caller holds the writer lock)."""
    meta = _read_meta(folder, name)
    if not meta or not doc_ids & set(meta["ids"]):
        return
    rows = _current(folder, name, meta["model"])
    for doc_id in doc_ids:
        rows.pop(doc_id, None)
    _save(folder, name, meta["model"], rows, dimension=meta["dimension"])


def clear(folder: str, name: str) -> None:
    """Forget the vectors of index `name` (the embedding cache keeps them for the rebuild)."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(_meta_path(folder, name))
    for path in glob.glob(os.path.join(folder, f"{glob.escape(name)}.vectors.*.npy")):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def _save(folder, name, encoder_or_model, rows, dimension=None) -> None:
    model = getattr(encoder_or_model, "name", encoder_or_model)
    dimension = dimension or encoder_or_model.dimension
    meta = _read_meta(folder, name)
    generation = (meta or {}).get("generation", 0) + 1
    ordered = [(doc_id, key, vector, kind) for doc_id in sorted(rows)
               for key, (vector, kind) in rows[doc_id].items()]
    matrix = (
        np.vstack([row[2] for row in ordered]).astype(np.float32)
        if ordered
        else np.zeros((0, dimension), dtype=np.float32)
    )
    filename = f"{name}.vectors.{generation}.npy"
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{filename}.tmp")
    with open(temporary, "wb") as handle:
        np.save(handle, matrix)
    os.replace(temporary, os.path.join(folder, filename))
    new_meta = {
        "model": model, "dimension": dimension, "generation": generation, "file": filename,
        "ids": [row[0] for row in ordered],
        "hashes": [row[1] for row in ordered],
        "question_keys": sorted({row[1] for row in ordered if row[3] == "question"}),
        "title_keys": sorted({row[1] for row in ordered if row[3] == "title"}),
    }
    temporary = _meta_path(folder, name) + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(new_meta, handle)
    os.replace(temporary, _meta_path(folder, name))
    if meta and meta.get("file") != filename:
        # Searchers that mapped the old matrix keep reading it until they reopen.
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, meta["file"]))


# -- reading (every search) ------------------------------------------------------------------------


@dataclass(frozen=True)
class DenseIndex:
    """The vectors of one search index as a searcher reads them (memory-mapped). A document's
    rows are consecutive (its passage, its title, its example questions); `starts` is the first
    row of each document in `documents`."""

    model: str
    documents: list[str]
    starts: np.ndarray
    matrix: np.ndarray
    offsets: np.ndarray
    stamp: tuple

    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """The `limit` documents closest to `vector` by their best row: (id, cosine), best
        first."""
        if not self.documents:
            return []
        # einsum, not `matrix @ vector`: BLAS would run this on its own thread pool, whose
        # threads keep spinning after the product and slow the query encoder and the lexical
        # search of the same request (10k articles + 100k posts: search p95 65 -> 45 ms).
        cosines = np.einsum("ij,j->i", self.matrix, vector)
        cosines -= self.offsets
        cosines = np.maximum.reduceat(cosines, self.starts)
        limit = min(limit, len(self.documents))
        top = np.argpartition(-cosines, limit - 1)[:limit]
        top = top[np.argsort(-cosines[top])]
        return [(self.documents[row], float(cosines[row])) for row in top]


_open: dict[tuple[str, str], DenseIndex] = {}
_open_lock = threading.Lock()


def open_dense(folder: str, name: str) -> DenseIndex | None:
    """The current vectors of index `name`, or None when it has none (reopened when the writer
    replaced them; one stat per call)."""
    try:
        info = os.stat(_meta_path(folder, name))
    except FileNotFoundError:
        return None
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    key = (folder, name)
    dense = _open.get(key)
    if dense is not None and dense.stamp == stamp:
        return dense
    meta = _read_meta(folder, name)
    if not meta:
        return None
    try:
        matrix = np.load(os.path.join(folder, meta["file"]), mmap_mode="r")
    except (OSError, ValueError) as error:
        logger.warning("Vectors of %s unreadable (%s); searching lexically.", name, error)
        return None
    if matrix.ndim != 2 or len(matrix) != len(meta["ids"]):
        return None  # a half-written generation: the next call sees the finished one
    ids = meta["ids"]
    starts = [row for row, doc_id in enumerate(ids) if not row or ids[row - 1] != doc_id]
    kinds = _kinds(meta)
    offsets = np.array(
        [OFFSETS[kinds.get(key, "passage")] for key in meta["hashes"]], dtype=np.float32
    )
    dense = DenseIndex(
        meta["model"], [ids[row] for row in starts], np.array(starts, dtype=np.intp), matrix,
        offsets, stamp,
    )
    with _open_lock:
        _open[key] = dense
    return dense
