"""Keeps the help search index in step with what is published.

Publishing, unpublishing, moving, restricting and deleting articles (or renaming a category,
whose title the index shows) record index operations through `search.indexing`, which applies
them after the transaction commits, in a single writer, never inside the request's own work.
"""

import contextlib

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .listings import article_model, category_model


def _indexing():
    if not apps.is_installed("search"):
        return None
    from search import indexing

    return indexing


def enqueue_index_update(page_ids) -> None:
    indexing = _indexing()
    if indexing is not None:
        indexing.enqueue(article_model()._meta.label_lower, page_ids)


@contextlib.contextmanager
def batched_index_updates():
    """Apply the index updates of a bulk operation once, at its end."""
    indexing = _indexing()
    with indexing.deferred_index_updates() if indexing else contextlib.nullcontext():
        yield


def _articles_below(page) -> list[int]:
    return list(article_model().objects.descendant_of(page).values_list("pk", flat=True))


def on_page_changed(sender, instance, **kwargs):
    if isinstance(instance, article_model()):
        enqueue_index_update([instance.pk])
    elif isinstance(instance, category_model()) and kwargs.get("signal") is not post_delete:
        enqueue_index_update(_articles_below(instance))


def on_page_moved(sender, instance, **kwargs):
    specific = instance.specific_deferred
    if isinstance(specific, article_model()):
        enqueue_index_update([instance.pk])
    elif isinstance(specific, category_model()):
        enqueue_index_update(_articles_below(instance))


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restricted page and everything below it leave the public index; lifted, they return."""
    page = instance.page
    ids = _articles_below(page)
    if isinstance(page.specific_deferred, article_model()):
        ids.append(page.pk)
    enqueue_index_update(ids)


def connect() -> None:
    page_published.connect(on_page_changed, dispatch_uid="faq-index-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="faq-index-unpublished")
    post_delete.connect(on_page_changed, dispatch_uid="faq-index-deleted")
    post_page_move.connect(on_page_moved, dispatch_uid="faq-index-moved")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"faq-index-restriction-{signal is post_save}",
        )
