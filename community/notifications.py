"""The forum's e-mails: a reply, a new thread, a mention, an accepted answer.

Each mail is stored in the shared outbox (`helpcenter.outbox`) in the transaction of the post,
one per member, keyed so that one post never mails one member twice; it is built when it is
sent, in the member's language, with the post's text, a link and a one-click unsubscribe
(`List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter.links import absolute_url

from . import subscriptions
from .links import live_forum_page
from .markup import plain_text
from .members import display_name, profile_of
from .models import Post, PostState, Subscription
from .subscriptions import Reason

KINDS = {
    Reason.REPLY: "community.reply",
    Reason.BOARD: "community.board",
    Reason.NEW_THREAD: "community.new_thread",
    Reason.MENTION: "community.mention",
    Reason.ACCEPTED: "community.accepted",
}
KIND_LABELS = {
    Reason.REPLY: gettext_lazy("Forum: reply in a followed thread"),
    Reason.BOARD: gettext_lazy("Forum: post in a followed board"),
    Reason.NEW_THREAD: gettext_lazy("Forum: new thread in a followed board"),
    Reason.MENTION: gettext_lazy("Forum: mention"),
    Reason.ACCEPTED: gettext_lazy("Forum: accepted answer"),
}
EXCERPT_LENGTH = 4000
SUBJECT_LENGTH = 120


_muted: ContextVar[bool] = ContextVar("community_mails_muted", default=False)


@contextmanager
def muted():
    """Post without mailing anyone: for imports and demo content (`load_demo`)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify_post(post: Post) -> int:
    """Store the mails about a new visible post (call it in the post's transaction; again after
    a moderator approves it: the keys keep it to one mail per post and member)."""
    if _muted.get():
        return 0
    recipients = subscriptions.recipients_for_post(post)
    for member, reason in recipients.items():
        _store(reason, post, member, f"community:post:{post.pk}:{member.pk}")
    return len(recipients)


def notify_accepted(post: Post, accepted_by) -> int:
    """Store the mails about an accepted answer (once per answer and member)."""
    if _muted.get():
        return 0
    recipients = subscriptions.recipients_for_accepted(post, accepted_by)
    for member in recipients:
        _store(Reason.ACCEPTED, post, member, f"community:accepted:{post.pk}:{member.pk}")
    return len(recipients)


def _store(reason: str, post: Post, member, key: str) -> None:
    from helpcenter import outbox

    outbox.store(KINDS[reason], about=post, recipients=[member.email], key=key)


def register() -> None:
    """Tell the outbox how to build the forum's mails (CommunityConfig.ready)."""
    from helpcenter import outbox

    for reason, kind in KINDS.items():
        outbox.register(kind, build_message, label=KIND_LABELS[reason])


def build_message(mail) -> EmailMultiAlternatives:
    """The mail as it is sent: current text, the member's language, unsubscribe headers.

    Override the templates `community/mail/notification.txt` and `.html` to change the text.
    """
    from helpcenter import outbox

    post = mail.about
    reason = next(reason for reason, kind in KINDS.items() if kind == mail.kind)
    member_id = int(mail.key.rsplit(":", 1)[1])
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    subscription = _subscription_for(member, post, reason) if member is not None else None
    if why_not := _not_wanted(post, member, reason, subscription):
        raise outbox.Skip(why_not)
    language = _language_of(member, post)
    with translation.override(language):
        context = _context(post, member, reason, subscription)
        subject = context["subject"]
        text = render_to_string("community/mail/notification.txt", context)
        html = render_to_string("community/mail/notification.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=from_email(), to=[member.email],
        headers=_unsubscribe_headers(context["unsubscribe_url"]),
    )
    message.attach_alternative(html, "text/html")
    return message


def from_email() -> str:
    from .conf import app_settings

    return app_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def _subscription_for(member, post: Post, reason: str) -> Subscription | None:
    """The subscription the mail is sent for (its unsubscribe link turns it off)."""
    if reason == Reason.MENTION:
        return None
    if reason in (Reason.BOARD, Reason.NEW_THREAD):
        return Subscription.objects.filter(member=member, board_id=post.thread.board_id).first()
    return Subscription.objects.filter(member=member, thread_id=post.thread_id).first()


def _not_wanted(post: Post, member, reason: str, subscription) -> str:
    """Why the mail must not go out after all ("" when it may)."""
    if post.state != PostState.APPROVED or post.thread.state != PostState.APPROVED:
        return _("The post is no longer visible.")
    if member is None or not member.email:
        return _("The member has no account or address any more.")
    if reason == Reason.MENTION:
        return "" if profile_of(member).mention_mails else _("Mention mails are turned off.")
    own_answer = reason == Reason.ACCEPTED and post.author_id == member.pk
    if not own_answer and (subscription is None or not subscription.active):
        return _("The member unsubscribed.")
    return ""


def _language_of(member, post: Post) -> str:
    profile = getattr(member, "forum_profile", None)
    languages = {code for code, _name in settings.LANGUAGES}
    if profile is not None and profile.language in languages:
        return profile.language
    return post.thread.board.locale.language_code


def _context(post: Post, member, reason: str, subscription: Subscription | None) -> dict:
    thread = post.thread
    author = display_name(post.author)
    forum = live_forum_page(thread.board.locale_id)
    forum_url = (forum.get_full_url() or "") if forum is not None else ""
    site = forum.get_site() if forum is not None else None
    token = subscriptions.unsubscribe_token(member, subscription)
    subjects = {
        Reason.REPLY: _("New reply: %(title)s"),
        Reason.BOARD: _("New reply: %(title)s"),
        Reason.NEW_THREAD: _("New thread: %(title)s"),
        Reason.MENTION: _("%(author)s mentioned you: %(title)s"),
        Reason.ACCEPTED: _("Solved: %(title)s"),
    }
    if reason == Reason.ACCEPTED and post.author_id == member.pk:
        subject = _("Your answer was accepted: %(title)s")
    else:
        subject = subjects[reason]
    title = " ".join(thread.title.split())
    return {
        "subject": (subject % {"title": title, "author": author})[:SUBJECT_LENGTH],
        "reason": reason,
        "own_answer": post.author_id == member.pk,
        "recipient": display_name(member),
        "author": author,
        "thread_title": title,
        "board": thread.board.name,
        "text": plain_text(post.source)[:EXCERPT_LENGTH],
        "post_url": f"{forum_url}{thread.url_part}#post-{post.pk}" if forum_url else "",
        "unsubscribe_url": unsubscribe_url(token, site),
        "manage_url": f"{forum_url}subscriptions/" if forum_url else "",
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
    }


def unsubscribe_url(token: str, site=None) -> str:
    """The one-click address (community/urls.py, included by the host project)."""
    try:
        return absolute_url(reverse("community:unsubscribe", args=[token]), site=site)
    except NoReverseMatch:
        return ""


def _unsubscribe_headers(url: str) -> dict:
    if not url:
        return {}
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
