"""The single writer of the help search index.

A change to searchable content adds `IndexOperation` rows in its own transaction and, after it
commits, enqueues the `apply_index_queue` task. The task takes the writer lock (one process at a
time writes; the others leave the work to it), re-reads each object through its search index's
`index_queryset` and updates or removes its document, then deletes the rows it applied. An
object that was unpublished, made private or deleted is removed; a failure leaves its rows for
the next run, so nothing is lost. `update_index` and `rebuild_index` hold the same lock for their
whole run (`exclusive_writer`) and apply the rows that waited when they are done.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from haystack import connections
from haystack.exceptions import NotHandled

from .conf import app_settings

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
MAX_ATTEMPTS = 5
BULK_LOCK_WAIT = 600.0
LOCK_POLL_INTERVAL = 0.1
_deferred = threading.local()
_held = threading.local()


def enqueue(model_label: str, object_ids: Iterable) -> None:
    """Record that these objects' index entries must be brought up to date."""
    from .models import IndexOperation

    ids = sorted({str(object_id) for object_id in object_ids})
    if not ids:
        return
    IndexOperation.objects.bulk_create(
        IndexOperation(model_label=model_label.lower(), object_id=object_id) for object_id in ids
    )
    if getattr(_deferred, "active", False):
        _deferred.pending = True
        return
    transaction.on_commit(_schedule)


def _schedule() -> None:
    apply_index_queue.enqueue()


@contextlib.contextmanager
def deferred_index_updates() -> Iterator[None]:
    """Apply the queue once at the end of a bulk operation instead of after every change."""
    _deferred.active, _deferred.pending = True, False
    try:
        yield
    finally:
        _deferred.active = False
        if _deferred.pending:
            transaction.on_commit(_schedule)


@task()
def apply_index_queue() -> int:
    """Apply pending index operations; returns how many were applied."""
    return drain()


def drain() -> int:
    from .models import IndexOperation

    applied = 0
    while True:
        with writer_lock() as acquired:
            if not acquired:
                return applied  # the writer holding the lock applies our rows too
            applied += _apply_all()
        # Rows committed while we held the lock may have found it taken: look once more.
        if not IndexOperation.objects.filter(attempts=0).exists():
            return applied


def _apply_all() -> int:
    """Apply every pending row once (failed rows wait for the next run)."""
    from .models import IndexOperation

    applied, after = 0, 0
    while True:
        operations = list(
            IndexOperation.objects.filter(pk__gt=after, attempts__lt=MAX_ATTEMPTS)[:BATCH_SIZE]
        )
        if not operations:
            return applied
        after = operations[-1].pk
        by_model: dict[str, list] = defaultdict(list)
        for operation in operations:
            by_model[operation.model_label].append(operation)
        for model_label, batch in by_model.items():
            try:
                apply(model_label, [operation.object_id for operation in batch])
            except Exception as error:  # noqa: BLE001 - kept for a retry, and reported
                logger.exception("Index update of %s failed", model_label)
                IndexOperation.objects.filter(pk__in=[o.pk for o in batch]).update(
                    attempts=batch[0].attempts + 1, last_error=repr(error)[:2000]
                )
            else:
                IndexOperation.objects.filter(pk__in=[o.pk for o in batch]).delete()
                applied += len(batch)


def apply(model_label: str, object_ids: Iterable) -> None:
    """Make the index entries of these objects match the database, in every connection."""
    model = apps.get_model(model_label)
    object_ids = [str(object_id) for object_id in object_ids]
    for alias in connections.connections_info:
        try:
            index = connections[alias].get_unified_index().get_index(model)
        except NotHandled:
            continue
        backend = connections[alias].get_backend()
        current = list(index.index_queryset(using=alias).filter(pk__in=object_ids))
        if current:
            backend.update(index, current)
        for object_id in set(object_ids) - {str(obj.pk) for obj in current}:
            backend.remove(f"{model._meta.label_lower}.{object_id}")


@contextlib.contextmanager
def writer_lock(wait: float = 0, on_wait: Callable[[], None] | None = None) -> Iterator[bool]:
    """One index writer at a time: a file lock beside a file index, else a cache lock.

    Yields whether this thread holds the lock. A thread that holds it already gets it again.
    `wait` seconds are spent waiting for another holder; `on_wait` is called once if we wait.
    """
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield True
        finally:
            _held.depth -= 1
        return
    with _writer_lock(wait, on_wait) as acquired:
        _held.depth = 1 if acquired else 0
        try:
            yield acquired
        finally:
            _held.depth = 0


@contextlib.contextmanager
def _writer_lock(wait: float, on_wait: Callable[[], None] | None) -> Iterator[bool]:
    deadline = time.monotonic() + wait
    path = connections[app_settings.SEARCH_CONNECTION].options.get("PATH")
    if path:
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, ".helpcenter-writer.lock"), "a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not _waited(deadline, on_wait):
                        yield False
                        return
                    on_wait = None
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    key = "helpcenter:search:writer"
    while not cache.add(key, os.getpid(), timeout=600):
        if not _waited(deadline, on_wait):
            yield False
            return
        on_wait = None
    try:
        yield True
    finally:
        cache.delete(key)


def _waited(deadline: float, on_wait: Callable[[], None] | None) -> bool:
    """Sleep a little before the next attempt; False when the deadline has passed."""
    if time.monotonic() >= deadline:
        return False
    if on_wait:
        on_wait()
    time.sleep(LOCK_POLL_INTERVAL)
    return True


class IndexWriterBusy(Exception):
    """Another process kept the writer lock longer than we were willing to wait."""


@contextlib.contextmanager
def exclusive_writer(
    wait: float | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the writer lock for a whole bulk job (`update_index`, `rebuild_index`).

    Queue runs that meanwhile find the lock taken leave their rows; they are applied when the
    job ends, after it released the lock. So a change committed during the job is neither lost
    nor overwritten by the job's older copy of the object. Waits `wait` seconds for the lock
    (default BULK_LOCK_WAIT), then raises IndexWriterBusy.
    """
    try:
        with writer_lock(BULK_LOCK_WAIT if wait is None else wait, on_wait) as acquired:
            if not acquired:
                raise IndexWriterBusy
            yield
    finally:
        drain()
