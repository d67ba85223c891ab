"""Members flag posts; enough flag weight hides a post until a moderator looks at it.

Each flag weighs by the flagger's trust level (`FLAG_WEIGHT_*`); when the open flags of a post
reach `FLAG_HIDE_SCORE` it is hidden pending review (default like Discourse: three members or
one moderator). A member flags a post once per reason and at most `FLAGS_PER_DAY` a day; the
author may still edit a hidden post.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import trust
from .conf import app_settings
from .models import Flag, Post, PostState, ReviewReason

AUTOMATIC_WEIGHT = 0  # a watched word's flag asks for a look; it never hides a post by itself


class FlagRefused(Exception):
    """A flag that is not counted; the message says why."""


def can_flag(post: Post, user) -> bool:
    return bool(user and user.is_authenticated and post.author_id != user.pk
                and post.state == PostState.APPROVED)


def score(post: Post) -> int:
    found = Flag.objects.filter(post=post, state=Flag.State.OPEN).aggregate(total=Sum("weight"))
    return found["total"] or 0


def _check_daily_limit(member) -> None:
    limit = app_settings.FLAGS_PER_DAY
    since = timezone.now() - dt.timedelta(days=1)
    if Flag.objects.filter(member=member, created_at__gte=since).count() >= limit:
        raise FlagRefused(ngettext(
            "You can flag %(limit)d post a day. Thank you for helping; please come back tomorrow.",
            "You can flag %(limit)d posts a day. Thank you for helping; please come back tomorrow.",
            limit,
        ) % {"limit": limit})


def flag(post: Post, member, reason: str, text: str = "") -> bool:
    """Record `member`'s flag; True when it hid the post."""
    from .moderation import set_state

    if reason not in Flag.Reason.values:
        raise FlagRefused(_("Please choose why you flag this post."))
    text = " ".join(text.replace("\x00", "").split())[:500]
    if reason == Flag.Reason.OTHER and not text:
        raise FlagRefused(_("Please tell the moderators what is wrong with this post."))
    if not can_flag(post, member):
        raise FlagRefused(_("This post cannot be flagged."))
    _check_daily_limit(member)
    weight = trust.flag_weight(trust.level_of(member))
    try:
        with transaction.atomic():
            post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
            Flag.objects.create(post=post, member=member, reason=reason, text=text,
                                weight=weight)
            if post.state == PostState.APPROVED and score(post) >= app_settings.FLAG_HIDE_SCORE:
                set_state(post, PostState.HIDDEN, ReviewReason.FLAGS)
                return True
    except IntegrityError:
        raise FlagRefused(_("You have already flagged this post for this reason.")) from None
    return False


def flag_watched_words(post: Post, words) -> None:
    """A post with a "flag" watched word goes to the queue (published, not hidden)."""
    Flag.objects.create(post=post, member=None, reason=Flag.Reason.OTHER,
                        text=_("Watched words: %(words)s") % {"words": ", ".join(words)},
                        weight=AUTOMATIC_WEIGHT)
