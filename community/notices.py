"""E-mail the moderation sends: the author of a rejected post, a silenced or banned member, and
the staff reminder about queue items that wait too long.

All go through the shared outbox (`helpcenter.outbox`): stored in the moderator's transaction,
sent after commit with retries, listed and resendable in Reports → Outgoing mail. Each is built
at send time, in the recipient's language, from what it is about: the rejection's log entry (its
reason), the member's profile (the sanction), the waiting post (the reminder; the key makes it
one reminder per post and waiting spell).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from helpcenter import outbox
from helpcenter.links import absolute_url

from .models import MODERATE_PERMISSION, MemberProfile, Post
from .notifications import from_email

REJECTED = "community.post-rejected"
RESTRICTED = "community.member-restricted"
REMINDER = "community.review-reminder"


def _message(subject: str, template: str, context: dict, mail) -> EmailMessage:
    body = render_to_string(template, context)
    to = [address for address in mail.recipients.split(", ") if address]
    return EmailMessage(" ".join(subject.split()), body, from_email(), to)


def build_rejected(mail) -> EmailMessage:
    """Override the template `community/mail/post_rejected.txt` to change the text."""
    entry = mail.about
    post = Post.objects.select_related("thread__board__locale").filter(pk=entry.object_id).first()
    if post is None:
        raise outbox.Skip(_("The post no longer exists."))
    with translation.override(post.thread.board.locale.language_code):
        return _message(
            _("Your post was not published"), "community/mail/post_rejected.txt",
            {"post": post, "thread": post.thread, "reason": entry.data.get("reason", "")},
            mail,
        )


def build_restricted(mail) -> EmailMessage:
    profile = mail.about
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your forum account was banned") if profile.banned else _(
            "Your forum account is read-only for a while")
        return _message(subject, "community/mail/member_restricted.txt",
                        {"profile": profile}, mail)


def build_reminder(mail) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        return _message(
            _("Forum posts are waiting for review"), "community/mail/review_reminder.txt",
            {"post": mail.about,
             "queue_url": absolute_url(reverse("community_moderation:queue"))},
            mail,
        )


def register_mail_kinds() -> None:
    """Called by `CommunityConfig.ready`: the outbox builds these mails when it sends them."""
    outbox.register(REJECTED, build_rejected, label=gettext_lazy("Forum post rejected"))
    outbox.register(RESTRICTED, build_restricted, label=gettext_lazy("Forum member restricted"))
    outbox.register(REMINDER, build_reminder, label=gettext_lazy("Forum review reminder"))


def _deliver(kind: str, about, recipients: list[str], key: str = "") -> None:
    recipients = [address for address in recipients if address]
    outbox.store(kind, about=about, recipients=recipients, key=key,
                 skip_reason="" if recipients else _("No e-mail address."))


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
    """One reminder per overdue post and waiting spell to every moderator; returns how many."""
    recipients = moderator_addresses()
    if not recipients:
        return 0
    for post in posts:
        _deliver(REMINDER, post, recipients,
                 key=f"{REMINDER}:{post.pk}:{post.state_changed_at.timestamp():.0f}")
    return len(posts)
