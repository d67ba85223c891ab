"""E-mail the moderation sends to one person: the author of a rejected post, a silenced or
banned member, the asker whose thread a moderator merged or marked as a duplicate, and the staff
reminder about queue items that wait too long. (Mail to a thread's or board's followers is
`community.notifications`.)

All go through the shared outbox (`helpcenter.outbox`): stored in the moderator's transaction,
sent after commit with retries, listed and resendable in Reports → Outgoing mail. Each is built
at send time, in the recipient's language, from what it is about: the rejection's log entry (its
reason), the member's profile (the sanction), the thread (the merge's target or the answer it
duplicates, with its current link), the waiting post (the reminder; the key makes it one
reminder per post and waiting spell).
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
from helpcenter.models import OutgoingMail

from .links import absolute_thread_url
from .members import display_name
from .models import MODERATE_PERMISSION, MemberProfile, Post, Thread
from .notifications import from_email

REJECTED = "community.post-rejected"
RESTRICTED = "community.member-restricted"
REMINDER = "community.review-reminder"
MERGED = "community.thread_merged"
DUPLICATE = "community.thread_duplicate"


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
    outbox.register(MERGED, build_merged, label=gettext_lazy("Thread merged (to the asker)"))
    outbox.register(DUPLICATE, build_duplicate,
                    label=gettext_lazy("Thread marked as duplicate (to the asker)"))


def _deliver(kind: str, about, recipients: list[str], key: str = "") -> OutgoingMail:
    recipients = [address.strip() for address in recipients if address and address.strip()]
    return outbox.store(kind, about=about, recipients=recipients, key=key,
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


# -- the asker of a merged or duplicate thread -----------------------------------------------------


def tell_asker(thread: Thread, kind: str) -> OutgoingMail:
    """Store the mail about `thread` (MERGED or DUPLICATE) for its asker, once per thread and
    kind."""
    address = thread.author.email if thread.author else ""
    return _deliver(kind, thread, [address], key=f"{kind}:{thread.pk}")


def _asker_context(thread: Thread, **context) -> dict:
    return {"name": display_name(thread.author), "title": thread.title,
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""), **context}


def build_merged(mail: OutgoingMail) -> EmailMessage:
    thread = mail.about
    target = thread.merged_into
    if target is None:
        raise outbox.Skip(_("The thread is no longer merged."))
    with translation.override(thread.board.locale.language_code):
        return _message(
            _("Your question was merged with a similar thread"),
            "community/mail/thread_merged.txt",
            _asker_context(thread, target_title=target.title, url=absolute_thread_url(target)),
            mail,
        )


def build_duplicate(mail: OutgoingMail) -> EmailMessage:
    from .thread_actions import canonical_answer

    thread = mail.about
    answer = canonical_answer(thread)
    if answer is None:
        raise outbox.Skip(_("The answer it pointed to is no longer published."))
    url = absolute_thread_url(answer) if isinstance(answer, Thread) else absolute_url(answer)
    with translation.override(thread.board.locale.language_code):
        return _message(
            _("Your question has been answered before"), "community/mail/thread_duplicate.txt",
            _asker_context(thread, answer_title=answer.title, url=url,
                           reason=thread.lock_reason),
            mail,
        )
