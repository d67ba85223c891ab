"""The contact form's part of the customer timeline (helpcenter.timeline): the messages a person
sent through a contact page or by e-mail, the automatic replies they were sent, the agents'
replies and the internal notes."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter.models import OutgoingMail
from helpcenter.timeline import TimelineItem, TimelineSource

from .models import ConversationEntry, Submission
from .notifications import AUTO_REPLY, INBOX_URL_NAME, excerpt

EXCERPT_LENGTH = 200
NOTE_CHANNEL = "note"


def timeline_items(addresses: Sequence[str], limit: int) -> list[TimelineItem]:
    conversations = (
        Submission.objects.filter(contact__email__in=addresses)
        .exclude(status=Submission.Status.SPAM)
        .order_by("-created_at")[:limit]
    )
    items = []
    urls = {}
    for conversation in conversations:
        urls[conversation.pk] = reverse(INBOX_URL_NAME, args=[conversation.pk])
        items.append(
            TimelineItem(
                when=conversation.created_at,
                channel=conversation.channel,
                kind=_("E-mail from the customer")
                if conversation.channel == Submission.Channel.EMAIL
                else _("Contact form message"),
                title=f"{conversation.reference} {conversation.topic or conversation.page_title}",
                text=excerpt(conversation.message, EXCERPT_LENGTH),
                url=urls[conversation.pk],
            )
        )
    entries = (
        ConversationEntry.objects.filter(submission_id__in=urls)
        .select_related("submission", "author")
        .order_by("-created_at")[:limit]
    )
    items.extend(entry_item(entry, urls[entry.submission_id]) for entry in entries)
    items.extend(auto_reply_items(urls, limit))
    return items


def auto_reply_items(urls: dict[int, str], limit: int) -> list[TimelineItem]:
    """The automatic replies that went out: e-mails to the customer like an agent's reply."""
    mails = (
        OutgoingMail.objects.filter(
            submission__in=list(urls), kind=AUTO_REPLY, status=OutgoingMail.Status.SENT
        )
        .select_related("content_type")
        .order_by("-sent_at")[:limit]
    )
    conversations = Submission.objects.in_bulk([mail.object_id for mail in mails])
    return [
        TimelineItem(
            when=mail.sent_at,
            channel=Submission.Channel.EMAIL,
            kind=_("Automatic reply"),
            title=conversations[mail.object_id].reference,
            text=_("Sent to %(address)s.") % {"address": mail.recipients},
            url=urls[mail.object_id],
        )
        for mail in mails
        if mail.object_id in conversations
    ]


def entry_item(entry: ConversationEntry, conversation_url: str) -> TimelineItem:
    note = entry.kind == ConversationEntry.Kind.NOTE
    author = entry.author.get_full_name() or entry.author.get_username() if entry.author else ""
    kinds = {
        ConversationEntry.Kind.CUSTOMER: _("E-mail from the customer"),
        ConversationEntry.Kind.AGENT: _("Reply by %(agent)s") % {"agent": author or _("an agent")},
        ConversationEntry.Kind.NOTE: _("Internal note by %(agent)s")
        % {"agent": author or _("an agent")},
    }
    return TimelineItem(
        when=entry.created_at,
        channel=NOTE_CHANNEL if note else entry.channel,
        kind=kinds[entry.kind],
        title=entry.submission.reference,
        text=excerpt(entry.body, EXCERPT_LENGTH),
        url=f"{conversation_url}#entry-{entry.pk}",
        internal=note,
    )


SOURCE = TimelineSource(
    name="contactform",
    channels={
        Submission.Channel.FORM: gettext_lazy("Contact form"),
        Submission.Channel.EMAIL: gettext_lazy("E-mail"),
        NOTE_CHANNEL: gettext_lazy("Internal notes"),
    },
    items=timeline_items,
)
