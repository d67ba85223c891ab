"""E-mail the moderation sends: the author of a rejected post, a silenced or banned member, and
the staff reminder about queue items that wait too long.

Each mail is built by a function of the shape `helpcenter.outbox` registers (`build(mail)` with
`mail.about` and `mail.recipients`), at send time and in the recipient's language. Until the
shared outbox is merged, `_deliver` sends after the transaction commits; it is the only place
that changes when the outbox lands (`outbox.store(kind, about=..., recipients=...)`).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from helpcenter.links import absolute_url

from .models import MODERATE_PERMISSION, MemberProfile, Post

REJECTED = "community.post-rejected"
RESTRICTED = "community.member-restricted"
REMINDER = "community.review-reminder"


def _message(subject: str, template: str, context: dict, to: list[str]) -> EmailMessage:
    body = render_to_string(template, context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, to)


def build_rejected(mail) -> EmailMessage:
    """Override the template `community/mail/post_rejected.txt` to change the text."""
    entry = mail.about
    post = Post.objects.select_related("thread__board__locale").get(pk=entry.object_id)
    with translation.override(post.thread.board.locale.language_code):
        return _message(
            _("Your post was not published"), "community/mail/post_rejected.txt",
            {"post": post, "thread": post.thread, "reason": entry.data.get("reason", "")},
            mail.recipients,
        )


def build_restricted(mail) -> EmailMessage:
    profile = mail.about
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your forum account was banned") if profile.banned else _(
            "Your forum account is read-only for a while")
        return _message(subject, "community/mail/member_restricted.txt",
                        {"profile": profile}, mail.recipients)


def build_reminder(mail) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        return _message(
            _("Forum posts are waiting for review"), "community/mail/review_reminder.txt",
            {"post": mail.about,
             "queue_url": absolute_url(reverse("community_moderation:queue"))},
            mail.recipients,
        )


BUILDERS = {REJECTED: build_rejected, RESTRICTED: build_restricted, REMINDER: build_reminder}


def _deliver(kind: str, about, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    mail = SimpleNamespace(kind=kind, about=about, recipients=recipients)
    transaction.on_commit(lambda: BUILDERS[kind](mail).send(fail_silently=True))


def tell_author_rejected(post: Post, entry: ModelLogEntry) -> None:
    """Mail the author why their post was rejected (the rejection's log entry has the reason)."""
    _deliver(REJECTED, entry, [post.author.email])


def tell_member_restricted(profile: MemberProfile) -> None:
    _deliver(RESTRICTED, profile, [profile.user.email])


def moderator_addresses() -> list[str]:
    """Active staff who may moderate and have an e-mail address."""
    codename = MODERATE_PERMISSION.split(".")[1]
    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(user_permissions__codename=codename)
        | Q(groups__permissions__codename=codename)
    ).distinct()
    return sorted(users.values_list("email", flat=True))


def remind_staff(posts) -> int:
    """One reminder per overdue post to every moderator; returns how many were sent."""
    recipients = moderator_addresses()
    if not recipients:
        return 0
    for post in posts:
        _deliver(REMINDER, post, recipients)
    return len(posts)
