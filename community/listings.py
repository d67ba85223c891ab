"""The queries behind the forum's pages, each a fixed number of SQL queries whatever the size of
the forum (tests/community/test_query_counts.py holds them to it)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet

from .conf import app_settings
from .models import Board, Post, PostState, Thread, Vote

TABS = ("latest", "unanswered", "solved", "top")


def boards_in(locale) -> list[Board]:
    return list(Board.objects.filter(locale=locale).order_by("order", "name"))


def threads(locale, tab: str = "latest", board: Board | None = None) -> QuerySet:
    """Visible threads of one language for a list tab, newest activity first (top: most
    helpful votes, then views)."""
    queryset = (
        Thread.objects.visible()
        .filter(board__locale=locale)
        .select_related("board", "author__forum_profile")
    )
    if board is not None:
        queryset = queryset.filter(board=board)
    if tab == "unanswered":
        queryset = queryset.filter(reply_count=0)
    elif tab == "solved":
        queryset = queryset.filter(accepted_post__isnull=False)
    if tab == "top":
        return queryset.order_by(F("vote_count").desc(), F("view_count").desc(), "-pk")
    return queryset.order_by("-pinned", "-last_activity_at", "-pk")


def thread_page(locale, tab: str, board: Board | None, number):
    return Paginator(threads(locale, tab, board), app_settings.THREADS_PER_PAGE).get_page(number)


def _with_author(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("author__forum_profile")


def question_of(thread: Thread) -> Post | None:
    return _with_author(thread.posts.filter(is_question=True)).first()


def accepted_answer(thread: Thread) -> Post | None:
    if not thread.accepted_post_id:
        return None
    return _with_author(Post.objects.visible().filter(pk=thread.accepted_post_id)).first()


REPLY_ORDERS = {"votes": ("-vote_count", "created_at", "pk"), "time": ("created_at", "pk")}


def replies(thread: Thread, order: str = "votes", viewer=None) -> QuerySet:
    """Replies shown in a thread: published ones, deleted and hidden ones as placeholders, and
    the viewer's own replies awaiting review; the accepted answer first (it also stands under
    the question), then by votes or by time."""
    accepted_first = Q(pk=thread.accepted_post_id) if thread.accepted_post_id else Q(pk=None)
    shown = Q(state__in=[PostState.APPROVED, PostState.DELETED, PostState.HIDDEN])
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(author_id=viewer.pk, state__in=[PostState.PENDING, PostState.SPAM])
    return (
        _with_author(thread.posts.filter(is_question=False).filter(shown))
        .alias(is_accepted=accepted_first)
        .order_by(F("is_accepted").desc(), *REPLY_ORDERS.get(order, REPLY_ORDERS["votes"]))
    )


def reply_page(thread: Thread, order: str, number, viewer=None):
    return Paginator(replies(thread, order, viewer), app_settings.REPLIES_PER_PAGE).get_page(number)


def voted_post_ids(user, posts) -> set[int]:
    if not user.is_authenticated:
        return set()
    ids = [post.pk for post in posts if post is not None]
    return set(Vote.objects.filter(member=user, post_id__in=ids).values_list("post_id", flat=True))


def member_activity(user, locale) -> dict:
    """A member's threads, answers and accepted answers in one language (visible ones only)."""
    threads_started = (
        Thread.objects.visible().filter(author=user, board__locale=locale)
        .select_related("board").order_by("-created_at")
    )
    answers = (
        Post.objects.visible().replies().filter(author=user, thread__state=PostState.APPROVED,
                                                thread__board__locale=locale)
        .select_related("thread").order_by("-created_at")
    )
    accepted = answers.filter(thread__accepted_post=F("pk"))
    return {
        "threads": threads_started[:20],
        "thread_count": threads_started.count(),
        "answers": answers[:20],
        "answer_count": answers.count(),
        "accepted_count": accepted.count(),
    }


