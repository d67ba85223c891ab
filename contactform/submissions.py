"""Storing what a customer sent: the one place a submission is created."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from helpcenter import spam, visitors

from .answers import page_ids, suggested_answer
from .conf import app_settings
from .models import Attachment, Contact, ConversationEntry, Submission, normalise_email

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = Submission._meta.get_field("user_agent").max_length
LOCALE_LENGTH = Submission._meta.get_field("locale").max_length
TITLE_LENGTH = Submission._meta.get_field("page_title").max_length


def receive(
    page,
    cleaned_data: dict,
    request: HttpRequest,
    *,
    suggestions: list,
    opened_answers: list[int],
    spam_reason: str = "",
) -> Submission:
    """Store a submission and its contact in one transaction, then schedule its e-mails.

    `suggestions` are the `search.suggestions.Suggestion`s shown for the message; only the
    articles among them are kept of `opened_answers` (page ids). A non-empty `spam_reason`
    stores the submission with status spam (kept, never notified). The notifications are
    recorded in the same transaction (in a savepoint: if that fails, the submission is still
    stored and the error logged) and sent after commit.
    """
    from .notifications import schedule

    site = Site.find_for_request(request)
    suggested = [suggested_answer(item, site) for item in suggestions]
    opened_ids = set(page_ids(suggested))  # only articles open on the contact page
    with transaction.atomic():
        contact = Contact.for_email(cleaned_data["email"], cleaned_data["name"])
        submission = Submission.objects.create(
            contact=contact,
            page=page,
            page_title=page.title[:TITLE_LENGTH],
            locale=(translation.get_language() or page.locale.language_code)[:LOCALE_LENGTH],
            name=cleaned_data["name"],
            email=cleaned_data["email"],
            topic=cleaned_data.get("topic") or "",
            message=cleaned_data["message"],
            status=Submission.Status.SPAM if spam_reason else Submission.Status.NEW,
            spam_reason=str(spam_reason),
            suggested_answers=suggested,
            opened_answers=[pk for pk in opened_answers if pk in opened_ids],
            confidence=round(suggestions[0].confidence, 4) if suggestions else None,
            ip_hash=visitors.pseudonym(visitors.client_address(request)),
            user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        )
        try:
            with transaction.atomic():
                schedule(submission)
        except Exception:  # noqa: BLE001 - the message is kept; the inbox shows it without mail
            logger.exception("Could not schedule the notifications of submission %s", submission.pk)
    return submission


def is_duplicate(email: str, message: str, *, include_spam: bool = False, now=None) -> bool:
    """True when the same address sent the same message within the duplicate window.

    A message kept as spam does not hide a later genuine one (`include_spam` only for spam).
    """
    since = (now or timezone.now()) - timedelta(hours=app_settings.DUPLICATE_WINDOW_HOURS)
    recent = Submission.objects.filter(contact__email=normalise_email(email), created_at__gte=since)
    if not include_spam:
        recent = recent.exclude(status=Submission.Status.SPAM)
    return spam.repeats(message, recent.values_list("message", flat=True).iterator())


# E-mail ----------------------------------------------------------------------------------------


def receive_mail(page, mail, *, spam_reason: str = "") -> Submission:
    """Store an e-mail (`contactform.inbound.IncomingMail`) as a new conversation of channel
    "email" on `page`: the same suggested answers, automatic-reply rules and team notification
    as a form message; its attachments kept, what could not be read noted for the agents."""
    from search.suggestions import suggest

    from .notifications import schedule

    locale = page.locale.language_code
    message = mail_message(mail)
    found = [] if spam_reason else suggest(message, locale, limit=app_settings.SUGGESTIONS)
    site = page.get_site()
    with transaction.atomic():
        submission = Submission.objects.create(
            contact=Contact.for_email(mail.sender, mail.name),
            page=page,
            page_title=page.title[:TITLE_LENGTH],
            locale=locale[:LOCALE_LENGTH],
            name=mail.name,
            email=mail.sender,
            message=message,
            channel=Submission.Channel.EMAIL,
            message_id=mail.key,
            status=Submission.Status.SPAM if spam_reason else Submission.Status.NEW,
            spam_reason=str(spam_reason),
            suggested_answers=[suggested_answer(item, site) for item in found],
            confidence=round(found[0].confidence, 4) if found else None,
        )
        keep_attachments_and_notes(submission, None, mail)
        try:
            with transaction.atomic():
                schedule(submission, auto_generated=mail.auto_generated)
        except Exception:  # noqa: BLE001 - the message is kept; the inbox shows it without mail
            logger.exception("Could not schedule the notifications of submission %s", submission.pk)
    return submission


def receive_raw_mail(
    page, raw: bytes, *, attempts: int, error: str, headers_only: bool = False,
    downloaded: bool = True,
) -> Submission:
    """Keep an e-mail that could not be stored `attempts` times as it came: a new conversation
    (status new, on `page`) with the whole mail attached as `message.eml` and a note that says
    why, and the team notification. Nothing else is tried (no suggested answers, no automatic
    reply, no attachments taken apart, no search for the conversation it answers), so whatever
    failed before is not in the way. A mail the server would not hand over (`downloaded`
    False) is kept as its headers, and the note says that it stays in the mailbox."""
    from .inbound import read_mail
    from .notifications import schedule

    mail = read_mail(raw, headers_only=headers_only)
    with transaction.atomic():
        submission = Submission.objects.create(
            contact=Contact.for_email(mail.sender, mail.name),
            page=page,
            page_title=page.title[:TITLE_LENGTH],
            locale=page.locale.language_code[:LOCALE_LENGTH],
            name=mail.name,
            email=mail.sender,
            message=mail_message(mail),
            channel=Submission.Channel.EMAIL,
            message_id=mail.key,
        )
        keep_raw(submission, raw)
        if downloaded:
            note = _(
                "This e-mail could not be stored in %(attempts)s attempts (last error: "
                "%(error)s), so it is kept as it came: message.eml is the whole e-mail with its "
                "attachments. It got no automatic reply and was not added to a conversation it "
                "may answer."
            ) % {"attempts": attempts, "error": error}
        else:
            note = _(
                "The mail server did not hand over this e-mail in %(attempts)s attempts (last "
                "error: %(error)s). It stays in the mailbox, marked as read: open it there. "
                "message.eml holds what the server gave of it (its headers)."
            ) % {"attempts": attempts, "error": error}
        ConversationEntry.objects.create(
            submission=submission,
            kind=ConversationEntry.Kind.NOTE,
            channel=Submission.Channel.EMAIL,
            body="\n".join([note, *mail.notes]),
        )
        try:
            with transaction.atomic():
                schedule(submission, auto_reply=False)
        except Exception:  # noqa: BLE001 - the message is kept; the inbox shows it without mail
            logger.exception("Could not schedule the notifications of submission %s", submission.pk)
    return submission


def keep_raw(submission: Submission, raw: bytes) -> Attachment:
    """The whole e-mail as an attachment of its conversation (`message.eml`), whatever its size."""
    from django.core.files.base import ContentFile

    attachment = Attachment(
        submission=submission, filename="message.eml", content_type="message/rfc822", size=len(raw)
    )
    attachment.file.save("attachment", ContentFile(raw), save=False)
    attachment.save()
    return attachment


def add_customer_reply(submission: Submission, mail) -> ConversationEntry:
    """Add a customer's e-mail reply to its conversation, reopen it (an answered or closed
    conversation becomes open, its resolution time cleared, the change in its history; spam
    stays spam) and tell the agent (`contactform.customer_replies`)."""
    from . import customer_replies
    from .replies import set_status

    with transaction.atomic():
        entry = ConversationEntry.objects.create(
            submission=submission,
            kind=ConversationEntry.Kind.CUSTOMER,
            channel=Submission.Channel.EMAIL,
            body=mail_message(mail),
            sender_name=mail.name,
            sender_email=mail.sender,
            message_id=mail.key,
        )
        keep_attachments_and_notes(submission, entry, mail)
        if submission.status in (Submission.Status.ANSWERED, Submission.Status.CLOSED):
            set_status(submission, Submission.Status.OPEN, user=None)
        try:
            with transaction.atomic():
                customer_replies.schedule(entry, auto_generated=mail.auto_generated)
        except Exception:  # noqa: BLE001 - the reply is kept; the inbox shows it without mail
            logger.exception("Could not schedule the mail about conversation entry %s", entry.pk)
    return entry


def mail_message(mail) -> str:
    """The text stored for an e-mail: its subject, a blank line, its text."""
    message = "\n\n".join(part for part in (mail.subject, mail.text) if part)
    return message or _("(no text)")


def keep_attachments_and_notes(submission: Submission, entry, mail) -> None:
    """Store the mail's attachments up to the size limit; what was not kept, and every problem
    reading the mail, becomes an internal note of the conversation."""
    from django.core.files.base import ContentFile
    from django.template.defaultfilters import filesizeformat

    notes = list(mail.notes)
    limit = app_settings.ATTACHMENT_MAX_BYTES
    for item in mail.attachments:
        if len(item.content) > limit:
            notes.append(
                _("The attachment “%(name)s” (%(size)s) was not kept: larger than %(limit)s.")
                % {
                    "name": item.filename,
                    "size": filesizeformat(len(item.content)),
                    "limit": filesizeformat(limit),
                }
            )
            continue
        attachment = Attachment(
            submission=submission,
            entry=entry,
            filename=item.filename,
            content_type=item.content_type or "application/octet-stream",
            size=len(item.content),
        )
        attachment.file.save("attachment", ContentFile(item.content), save=False)
        attachment.save()
    if mail.auto_generated:
        notes.append(_("Written by a machine: %(reason)s.") % {"reason": mail.auto_generated})
    if notes:
        ConversationEntry.objects.create(
            submission=submission,
            kind=ConversationEntry.Kind.NOTE,
            channel=Submission.Channel.EMAIL,
            body="\n".join(notes),
        )
