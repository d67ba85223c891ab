"""Keeps the help search index in step with what is published.

Index work never runs inside the request: it is enqueued as a task after the transaction commits.
Bulk operations (the importer) wrap their work in `batched_index_updates()` so that one task
updates all the pages they touched.
"""

import contextlib
import threading

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

_batch = threading.local()


def enqueue_index_update(page_ids: list[int]) -> None:
    from .tasks import update_article_index

    pending = getattr(_batch, "page_ids", None)
    if pending is not None:
        pending.update(page_ids)
        return
    transaction.on_commit(lambda: update_article_index.enqueue(sorted(page_ids)))


@contextlib.contextmanager
def batched_index_updates():
    """Collect the index updates of a bulk operation and enqueue them as one task at the end."""
    _batch.page_ids = set()
    try:
        yield
    finally:
        page_ids, _batch.page_ids = _batch.page_ids, None
        if page_ids:
            enqueue_index_update(sorted(page_ids))


def on_page_changed(sender, instance, **kwargs):
    from .listings import article_model

    if isinstance(instance, article_model()):
        enqueue_index_update([instance.pk])


def connect() -> None:
    page_published.connect(on_page_changed, dispatch_uid="faq-index-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="faq-index-unpublished")
    post_delete.connect(on_page_changed, dispatch_uid="faq-index-deleted")
