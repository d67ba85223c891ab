"""Keeps thread addresses and search documents in step with the forum pages and boards."""

from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .links import forget_forum_pages
from .models import Board, Thread
from .posting import reindex
from .signals import thread_merged
from .subscriptions import move_followers


def on_board_changed(sender, instance, **kwargs):
    """A renamed board changes its threads' documents (they show its name)."""
    if kwargs.get("created"):
        return
    reindex(Thread.objects.filter(board=instance).values_list("pk", flat=True))


def on_forum_page_changed(sender, instance, **kwargs):
    forget_forum_pages()
    specific = getattr(instance, "specific_deferred", instance)
    from .models import forum_page_model

    if isinstance(specific, forum_page_model()):
        reindex(
            Thread.objects.visible().filter(board__locale_id=instance.locale_id)
            .values_list("pk", flat=True)
        )


def on_thread_merged(sender, source, target, **kwargs):
    """The merged thread's followers follow the thread it was merged into."""
    move_followers(source, target)


def on_page_live_changed(sender, instance, **kwargs):
    """An article that answers threads went live or offline: they leave or rejoin the search."""
    from .promotion import reindex_sources

    reindex_sources(instance)


def connect() -> None:
    post_save.connect(on_board_changed, sender=Board, dispatch_uid="community-board-saved")
    page_published.connect(on_forum_page_changed, dispatch_uid="community-page-published")
    page_unpublished.connect(on_forum_page_changed, dispatch_uid="community-page-unpublished")
    post_page_move.connect(on_forum_page_changed, dispatch_uid="community-page-moved")
    thread_merged.connect(on_thread_merged, dispatch_uid="community-thread-merged-followers")
    page_published.connect(on_page_live_changed, dispatch_uid="community-article-published")
    page_unpublished.connect(on_page_live_changed, dispatch_uid="community-article-unpublished")
