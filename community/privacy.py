"""A member's data: export it as JSON, delete the account, and what erasure and the retention
purge reach in the forum (registered with `helpcenter.erasure` in CommunityConfig.ready).

When a member goes, `HELPCENTER_COMMUNITY_DELETED_MEMBER_POSTS` decides what happens to their
posts: "keep" shows them as "Former member", "remove" deletes them (a thread they started goes
with its replies).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest

from helpcenter import erasure

from .conf import app_settings
from .markup import render_markdown
from .models import MemberProfile, Post, PostRevision, PostState, Subscription, Thread, Vote
from .posting import reindex

KEEP, REMOVE = "keep", "remove"
REDACTED = "[…]"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_member(user) -> dict:
    """Everything the forum keeps about a member, as JSON-ready data."""
    profile = MemberProfile.objects.filter(user=user).first()
    return {
        "profile": profile and {
            "display_name": profile.display_name,
            "joined_at": _iso(profile.joined_at),
            "language": profile.language,
            "mention_mails": profile.mention_mails,
        },
        "threads": [
            {"id": thread.pk, "title": thread.title, "board": thread.board.name,
             "kind": thread.kind, "state": thread.state, "created_at": _iso(thread.created_at),
             "url": thread.url}
            for thread in Thread.objects.filter(author=user).select_related("board__locale")
        ],
        "posts": [
            {"id": post.pk, "thread": post.thread_id, "is_question": post.is_question,
             "state": post.state, "text": post.source, "created_at": _iso(post.created_at),
             "edited_at": _iso(post.edited_at)}
            for post in Post.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "votes": [
            {"post": post_id, "created_at": _iso(created_at)}
            for post_id, created_at in Vote.objects.filter(member=user)
            .values_list("post_id", "created_at")
        ],
        "subscriptions": [
            {"thread": subscription.thread_id, "board": subscription.board_id,
             "level": subscription.level if subscription.board_id else None,
             "active": subscription.active, "automatic": subscription.automatic,
             "created_at": _iso(subscription.created_at)}
            for subscription in Subscription.objects.filter(member=user)
        ],
    }


@transaction.atomic
def forget_member(user, posts: str | None = None) -> Counter:
    """Remove what the forum keeps about a member (their account itself stays): profile,
    subscriptions, votes, and their posts kept as "Former member" or removed."""
    posts = posts or app_settings.DELETED_MEMBER_POSTS
    counts = Counter()
    if posts == REMOVE:
        counts.update(_remove_posts(user))
    else:
        touched = set(Thread.objects.filter(author=user).values_list("pk", flat=True))
        counts["forum posts kept as former member"] = Post.objects.filter(author=user) \
            .update(author=None)
        Thread.objects.filter(author=user).update(author=None)
        reindex(touched)
    PostRevision.objects.filter(edited_by=user).update(edited_by=None)
    counts["forum votes"] = _delete_votes(user)
    counts["forum subscriptions"] = Subscription.objects.filter(member=user).delete()[0]
    counts["forum profiles"] = MemberProfile.objects.filter(user=user).delete()[0]
    return counts


def _remove_posts(user) -> Counter:
    threads = Thread.objects.filter(author=user)
    thread_ids = list(threads.values_list("pk", flat=True))
    removed_threads = threads.delete()[1].get(Thread._meta.label, 0)
    replies = Post.objects.filter(author=user)
    per_thread = dict(replies.filter(state=PostState.APPROVED).values_list("thread_id")
                      .annotate(n=Count("pk")).values_list("thread_id", "n"))
    removed_posts = replies.delete()[1].get(Post._meta.label, 0)
    for thread_id, number in per_thread.items():
        Thread.objects.filter(pk=thread_id).update(
            reply_count=Greatest(F("reply_count") - number, 0)
        )
    reindex(thread_ids + list(per_thread))
    return Counter({"forum threads": removed_threads, "forum posts": removed_posts})


def _delete_votes(user) -> int:
    votes = Vote.objects.filter(member=user).select_related("post")
    for vote in votes:
        Post.objects.filter(pk=vote.post_id).update(vote_count=Greatest(F("vote_count") - 1, 0))
        Thread.objects.filter(pk=vote.post.thread_id).update(
            vote_count=Greatest(F("vote_count") - 1, 0)
        )
    return votes.delete()[0]


@transaction.atomic
def delete_account(user) -> Counter:
    """A member deletes their account: the forum forgets them, then the account goes."""
    counts = forget_member(user)
    user.delete()
    counts["accounts"] += 1
    return counts


# Erasure and retention -------------------------------------------------------------------------


def erase_forum_data(person: erasure.Person) -> dict[str, int]:
    """The forum data of accounts with the person's address, and the person's address and
    names wherever a post repeats them (replaced by "[…]")."""
    counts = Counter()
    for user in get_user_model().objects.filter(email__iexact=person.email):
        counts.update(forget_member(user))
    counts["forum posts redacted"] = _redact(person)
    return {what: number for what, number in counts.items() if number}


def _redact(person: erasure.Person) -> int:
    changed = 0
    for post in Post.objects.filter(person.matches("source")):
        source = post.source
        for needle in person.needles():
            source = _replace_ignoring_case(source, needle, REDACTED)
        Post.objects.filter(pk=post.pk).update(source=source, html=render_markdown(source))
        changed += 1
    PostRevision.objects.filter(person.matches("source")).delete()
    return changed


def _replace_ignoring_case(text: str, needle: str, replacement: str) -> str:
    import re

    return re.sub(re.escape(needle), replacement, text, flags=re.IGNORECASE)


def purge_forum_data(cutoff: datetime) -> dict[str, int]:
    """Deleted posts and threads, and turned-off subscriptions, older than `cutoff`: kept so far
    for moderators and undo, personal data after that."""
    old_threads = Thread.objects.filter(state=PostState.DELETED, created_at__lt=cutoff)
    threads = old_threads.delete()[1].get(Thread._meta.label, 0)
    posts = Post.objects.filter(state=PostState.DELETED).filter(
        Q(edited_at__lt=cutoff) | Q(edited_at__isnull=True, created_at__lt=cutoff)
    ).delete()[1].get(Post._meta.label, 0)
    subscriptions = Subscription.objects.filter(active=False, created_at__lt=cutoff).delete()[0]
    return {"deleted forum threads": threads, "deleted forum posts": posts,
            "turned-off forum subscriptions": subscriptions}


STORE = erasure.PersonalDataStore(name="community", erase=erase_forum_data,
                                  purge=purge_forum_data)
