"""Moderation: the pre-moderation policy, the review queue, and what moderators do with a post.

`review` decides, before a post is stored, whether it is published or waits in the queue (a new
member's first posts, more links than the member's trust level allows, a watched word). The
actions (approve, reject, mark as spam, delete, restore, ignore flags, edit) each run in one
transaction, keep the thread's counters and search document in step, and write a Wagtail log
entry (who, what, when, why; labels name only ids, never a member's text or name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from helpcenter import spam

from . import trust
from .conf import app_settings
from .members import is_moderator
from .models import Flag, Post, PostState, ReviewReason, Thread, WatchedWord

OPEN_FLAGS = Exists(Flag.objects.filter(post=OuterRef("pk"), state=Flag.State.OPEN))
# Moderators' decisions that leave the queue; everything else in these states waits in it.
WAITING = Q(state__in=[PostState.PENDING, PostState.HIDDEN]) | Q(
    state=PostState.SPAM, review_reason=ReviewReason.SPAM_SIGNAL
)


class ForumRefusal(Exception):
    """A post that may not be stored at all (a blocked word, a silenced member); says why."""


@dataclass(frozen=True)
class Verdict:
    state: str = PostState.APPROVED
    reason: str = ReviewReason.NONE
    flag_words: tuple[str, ...] = ()


# Before a post is stored -----------------------------------------------------------------------


def check_may_write(user) -> None:
    """Refuse a banned or silenced member, saying why and until when."""
    profile = getattr(user, "forum_profile", None)
    if profile is None:
        return
    if profile.banned:
        raise ForumRefusal(_("Your account may no longer post in the forum: %(reason)s")
                           % {"reason": profile.sanction_reason or _("no reason given")})
    if profile.silenced_until and profile.silenced_until > timezone.now():
        until = timezone.localtime(profile.silenced_until).strftime("%Y-%m-%d %H:%M")
        raise ForumRefusal(_("A moderator has made your account read-only until %(until)s: "
                             "%(reason)s") % {"until": until,
                                              "reason": profile.sanction_reason or "—"})


def watched_words_in(text: str) -> dict[str, list[str]]:
    """The watched words a text contains, by action (whole words, case ignored)."""
    found: dict[str, list[str]] = {}
    folded = " ".join(text.split()).casefold()
    for phrase, action in WatchedWord.objects.values_list("phrase", "action"):
        words = [re.escape(word) for word in phrase.casefold().split()]
        if words and re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", folded):
            found.setdefault(action, []).append(phrase)
    return found


def _check_daily_limits(author, is_thread: bool) -> None:
    since = timezone.now() - timezone.timedelta(days=1)
    recent = Post.objects.filter(author=author, created_at__gte=since)
    limit = app_settings.NEW_MEMBER_POSTS_PER_DAY
    if recent.count() >= limit:
        raise ForumRefusal(ngettext(
            "New members may write %(limit)d post a day. Please come back tomorrow.",
            "New members may write %(limit)d posts a day. Please come back tomorrow.", limit,
        ) % {"limit": limit})
    limit = app_settings.NEW_MEMBER_THREADS_PER_DAY
    if is_thread and recent.filter(is_question=True).count() >= limit:
        raise ForumRefusal(ngettext(
            "New members may start %(limit)d thread a day. Please come back tomorrow.",
            "New members may start %(limit)d threads a day. Please come back tomorrow.", limit,
        ) % {"limit": limit})


def review(author, text: str, *, is_thread: bool = False) -> Verdict:
    """Publish, hold for review, or refuse (ForumRefusal) a post about to be stored.

    Override the policy through the settings (docs/community.md, "Pre-moderation").
    """
    check_may_write(author)
    level = trust.level_of(author)
    if level == trust.TrustLevel.MODERATOR:
        return Verdict()
    words = watched_words_in(text)
    if WatchedWord.Action.BLOCK in words:
        raise ForumRefusal(_("Your post contains “%(word)s”, which is not allowed here. Please "
                             "change it.") % {"word": words[WatchedWord.Action.BLOCK][0]})
    if level == trust.TrustLevel.NEW:
        _check_daily_limits(author, is_thread)
    flag_words = tuple(words.get(WatchedWord.Action.FLAG, ()))
    limit = trust.max_links(level)
    if level == trust.TrustLevel.NEW and Post.objects.filter(
        author=author, state=PostState.APPROVED
    ).count() < app_settings.PREMODERATE_FIRST_POSTS:
        return Verdict(PostState.PENDING, ReviewReason.FIRST_POST, flag_words)
    if limit is not None and spam.too_many_links(text, limit):
        return Verdict(PostState.PENDING, ReviewReason.LINKS, flag_words)
    if WatchedWord.Action.REQUIRE_APPROVAL in words:
        return Verdict(PostState.PENDING, ReviewReason.WATCHED_WORD, flag_words)
    return Verdict(flag_words=flag_words)


# The queue -------------------------------------------------------------------------------------

SECTIONS = ("pending", "flagged", "spam")


def queue(section: str = "") -> QuerySet:
    """Posts waiting for a moderator, the longest waiting first; `section` narrows it."""
    queryset = Post.objects.alias(open_flags=OPEN_FLAGS)
    if section == "pending":
        queryset = queryset.filter(state=PostState.PENDING)
    elif section == "flagged":
        queryset = queryset.filter(
            Q(state=PostState.HIDDEN) | Q(state=PostState.APPROVED, open_flags=True)
        )
    elif section == "spam":
        queryset = queryset.filter(state=PostState.SPAM, review_reason=ReviewReason.SPAM_SIGNAL)
    else:
        queryset = queryset.filter(WAITING | Q(state=PostState.APPROVED, open_flags=True))
    return queryset.select_related("thread__board", "author__forum_profile").order_by(
        "state_changed_at", "pk"
    )


def waiting_count() -> int:
    return queue().count()


def overdue(now=None) -> QuerySet:
    """Queue items waiting longer than `REVIEW_REMINDER_HOURS`."""
    since = (now or timezone.now()) - timezone.timedelta(hours=app_settings.REVIEW_REMINDER_HOURS)
    return queue().filter(state_changed_at__lt=since)


# Moderators' actions ---------------------------------------------------------------------------


def record(instance, action: str, user, reason: str = "", **data):
    """A Wagtail log entry; the label names the object by id only (no personal data)."""
    label = {Post: "Post", Thread: "Thread"}.get(type(instance), "Member")
    pk = instance.user_id if label == "Member" else instance.pk
    if isinstance(instance, Post):
        data.setdefault("thread", instance.thread_id)
        data.setdefault("member", instance.author_id)
    return log(instance, action, user=user, title=f"{label} {pk}",
               data={"reason": reason[:500], **data} if reason else data)


def set_state(post: Post, state: str, reason: str = ReviewReason.NONE) -> bool:
    """Move a post (and, for the question, its thread) to `state`, keeping counters and index.

    A compare-and-set on the state the caller saw: when another moderator changed the post in
    the meantime, nothing changes, `post` is reloaded and the answer is False.
    """
    from . import notifications
    from .posting import reindex

    was_public, now_public = post.state == PostState.APPROVED, state == PostState.APPROVED
    now = timezone.now()
    if state == post.state or not Post.objects.filter(pk=post.pk, state=post.state).update(
        state=state, review_reason=reason, state_changed_at=now
    ):
        post.refresh_from_db(fields=["state", "review_reason", "state_changed_at"])
        return False
    post.state, post.review_reason, post.state_changed_at = state, reason, now
    thread_updates = {}
    if post.is_question:
        thread_updates["state"] = state
    elif was_public != now_public:
        thread_updates["reply_count"] = (F("reply_count") + 1 if now_public
                                         else Greatest(F("reply_count") - 1, 0))
        if now_public:
            thread_updates["last_activity_at"] = now
        elif post.thread.accepted_post_id == post.pk:
            thread_updates["accepted_post"] = None
    if thread_updates:
        Thread.objects.filter(pk=post.thread_id).update(**thread_updates)
    reindex([post.thread_id])
    if now_public and not was_public:
        # Followers hear of a post once it is visible (the outbox keys keep it to one mail).
        notifications.notify_post(post)
    return True


def _resolve_flags(post: Post, state: str) -> int:
    return Flag.objects.filter(post=post, state=Flag.State.OPEN).update(
        state=state, resolved_at=timezone.now()
    )


def _require(moderator) -> None:
    from django.core.exceptions import PermissionDenied

    if not is_moderator(moderator):
        raise PermissionDenied


@transaction.atomic
def approve(post: Post, moderator) -> bool:
    """Publish a waiting post (flags on it were not upheld); False if it was published already."""
    _require(moderator)
    if not set_state(post, PostState.APPROVED):
        return False
    _resolve_flags(post, Flag.State.IGNORED)
    if post.author_id:
        trust.refresh(post.author)
    record(post, "community.approve", moderator)
    return True


@transaction.atomic
def reject(post: Post, moderator, reason: str) -> bool:
    """Refuse a post; its author is told why by e-mail."""
    from .notices import tell_author_rejected

    _require(moderator)
    if not set_state(post, PostState.REJECTED):
        return False
    upheld = _resolve_flags(post, Flag.State.UPHELD)
    entry = record(post, "community.reject", moderator, reason)
    if post.author_id:
        if upheld:
            trust.refresh(post.author)
        tell_author_rejected(post, entry)
    return True


@transaction.atomic
def mark_spam(post: Post, moderator) -> int:
    """Hold the post and its author's other waiting posts as spam; returns how many."""
    _require(moderator)
    posts = [post]
    if post.author_id:
        posts += list(Post.objects.filter(author_id=post.author_id, state=PostState.PENDING)
                      .exclude(pk=post.pk).select_related("thread"))
    done = 0
    for each in posts:
        if set_state(each, PostState.SPAM, ReviewReason.SPAM):
            _resolve_flags(each, Flag.State.UPHELD)
            record(each, "community.spam", moderator)
            done += 1
    if done and post.author_id:
        trust.refresh(post.author)
    return done


@transaction.atomic
def delete(post: Post, moderator, reason: str = "") -> bool:
    """Soft-delete a post (restorable); flags on it are upheld."""
    _require(moderator)
    if not set_state(post, PostState.DELETED):
        return False
    if _resolve_flags(post, Flag.State.UPHELD) and post.author_id:
        trust.refresh(post.author)
    record(post, "community.delete", moderator, reason)
    return True


@transaction.atomic
def restore(post: Post, moderator) -> bool:
    """Publish a deleted, rejected or spam post again."""
    _require(moderator)
    if not set_state(post, PostState.APPROVED):
        return False
    record(post, "community.restore", moderator)
    return True


@transaction.atomic
def ignore_flags(post: Post, moderator) -> bool:
    """The flags were wrong: a post they hid is published again."""
    _require(moderator)
    if not _resolve_flags(post, Flag.State.IGNORED):
        return False
    if post.state == PostState.HIDDEN:
        set_state(post, PostState.APPROVED)
    record(post, "community.ignore_flags", moderator)
    return True


def edit(post: Post, moderator, source: str) -> None:
    """Change a post's text as a moderator (the earlier text is kept as a revision)."""
    from .posting import edit_post

    _require(moderator)
    with transaction.atomic():
        edit_post(post, moderator, source)
        record(post, "community.edit", moderator)


ACTIONS = {
    "approve": approve,
    "reject": reject,
    "spam": mark_spam,
    "delete": delete,
    "restore": restore,
    "ignore": ignore_flags,
}
NEEDS_REASON = {"reject"}


# Members ---------------------------------------------------------------------------------------


@transaction.atomic
def silence(profile, moderator, until, reason: str) -> None:
    """Make a member read-only until `until`; they are told why (mail and on the site)."""
    from .notices import tell_member_restricted

    _require(moderator)
    profile.silenced_until, profile.sanction_reason = until, reason
    profile.save(update_fields=["silenced_until", "sanction_reason"])
    tell_member_restricted(profile)
    record(profile, "community.silence", moderator, reason, until=until.isoformat())


@transaction.atomic
def ban(profile, moderator, reason: str) -> None:
    """Stop a member from writing at all; their waiting posts are rejected."""
    from .notices import tell_member_restricted

    _require(moderator)
    profile.banned, profile.sanction_reason = True, reason
    profile.save(update_fields=["banned", "sanction_reason"])
    for post in Post.objects.filter(author_id=profile.user_id, state=PostState.PENDING):
        set_state(post, PostState.REJECTED)
    tell_member_restricted(profile)
    record(profile, "community.ban", moderator, reason)


@transaction.atomic
def lift(profile, moderator) -> None:
    """End a silence or a ban."""
    _require(moderator)
    profile.banned, profile.silenced_until, profile.sanction_reason = False, None, ""
    profile.save(update_fields=["banned", "silenced_until", "sanction_reason"])
    record(profile, "community.lift", moderator)
