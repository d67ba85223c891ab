"""The forum's business rules: starting threads, replying, editing, deleting, accepting, voting.

Views call these; each runs in one transaction, keeps the thread's counters with atomic
updates and records the search index update in the same transaction (after commit the index
queue applies it). Who may do what is checked here as well as in the views.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from helpcenter.slugs import slug_for

from . import notifications, subscriptions
from .conf import app_settings
from .markup import render_markdown
from .members import is_moderator, profile_of
from .models import Board, Post, PostRevision, PostState, ReviewReason, Thread, Vote
from .moderation import ForumRefusal, Verdict, review

SLUG_MAX_LENGTH = 80
THREAD_MODEL_LABEL = "community.thread"


class ForumError(Exception):
    """A rule the member can do something about; the message says what."""


HELD_AS_SPAM = Verdict(PostState.SPAM, ReviewReason.SPAM_SIGNAL)


def _review(author, text: str, *, is_thread: bool = False, spam_signal: bool = False) -> Verdict:
    """The moderation's verdict; a post caught by a spam signal (the honeypot) is held as spam
    without a word to the sender, as on the contact form."""
    if spam_signal:
        return HELD_AS_SPAM
    try:
        return review(author, text, is_thread=is_thread)
    except ForumRefusal as refusal:
        raise ForumError(str(refusal)) from None


def _flag_watched_words(post: Post, verdict: Verdict) -> None:
    if verdict.flag_words:
        from .flags import flag_watched_words

        flag_watched_words(post, verdict.flag_words)


def make_slug(title: str) -> str:
    """An ASCII slug cut between words: "Brille für Kinder" becomes "brille-fuer-kinder"."""
    return slug_for(title, SLUG_MAX_LENGTH, fallback="thread")


def reindex(thread_ids) -> None:
    """Bring these threads' search documents up to date after the transaction commits."""
    if apps.is_installed("search"):
        from search import indexing

        indexing.enqueue(THREAD_MODEL_LABEL, thread_ids)


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def _recent(created_at_field: str = "created_at") -> dict:
    since = timezone.now() - dt.timedelta(seconds=app_settings.DUPLICATE_WINDOW_SECONDS)
    return {f"{created_at_field}__gte": since}


def _check_open(thread: Thread, user) -> None:
    if thread.state != PostState.APPROVED:
        raise ForumError(_("This thread has been removed, so it takes no new replies."))
    if thread.locked and not is_moderator(user):
        if thread.lock_reason:
            raise ForumError(_("This thread is closed, so it takes no new replies. Reason: "
                               "%(reason)s") % {"reason": thread.lock_reason})
        raise ForumError(_("This thread is locked, so it takes no new replies."))


@transaction.atomic
def start_thread(board: Board, author, title: str, source: str,
                 kind: str = Thread.Kind.QUESTION, *, spam_signal: bool = False) -> Thread:
    """Open a thread with its first post; the same thread sent twice is created once."""
    title, source = _clean(title), _clean(source)
    profile_of(author)
    duplicate = (
        Thread.objects.filter(author=author, board=board, title=title, **_recent())
        .filter(posts__is_question=True, posts__source=source)
        .first()
    )
    if duplicate:
        return duplicate
    verdict = _review(author, f"{title}\n{source}", is_thread=True, spam_signal=spam_signal)
    now = timezone.now()
    thread = Thread.objects.create(
        board=board, kind=kind, title=title, slug=make_slug(title), author=author,
        created_at=now, last_activity_at=now, state=verdict.state,
    )
    post = Post.objects.create(
        thread=thread, author=author, is_question=True, source=source,
        html=render_markdown(source), created_at=now, state=verdict.state,
        review_reason=verdict.reason, state_changed_at=now,
    )
    _flag_watched_words(post, verdict)
    if verdict.state == PostState.APPROVED:
        reindex([thread.pk])
    announce(post)
    return thread


@transaction.atomic
def reply(thread: Thread, author, source: str, *, spam_signal: bool = False) -> Post:
    """Add a reply; the same reply sent twice is stored once."""
    source = _clean(source)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _check_open(thread, author)
    profile_of(author)
    duplicate = Post.objects.filter(
        thread=thread, author=author, source=source, is_question=False, **_recent()
    ).first()
    if duplicate:
        return duplicate
    verdict = _review(author, source, spam_signal=spam_signal)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=author, source=source,
                               html=render_markdown(source), created_at=now, state=verdict.state,
                               review_reason=verdict.reason, state_changed_at=now)
    _flag_watched_words(post, verdict)
    if verdict.state == PostState.APPROVED:
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
    announce(post)
    return post


def announce(post: Post) -> None:
    """The author follows the thread; once the post is visible, followers, board followers and
    mentioned members are mailed (once per post each, see community.notifications). A post that
    waits for review is announced when a moderator approves it (community.moderation)."""
    subscriptions.follow_automatically(post.author, post.thread)
    if post.state == PostState.APPROVED:
        notifications.notify_post(post)


def can_edit(post: Post, user) -> bool:
    if not (user and user.is_authenticated) or post.state == PostState.DELETED:
        return False
    return is_moderator(user) or (post.author_id == user.pk and not post.thread.locked)


@transaction.atomic
def edit_post(post: Post, editor, source: str, title: str | None = None) -> Post:
    """Change a post's text (and a question's title), keeping what it said before."""
    if not can_edit(post, editor):
        raise PermissionDenied
    source = _clean(source)
    thread = post.thread
    new_title = _clean(title) if post.is_question and title is not None else thread.title
    if source == post.source and new_title == thread.title:
        return post
    PostRevision.objects.create(
        post=post, source=post.source, title=thread.title if post.is_question else "",
        edited_by=editor,
    )
    post.source, post.html = source, render_markdown(source)
    post.edited_at = timezone.now()
    post.edit_count = F("edit_count") + 1
    post.save(update_fields=["source", "html", "edited_at", "edit_count"])
    post.refresh_from_db(fields=["edit_count"])
    if post.is_question and new_title != thread.title:
        thread.title, thread.slug = new_title, make_slug(new_title)
        thread.save(update_fields=["title", "slug"])
    if post.is_question or post.pk == thread.accepted_post_id:
        reindex([thread.pk])
    return post


def can_retitle(thread: Thread, user) -> bool:
    """The asker, regulars and moderators may correct a thread's title."""
    from .trust import can_edit_titles

    if not (user and user.is_authenticated) or thread.state != PostState.APPROVED:
        return False
    return thread.author_id == user.pk or can_edit_titles(user)


@transaction.atomic
def retitle(thread: Thread, editor, title: str) -> Thread:
    """Give a thread a better title; the old one is kept with the question's history."""
    if not can_retitle(thread, editor):
        raise PermissionDenied
    question = thread.posts.get(is_question=True)
    title = _clean(title)
    if title == thread.title:
        return thread
    PostRevision.objects.create(post=question, source=question.source, title=thread.title,
                                edited_by=editor)
    thread.title, thread.slug = title, make_slug(title)
    thread.save(update_fields=["title", "slug"])
    reindex([thread.pk])
    return thread


def can_delete(post: Post, user) -> bool:
    if not (user and user.is_authenticated) or post.state == PostState.DELETED:
        return False
    return is_moderator(user) or post.author_id == user.pk


@transaction.atomic
def delete_post(post: Post, user) -> None:
    """Soft-delete a post; deleting the question removes the whole thread from view."""
    if not can_delete(post, user):
        raise PermissionDenied
    was_visible = post.state == PostState.APPROVED
    Post.objects.filter(pk=post.pk).update(state=PostState.DELETED)
    post.state = PostState.DELETED
    thread_updates = {}
    if post.is_question:
        thread_updates["state"] = PostState.DELETED
    else:
        if was_visible:
            thread_updates["reply_count"] = Greatest(F("reply_count") - 1, 0)
        if post.thread.accepted_post_id == post.pk:
            thread_updates["accepted_post"] = None
    if thread_updates:
        Thread.objects.filter(pk=post.thread_id).update(**thread_updates)
    reindex([post.thread_id])


def can_accept(thread: Thread, user) -> bool:
    if not (user and user.is_authenticated) or not thread.is_question:
        return False
    return is_moderator(user) or thread.author_id == user.pk


@transaction.atomic
def accept(post: Post, user) -> bool:
    """Mark a reply as the answer (or, if it already is, unmark it); True when now accepted."""
    thread = post.thread
    if not can_accept(thread, user):
        raise PermissionDenied
    if post.is_question or post.state != PostState.APPROVED:
        raise ForumError(_("Only a published reply can be the accepted answer."))
    accepted = thread.accepted_post_id != post.pk
    thread.accepted_post = post if accepted else None
    Thread.objects.filter(pk=thread.pk).update(accepted_post=thread.accepted_post)
    reindex([thread.pk])
    if accepted:
        notifications.notify_accepted(post, user)
    return accepted


def vote(post: Post, member) -> bool:
    """Count one "helpful" vote of `member`; False when they had voted or wrote the post."""
    if post.author_id == member.pk or post.state != PostState.APPROVED:
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(post=post, member=member)
            Post.objects.filter(pk=post.pk).update(vote_count=F("vote_count") + 1)
            Thread.objects.filter(pk=post.thread_id).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        return False
    return True
