"""The single writer of the help search index.

A change to searchable content adds `IndexOperation` rows in its own transaction and, after it
commits, enqueues the `apply_index_queue` task. The task takes the writer lock (one process at a
time writes; the others leave the work to it), re-reads each object through its search index's
`index_queryset` and updates or removes its document, then deletes the rows it applied. An
object that was unpublished, made private or deleted is removed; a failure leaves its rows for
the next run, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

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
_deferred = threading.local()


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
def writer_lock() -> Iterator[bool]:
    """One index writer at a time: a file lock beside a file index, else a cache lock."""
    path = connections[app_settings.SEARCH_CONNECTION].options.get("PATH")
    if path:
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, ".helpcenter-writer.lock"), "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    key = "helpcenter:search:writer"
    if not cache.add(key, os.getpid(), timeout=600):
        yield False
        return
    try:
        yield True
    finally:
        cache.delete(key)
