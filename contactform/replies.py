"""An agent answers a conversation: answer blocks, saved replies, the reply e-mail, notes, status.

`send_reply` stores the reply as a `ConversationEntry` first and hands the e-mail to the shared
outbox (`helpcenter.outbox`, kind `contactform.reply`, built at send time by `reply_message`),
so a mail server that is down costs a retry and never the reply. The e-mail carries
`In-Reply-To`/`References` of the conversation's messages, so the customer's mail client
threads it, `Reply-To` the service address and the reference number in the subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from helpcenter import outbox
from helpcenter.links import absolute_url
from helpcenter.models import OutgoingMail

from .answers import page_ids
from .conf import app_settings
from .models import ConversationEntry, SavedReply, Submission, UsedAnswer
from .notifications import clean_line, clean_text, excerpt, from_email, greeting_name

MAIL_KIND = "contactform.reply"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
OPEN_STATUSES = (Submission.Status.NEW, Submission.Status.OPEN)


# Answer blocks and saved replies ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerBlock:
    """A suggested answer as an agent inserts it: the article's short answer and link, in the
    conversation's language (the article's translation when the suggestion was in another)."""

    id: int
    title: str
    short_answer: str
    url: str

    @property
    def text(self) -> str:
        """Override `answer_block_text` to change how a block reads in the reply."""
        return answer_block_text(self)


def answer_block_text(block: AnswerBlock) -> str:
    return "\n".join(part for part in (block.title, block.short_answer, block.url) if part)


def answer_blocks(submission: Submission) -> list[AnswerBlock]:
    """The conversation's suggested articles that are live and public, best first."""
    ids = page_ids(submission.suggested_answers)
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    locale = Locale.objects.filter(language_code=submission.locale).first()
    blocks = []
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            continue
        if locale is not None and page.locale_id != locale.pk:
            page = page.get_translation_or_none(locale) or page
        if not page.live or page.get_view_restrictions().exists():
            continue
        blocks.append(
            AnswerBlock(
                id=pk,
                title=clean_line(page.title),
                short_answer=clean_text(getattr(page, "short_answer", "") or ""),
                url=absolute_url(page),
            )
        )
    return blocks


def placeholders(submission: Submission, agent) -> dict[str, str]:
    """What the placeholders of saved replies stand for in this conversation."""
    return {
        "first_name": greeting_name(submission.name),
        "name": clean_line(submission.name),
        "reference": submission.reference,
        "agent": clean_line(agent.get_full_name() or agent.get_username()) if agent else "",
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """`{first_name}` and the others filled in; an unknown `{word}` stays as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def saved_replies(submission: Submission, agent) -> list[tuple[SavedReply, str]]:
    """The saved replies in the conversation's language, with their placeholders filled in."""
    values = placeholders(submission, agent)
    replies = SavedReply.objects.filter(locale__language_code=submission.locale)
    return [(reply, fill_placeholders(reply.text, values)) for reply in replies]


def insert(body: str, addition: str) -> str:
    """The reply with `addition` appended as a paragraph of its own."""
    body = body.rstrip()
    return f"{body}\n\n{addition}" if body else addition


# Replies, notes, status ------------------------------------------------------------------------


def send_reply(
    submission: Submission,
    *,
    body: str,
    author,
    used_answers: list[int] = (),
    status: str = Submission.Status.ANSWERED,
) -> ConversationEntry:
    """Store the agent's reply, record the answers it used, move the conversation to `status`
    and send the e-mail after commit (through the outbox)."""
    with transaction.atomic():
        entry = ConversationEntry.objects.create(
            submission=submission,
            kind=ConversationEntry.Kind.AGENT,
            channel=Submission.Channel.EMAIL,
            author=author,
            body=body,
            message_id=make_msgid(domain=mail_domain()),
        )
        record_used_answers(entry, used_answers)
        if submission.first_response_at is None:
            submission.first_response_at = entry.created_at
            submission.first_response_time = entry.created_at - submission.created_at
        if submission.assignee_id is None:
            submission.assignee = author
        set_status(submission, status, author)
        outbox.store(
            MAIL_KIND, about=entry, recipients=[submission.email], key=f"{MAIL_KIND}:{entry.pk}"
        )
    return entry


def add_note(submission: Submission, *, body: str, author) -> ConversationEntry:
    """An internal note: kept with the conversation, never sent to the customer."""
    return ConversationEntry.objects.create(
        submission=submission,
        kind=ConversationEntry.Kind.NOTE,
        channel=submission.channel,
        author=author,
        body=body,
    )


def record_used_answers(entry: ConversationEntry, article_ids: list[int]) -> None:
    """Note which of the conversation's suggested answers the reply used (per article)."""
    suggested = {block.id: block for block in answer_blocks(entry.submission)}
    UsedAnswer.objects.bulk_create(
        [
            UsedAnswer(
                entry=entry,
                article_id=pk,
                article_title=suggested[pk].title[:255],
                locale=entry.submission.locale,
            )
            for pk in dict.fromkeys(article_ids)
            if pk in suggested
        ]
    )


def set_status(submission: Submission, status: str, user) -> None:
    """Change the status, keep the resolution time and write the change to the history."""
    previous = submission.get_status_display()
    changed = status != submission.status
    submission.status = status
    if status == Submission.Status.CLOSED and submission.resolved_at is None:
        submission.resolved_at = timezone.now()
        submission.resolution_time = submission.resolved_at - submission.created_at
    elif status in OPEN_STATUSES:
        submission.resolved_at = submission.resolution_time = None
    submission.save()
    if changed:
        log(
            instance=submission,
            action="contactform.status",
            user=user,
            data={"from": previous, "to": submission.get_status_display()},
        )


def assign(submission: Submission, agent, user) -> None:
    submission.assignee = agent
    submission.save(update_fields=["assignee", "updated_at"])
    log(instance=submission, action="contactform.assign", user=user)


# The e-mail ------------------------------------------------------------------------------------


def register_mail_kind() -> None:
    """Called by `ContactFormConfig.ready`: the outbox builds replies when it sends them."""
    outbox.register(MAIL_KIND, reply_message, label=gettext_lazy("Agent reply"))


def mails_of(submission: Submission):
    """The outbox's mails of the conversation: its notifications and the agents' replies."""
    return OutgoingMail.objects.filter(
        Q(submission=submission) | Q(conversation_entry__submission=submission)
    ).order_by("created_at", "pk")


def mail_domain() -> str:
    """The domain of our Message-IDs: the service address's ("Team <help@shop.example>")."""
    return parseaddr(service_address())[1].rpartition("@")[2] or "localhost"


def service_address() -> str:
    """Where customers' answers to our replies go (`HELPCENTER_CONTACT_SERVICE_ADDRESS`)."""
    return app_settings.SERVICE_ADDRESS or from_email()


def thread_root(submission: Submission) -> str:
    """The Message-ID the conversation's mails refer to: the customer's first e-mail, or for
    a form message our signed one for the conversation (so every reply lands in one thread, and
    a customer's answer that refers only to it still finds the conversation)."""
    from .references import outgoing_message_id

    return submission.message_id or outgoing_message_id(submission, "conversation")


def threading_headers(entry: ConversationEntry) -> dict[str, str]:
    """`In-Reply-To` the conversation's latest message before `entry`, `References` all of them."""
    earlier = entry.submission.entries.exclude(kind=ConversationEntry.Kind.NOTE).exclude(
        message_id=""
    )
    earlier = earlier.filter(created_at__lte=entry.created_at).exclude(pk=entry.pk)
    ids = [thread_root(entry.submission), *earlier.values_list("message_id", flat=True)]
    return {"In-Reply-To": ids[-1], "References": " ".join(dict.fromkeys(ids))}


def reply_subject(submission: Submission) -> str:
    topic = clean_line(submission.topic) or excerpt(submission.message)
    return _("Re: %(subject)s [%(reference)s]") % {
        "subject": excerpt(topic, 60),
        "reference": submission.reference,
    }


def reply_message(mail) -> EmailMessage:
    """The outbox builder of `contactform.reply`: the agent's text in the conversation's
    language, plain text (template `contactform/mail/agent_reply.txt`)."""
    entry = mail.about
    if entry is None:
        raise outbox.Skip("the reply was deleted")
    submission = entry.submission
    if submission.status == Submission.Status.SPAM:
        raise outbox.Skip("the conversation is marked as spam")
    with translation.override(submission.locale or settings.LANGUAGE_CODE):
        subject = reply_subject(submission)
        body = render_to_string(
            "contactform/mail/agent_reply.txt",
            {"text": clean_text(entry.body), "reference": submission.reference},
        )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=[address for address in mail.recipients.split(", ") if address],
        reply_to=[service_address()],
        headers={"Message-ID": entry.message_id, **threading_headers(entry)},
    )
