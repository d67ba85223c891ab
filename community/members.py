"""Members as the forum shows them: display names, avatars from initials, who may moderate."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import MODERATE_PERMISSION, MemberProfile

DISPLAY_NAME_MAX_LENGTH = 40


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def default_display_name(user) -> str:
    """A first name and the initial of the last, or "Member <n>": never a login or address.

    Override by giving members a profile before they first post (the demo does).
    """
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if first:
        return f"{first} {last[:1]}." if last else first
    return _("Member %(number)s") % {"number": user.pk}


def profile_of(user) -> MemberProfile:
    """The member's profile, created with a free display name on first use."""
    try:
        return user.forum_profile
    except MemberProfile.DoesNotExist:
        pass
    base = default_display_name(user)[:DISPLAY_NAME_MAX_LENGTH - 6]
    for attempt in range(50):
        name = base if attempt == 0 else f"{base} {user.pk + attempt}"
        try:
            with transaction.atomic():
                profile = MemberProfile.objects.create(user=user, display_name=name)
        except IntegrityError:
            existing = MemberProfile.objects.filter(user=user).first()
            if existing:
                return existing
            continue
        user.forum_profile = profile
        return profile
    raise RuntimeError("No free display name")


def display_name(user) -> str:
    """What the forum calls a member; "Former member" once the account is gone."""
    if user is None:
        return _("Former member")
    try:
        return user.forum_profile.display_name
    except MemberProfile.DoesNotExist:
        return default_display_name(user)
