"""Trust levels: what a member may do grows with approved posts and time, shrinks with upheld flags.

Levels (thresholds in settings, docs/community.md "Trust levels"): NEW (links, posts and threads
per day limited; the first posts wait for review), MEMBER (after `MEMBER_MIN_POSTS` approved posts
over `MEMBER_MIN_DAYS` days with no upheld flag), REGULAR (flags weigh more; may edit thread
titles), MODERATOR (the permission `community.moderate_forum`, i.e. the groups). The stored level
is recomputed by `refresh` whenever a member's history changes (a post approved, a flag upheld).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import app_settings
from .members import is_moderator, profile_of
from .models import Flag, MemberProfile, Post, PostState


class TrustLevel(models.IntegerChoices):
    NEW = 0, _("New member")
    MEMBER = 1, _("Member")
    REGULAR = 2, _("Regular")
    MODERATOR = 3, _("Moderator")


_SUFFIX = {TrustLevel.NEW: "NEW", TrustLevel.MEMBER: "MEMBER", TrustLevel.REGULAR: "REGULAR",
           TrustLevel.MODERATOR: "MODERATOR"}


def level_of(user) -> TrustLevel:
    """The member's trust level (moderators by permission, others as stored)."""
    if is_moderator(user):
        return TrustLevel.MODERATOR
    return TrustLevel(min(profile_of(user).trust_level, TrustLevel.REGULAR))


def max_links(level: TrustLevel) -> int | None:
    """Links a post of this level may hold before it waits for review (None: no limit)."""
    if level == TrustLevel.MODERATOR:
        return None
    return getattr(app_settings, f"MAX_LINKS_{_SUFFIX[level]}")


def flag_weight(level: TrustLevel) -> int:
    return getattr(app_settings, f"FLAG_WEIGHT_{_SUFFIX[level]}")


def upheld_flags_against(user, now=None) -> int:
    since = (now or timezone.now()) - dt.timedelta(days=app_settings.UPHELD_FLAG_MEMORY_DAYS)
    return (
        Flag.objects.filter(post__author=user, state=Flag.State.UPHELD, resolved_at__gte=since)
        .values("post").distinct().count()
    )


def earned_level(approved_posts: int, days: float, upheld_flags: int) -> TrustLevel:
    """The level a history earns: posts and days promote, each upheld flag lowers one level."""
    level = TrustLevel.NEW
    if approved_posts >= app_settings.MEMBER_MIN_POSTS and days >= app_settings.MEMBER_MIN_DAYS:
        level = TrustLevel.MEMBER
    if (approved_posts >= app_settings.REGULAR_MIN_POSTS
            and days >= app_settings.REGULAR_MIN_DAYS):
        level = TrustLevel.REGULAR
    return TrustLevel(max(TrustLevel.NEW, level - upheld_flags))


def refresh(user, now=None) -> TrustLevel:
    """Recompute and store a member's level from their history; returns the new level."""
    now = now or timezone.now()
    profile = profile_of(user)
    approved = Post.objects.filter(author=user, state=PostState.APPROVED).count()
    days = (now - profile.joined_at).total_seconds() / 86400
    level = earned_level(approved, days, upheld_flags_against(user, now))
    if level != profile.trust_level:
        MemberProfile.objects.filter(pk=profile.pk).update(trust_level=level)
        profile.trust_level = level
    return level


def can_edit_titles(user) -> bool:
    """Regulars and moderators may correct any thread's title."""
    return bool(user and user.is_authenticated) and level_of(user) >= TrustLevel.REGULAR
