"""Who follows what, and who hears about a new post, an accepted answer or a mention.

The asker and every replier follow their thread automatically (`follow_automatically`); a
member who turned that off stays unsubscribed when they post again. Members follow a thread or
a whole board (new threads only, or every post). `recipients_for_post` decides who is told about
a post and why, never its author and never one member twice; `community.notifications` stores
the mails in the shared outbox. One-click unsubscribe links carry a signed token
(`unsubscribe_token`), valid without a login.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import translation

from .members import profile_of
from .models import Board, MemberProfile, Post, PostState, Subscription, Thread

TOKEN_SALT = "community.unsubscribe"  # noqa: S105 - a signing salt, not a secret
MENTIONS = "mentions"
MAX_MENTIONS = 10
MENTION_PATTERN = re.compile(r"(?<![\w@])@(\S[^@\n]{0,39})")
DISPLAY_NAME_END = re.compile(r"[\s,;:!?)\]]")


class Reason:
    """Why a member hears about a post (the mail says so, and its unsubscribe link stops it)."""

    REPLY = "reply"            # follows the thread
    BOARD = "board"            # follows the board (every post)
    NEW_THREAD = "new_thread"  # follows the board (new threads)
    MENTION = "mention"        # named with @display name
    ACCEPTED = "accepted"      # the thread they follow is solved, or their answer accepted


# Following -------------------------------------------------------------------------------------


def follow_thread(member, thread: Thread) -> Subscription:
    """Follow a thread on request (again, if it had been turned off)."""
    subscription, _created = _update_or_create(member, thread=thread, defaults={"active": True})
    return subscription


def follow_board(member, board: Board, level: str = Subscription.Level.NEW_THREADS):
    """Follow a board: mails about its new threads, or about every post in it."""
    subscription, _created = _update_or_create(
        member, board=board, defaults={"active": True, "level": level}
    )
    return subscription


def follow_automatically(member, thread: Thread) -> None:
    """The asker and each replier follow the thread, unless they turned it off before."""
    remember_language(member)
    if not Subscription.objects.filter(member=member, thread=thread).exists():
        _update_or_create(member, thread=thread, defaults={"automatic": True})


def unfollow(member, *, thread: Thread | None = None, board: Board | None = None) -> bool:
    """Stop mails about a thread or board; True when something was on. A thread stays turned
    off (posting there again does not follow it anew)."""
    if thread is not None:
        subscription, _created = _update_or_create(member, thread=thread,
                                                   defaults={"active": False})
        return not _created
    return bool(Subscription.objects.filter(member=member, board=board, active=True)
                .update(active=False))


def _update_or_create(member, *, defaults: dict, **target):
    for _attempt in range(2):  # two requests at once: the second finds the first's row
        try:
            with transaction.atomic():
                return Subscription.objects.update_or_create(member=member, defaults=defaults,
                                                             **target)
        except IntegrityError:
            continue
    raise RuntimeError("Could not store the subscription")


def follows(member, thread: Thread) -> bool:
    if not (member and member.is_authenticated):
        return False
    return Subscription.objects.filter(member=member, thread=thread, active=True).exists()


def board_level(member, board: Board) -> str:
    """The member's level for a board ("" when they do not follow it)."""
    if not (member and member.is_authenticated):
        return ""
    found = Subscription.objects.filter(member=member, board=board, active=True).first()
    return found.level if found else ""


def remember_language(member) -> None:
    """Mails reach the member in the language they last used the forum in."""
    language = (translation.get_language() or "")[:12]
    profile = profile_of(member)
    if language and profile.language != language:
        MemberProfile.objects.filter(pk=profile.pk).update(language=language)
        profile.language = language


def move_followers(source: Thread, target: Thread) -> int:
    """A merged thread's followers follow the thread it was merged into (a member who turned the
    target off stays off); returns how many subscriptions moved."""
    moved = 0
    taken = set(Subscription.objects.filter(thread=target).values_list("member_id", flat=True))
    for subscription in Subscription.objects.filter(thread=source, active=True):
        if subscription.member_id not in taken:
            Subscription.objects.filter(pk=subscription.pk).update(thread=target)
            moved += 1
    Subscription.objects.filter(thread=source).delete()
    return moved


# Mentions --------------------------------------------------------------------------------------


def mentioned_members(source: str) -> list:
    """Members named as `@display name` in a post (the longest display name that matches),
    at most MAX_MENTIONS."""
    candidates: set[str] = set()
    for match in MENTION_PATTERN.finditer(source):
        text = match.group(1)
        ends = [m.start() for m in DISPLAY_NAME_END.finditer(text)] + [len(text)]
        for end in ends:
            candidates.add(text[:end].strip().lower())
            if text[:end].endswith("."):  # "thanks @Ben." names "Ben"
                candidates.add(text[:end - 1].strip().lower())
    if not candidates:
        return []
    profiles = (
        MemberProfile.objects.annotate(lowered=Lower("display_name"))
        .filter(lowered__in=candidates).select_related("user")
    )
    found = {profile.lowered: profile for profile in profiles}
    members, seen = [], set()
    for match in MENTION_PATTERN.finditer(source):
        text = match.group(1).lower()
        names = sorted((name for name in found if _names(text, name)), key=len, reverse=True)
        if names and found[names[0]].user_id not in seen:
            seen.add(found[names[0]].user_id)
            members.append(found[names[0]].user)
    return members[:MAX_MENTIONS]


def _names(text: str, name: str) -> bool:
    """Whether mention text begins with the whole display name (not "Ann" in "@Anna")."""
    rest = text[len(name):]
    return text.startswith(name) and (not rest or not rest[0].isalnum())


# Who hears about what --------------------------------------------------------------------------


def recipients_for_post(post: Post) -> dict:
    """Members to tell about a new visible post, each with one `Reason` (a mention first)."""
    if post.state != PostState.APPROVED:
        return {}
    thread = post.thread
    reasons: dict[int, str] = {}
    board_subscriptions = Subscription.objects.filter(board_id=thread.board_id, active=True)
    if post.is_question:
        for member_id in board_subscriptions.values_list("member_id", flat=True):
            reasons[member_id] = Reason.NEW_THREAD
    else:
        muted = Subscription.objects.filter(thread=thread, active=False).values("member_id")
        everything = board_subscriptions.filter(level=Subscription.Level.EVERYTHING)
        for member_id in everything.exclude(member_id__in=muted).values_list("member_id",
                                                                              flat=True):
            reasons[member_id] = Reason.BOARD
        for member_id in thread.subscriptions.filter(active=True).values_list("member_id",
                                                                              flat=True):
            reasons[member_id] = Reason.REPLY
    for member in mentioned_members(post.source):
        profile = getattr(member, "forum_profile", None)
        if profile is None or profile.mention_mails:
            reasons[member.pk] = Reason.MENTION
    reasons.pop(post.author_id, None)
    return _reachable(reasons)


def recipients_for_accepted(post: Post, accepted_by) -> dict:
    """Followers of the thread and the answer's author, but not whoever accepted it."""
    reasons = dict.fromkeys(
        post.thread.subscriptions.filter(active=True).values_list("member_id", flat=True),
        Reason.ACCEPTED,
    )
    if post.author_id:
        reasons[post.author_id] = Reason.ACCEPTED
    reasons.pop(getattr(accepted_by, "pk", None), None)
    return _reachable(reasons)


def _reachable(reasons: dict[int, str]) -> dict:
    """The members among these who have an account that is active and an address."""
    users = get_user_model().objects.filter(pk__in=reasons, is_active=True).exclude(email="")
    return {user: reasons[user.pk] for user in users}


# One-click unsubscribe -------------------------------------------------------------------------


def unsubscribe_token(member, subscription: Subscription | None = None) -> str:
    """A signed token that turns off one subscription (or, without one, mention mails)."""
    target = subscription.pk if subscription is not None else MENTIONS
    return signing.dumps([member.pk, target], salt=TOKEN_SALT)


def read_token(token: str):
    """(member, subscription or None for mention mails) of a valid token; None otherwise."""
    try:
        member_id, target = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    member = get_user_model().objects.filter(pk=member_id).first() \
        if isinstance(member_id, int) else None
    if member is None:
        return None
    if target == MENTIONS:
        return member, None
    subscription = (
        Subscription.objects.filter(pk=target, member=member).select_related("thread", "board")
        .first() if isinstance(target, int) else None
    )
    return (member, subscription) if subscription is not None else None


def unsubscribe(member, subscription: Subscription | None) -> None:
    """What a one-click unsubscribe does: turn the subscription (or mention mails) off."""
    if subscription is None:
        MemberProfile.objects.filter(user=member).update(mention_mails=False)
    else:
        Subscription.objects.filter(pk=subscription.pk).update(active=False)
