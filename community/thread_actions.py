"""What moderators do to whole threads: close, pin, move, merge, mark as a duplicate.

Each action checks the role, runs in one transaction, updates the search index, and leaves a
Wagtail log entry (who, what, when, why) whose label names the thread by number only, never by
its title (a member's words may name people). The asker is told about a merge and a duplicate
by e-mail (`notices`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import notices, recurring
from .members import is_moderator
from .models import Board, PostState, Thread
from .posting import ForumError, reindex
from .signals import thread_merged

REASON_MAX_LENGTH = 255

# Log actions (registered with labels in wagtail_hooks.register_log_actions).
CLOSE = "community.thread.close"
REOPEN = "community.thread.reopen"
PIN = "community.thread.pin"
UNPIN = "community.thread.unpin"
MOVE = "community.thread.move"
MERGE = "community.thread.merge"
DUPLICATE = "community.thread.duplicate"


def log_label(thread: Thread) -> str:
    """A log label without personal data: the thread's number."""
    return f"Thread #{thread.pk}"


def log_thread(thread: Thread, action: str, user, **data) -> None:
    """Log a thread action; the recurring questions report is computed again after it."""
    log(thread, action, user=user, title=log_label(thread), data=data)
    transaction.on_commit(recurring.forget)


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def _locked(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


@transaction.atomic
def close(thread: Thread, user, reason: str) -> Thread:
    """Lock a thread with a reason shown on it; members can no longer reply."""
    _require_moderator(user)
    thread = _locked(thread)
    thread.locked, thread.lock_reason = True, reason.strip()[:REASON_MAX_LENGTH]
    thread.save(update_fields=["locked", "lock_reason"])
    log_thread(thread, CLOSE, user, reason=thread.lock_reason)
    return thread


@transaction.atomic
def reopen(thread: Thread, user) -> Thread:
    _require_moderator(user)
    thread = _locked(thread)
    if thread.is_duplicate:
        raise ForumError(_("This thread is marked as a duplicate; it stays closed."))
    thread.locked, thread.lock_reason = False, ""
    thread.save(update_fields=["locked", "lock_reason"])
    log_thread(thread, REOPEN, user)
    return thread


@transaction.atomic
def pin(thread: Thread, user, pinned: bool = True) -> Thread:
    """Pinned threads come first in the latest list of the forum and of their board."""
    _require_moderator(user)
    Thread.objects.filter(pk=thread.pk).update(pinned=pinned)
    thread.pinned = pinned
    log_thread(thread, PIN if pinned else UNPIN, user)
    return thread


@transaction.atomic
def move(thread: Thread, user, board: Board, reason: str = "") -> Thread:
    """Move a thread to another board of the same language (its address stays)."""
    _require_moderator(user)
    if board.locale_id != thread.board.locale_id:
        raise ForumError(_("A thread can only move to a board in its own language."))
    if board.pk == thread.board_id:
        return thread
    previous = thread.board_id
    Thread.objects.filter(pk=thread.pk).update(board=board)
    thread.board = board
    reindex([thread.pk])
    log_thread(thread, MOVE, user, from_board=previous, to_board=board.pk, reason=reason)
    return thread


def check_target(thread: Thread, target: Thread | None) -> Thread:
    """The thread a merge or duplicate points to: another visible thread of the same language."""
    if target is None or target.state != PostState.APPROVED or target.merged_into_id:
        raise ForumError(_("There is no published thread with this number."))
    if target.pk == thread.pk:
        raise ForumError(_("A thread cannot point to itself."))
    if target.board.locale_id != thread.board.locale_id:
        raise ForumError(_("Both threads must be in the same language."))
    if target.duplicate_of_id == thread.pk:
        raise ForumError(_("That thread is marked as a duplicate of this one."))
    return target


@transaction.atomic
def merge(source: Thread, target: Thread, user, reason: str = "") -> Thread:
    """Move all posts of `source` into `target`; the source's address then leads to the target.

    The source's question becomes a reply of the target. The target keeps its accepted answer;
    if it had none, the source's accepted answer becomes the target's.
    """
    _require_moderator(user)
    check_target(source, target)
    first, second = sorted([source.pk, target.pk])
    rows = {t.pk: t for t in Thread.objects.select_for_update().filter(pk__in=[first, second])}
    source, target = rows[source.pk], rows[target.pk]
    moved_visible = source.posts.visible().count()
    source.posts.update(thread=target, is_question=False)
    target_updates = {
        "reply_count": F("reply_count") + moved_visible,
        "vote_count": F("vote_count") + source.vote_count,
        "view_count": F("view_count") + source.view_count,
        "last_activity_at": Greatest(F("last_activity_at"), source.last_activity_at),
    }
    if target.accepted_post_id is None and source.accepted_post_id is not None:
        target_updates["accepted_post_id"] = source.accepted_post_id
    Thread.objects.filter(pk=target.pk).update(**target_updates)
    Thread.objects.filter(pk=source.pk).update(
        state=PostState.HIDDEN, merged_into=target, accepted_post=None, reply_count=0,
        vote_count=0, locked=True,
    )
    Thread.objects.filter(merged_into=source).update(merged_into=target)
    _move_article_links(source, target)
    reindex([source.pk, target.pk])
    log_thread(source, MERGE, user, into=target.pk, reason=reason)
    log_thread(target, MERGE, user, merged=source.pk, reason=reason)
    thread_merged.send(sender=Thread, source=source, target=target)
    notices.tell_asker(source, notices.MERGED)
    target.refresh_from_db()
    return target


def _move_article_links(source: Thread, target: Thread) -> None:
    known = set(target.article_links.values_list("article_id", flat=True))
    source.article_links.exclude(article_id__in=known).update(thread=target)


@transaction.atomic
def mark_duplicate(thread: Thread, user, *, of_thread: Thread | None = None,
                   of_article=None, reason: str = "") -> Thread:
    """Close `thread` as a duplicate of a thread or a knowledge-base article.

    It stays readable with a link to the canonical answer but leaves the search results.
    """
    _require_moderator(user)
    if (of_thread is None) == (of_article is None):
        raise ForumError(_("Choose either a thread or an article."))
    if of_thread is not None:
        check_target(thread, of_thread)
    thread = _locked(thread)
    thread.duplicate_of = of_thread
    thread.duplicate_of_article = of_article
    thread.locked = True
    thread.lock_reason = reason.strip()[:REASON_MAX_LENGTH]
    thread.save(update_fields=["duplicate_of", "duplicate_of_article", "locked", "lock_reason"])
    reindex([thread.pk])
    log_thread(thread, DUPLICATE, user, reason=thread.lock_reason,
               of_thread=of_thread and of_thread.pk, of_article=of_article and of_article.pk)
    notices.tell_asker(thread, notices.DUPLICATE)
    return thread


def canonical_answer(thread: Thread):
    """The thread or live article a duplicate points to (None when it is not one)."""
    if thread.duplicate_of_id:
        target = Thread.objects.visible().filter(pk=thread.duplicate_of_id).first()
        if target is not None:
            return target
    if thread.duplicate_of_article_id:
        page = thread.duplicate_of_article
        return page.specific if page.live else None
    return None

