"""The e-mails a submission causes: the team notification and the automatic reply.

`schedule(submission)` runs in the transaction that stored the submission. It records one
`Notification` per kind (PENDING to be sent, or SKIPPED with the reason in `last_error`) and,
after commit, enqueues `contactform.tasks.deliver_notification` for the pending ones. Nothing is
sent before the submission is committed, and a mail server that is down costs nothing but a
retry: a failed attempt leaves the notification PENDING with `next_attempt_at` (exponential
backoff); after `HELPCENTER_CONTACT_NOTIFICATION_MAX_ATTEMPTS` it becomes FAILED and the inbox
offers to resend it.

Spam is never notified: both notifications are recorded as SKIPPED ("spam: ..."), so the inbox
shows why, and an agent who marks the message as not spam can send the team notification from
the detail view.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr
from functools import partial, reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from helpcenter.links import absolute_url

from .conf import app_settings
from .models import Notification, Submission, normalise_email

logger = logging.getLogger(__name__)

SUBJECT_EXCERPT_LENGTH = 60
GREETING_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The inbox's detail view; the prefix is SubmissionAdmin.base_url_path (wagtail_hooks.py).
INBOX_URL_NAME = "contact_messages_modeladmin_inspect"


# Scheduling ------------------------------------------------------------------------------------


def schedule(submission: Submission, *, auto_generated: str = "") -> None:
    """Record the notifications of a just-stored submission and send them after commit.

    Called by `contactform.submissions.receive` inside its transaction. A message a machine
    wrote (`auto_generated` says why: a bounce, "Auto-Submitted", …) never gets an automatic
    reply, so that two auto-responders cannot answer each other for ever.
    """
    page = _contact_page(submission)
    notifications = [_team_notification(submission, page)]
    if page is not None and page.auto_reply_enabled:
        notifications.append(_auto_reply_notification(submission, page))
        if auto_generated and notifications[-1].status == Notification.Status.PENDING:
            _skip(
                notifications[-1],
                _("Written by a machine (%(reason)s): no automatic reply.")
                % {"reason": auto_generated},
            )
    for notification in notifications:
        notification.save()
    pending = [n.pk for n in notifications if n.status == Notification.Status.PENDING]
    if pending:
        transaction.on_commit(partial(enqueue, pending))


def resend(notification: Notification) -> Notification:
    """Send a notification again from scratch (full number of attempts), after commit."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=None, sent_at=None
    )
    notification.refresh_from_db()
    transaction.on_commit(partial(enqueue, [notification.pk]))
    return notification


def can_resend(notification: Notification) -> bool:
    """Pending, failed and skipped notifications may be sent by hand, unless the message is spam."""
    return (
        notification.status != Notification.Status.SENT
        and notification.submission.status != Submission.Status.SPAM
    )


def enqueue(notification_ids: list[int]) -> None:
    """Hand the notifications to the task backend; a failure leaves them for the cron command."""
    from .tasks import deliver_notification

    for notification_id in notification_ids:
        try:
            deliver_notification.using(queue_name=app_settings.MAIL_QUEUE).enqueue(notification_id)
        except Exception:  # noqa: BLE001 - still PENDING: send_contact_notifications sends it
            logger.exception("Could not enqueue contact notification %s", notification_id)


def _team_notification(submission: Submission, page) -> Notification:
    recipients = page.recipient_list if page is not None else []
    notification = Notification(
        submission=submission, kind=Notification.Kind.TEAM, recipients=", ".join(recipients)
    )
    if submission.status == Submission.Status.SPAM:
        _skip(notification, _spam_reason(submission))
    elif not recipients:
        _skip(notification, _("The contact page has no recipients."))
    return notification


def _auto_reply_notification(submission: Submission, page) -> Notification:
    address = normalise_email(submission.email)
    notification = Notification(
        submission=submission, kind=Notification.Kind.AUTO_REPLY, recipients=address
    )
    limit = app_settings.AUTO_REPLIES_PER_RECIPIENT_PER_DAY
    if submission.status == Submission.Status.SPAM:
        _skip(notification, _spam_reason(submission))
    elif not is_safe_address(address):
        _skip(notification, _("The e-mail address is not valid."))
    elif page.auto_reply_outside_business_hours_only and page.is_business_time(
        submission.created_at
    ):
        _skip(notification, _("Sent during business hours: no automatic reply."))
    elif auto_replies_sent_to(address) >= limit:
        _skip(
            notification,
            ngettext(
                "This address already had %(count)s automatic reply in 24 hours.",
                "This address already had %(count)s automatic replies in 24 hours.",
                limit,
            )
            % {"count": limit},
        )
    elif submission.ip_hash and auto_replies_caused_from(submission.ip_hash) >= (
        ip_limit := app_settings.AUTO_REPLIES_PER_IP_PER_DAY
    ):
        _skip(
            notification,
            _("This network address already caused %(count)s automatic replies in 24 hours.")
            % {"count": ip_limit},
        )
    return notification


def _recent_auto_replies():
    """Automatic replies of the last 24 hours (sent or about to be)."""
    return Notification.objects.filter(
        kind=Notification.Kind.AUTO_REPLY, created_at__gte=timezone.now() - timedelta(days=1)
    ).exclude(status=Notification.Status.SKIPPED)


def auto_replies_sent_to(address: str) -> int:
    """Automatic replies in the last 24 hours to the mailbox of `address`, whichever alias of
    it they went to (`mailbox_key`)."""
    key = mailbox_key(address)
    local, _at, domain = key.rpartition("@")
    domains = [name for name, same in MAILBOX_DOMAINS.items() if same == domain] or [domain]
    # Narrow in SQL (same domain, same first letter or quoted), compare the keys in Python.
    candidates = _recent_auto_replies().filter(
        Q(recipients__istartswith=local[:1]) | Q(recipients__startswith='"'),
        reduce(or_, (Q(recipients__iendswith=f"@{name}") for name in domains)),
    )
    recipients = candidates.values_list("recipients", flat=True)
    return sum(mailbox_key(recipient) == key for recipient in recipients)


def auto_replies_caused_from(ip_hash: str) -> int:
    """Automatic replies in the last 24 hours to messages sent from one (hashed) IP address."""
    return _recent_auto_replies().filter(submission__ip_hash=ip_hash).count()


MAILBOX_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
"""Providers that ignore dots in the local part, and the domain their aliases share."""


def mailbox_key(address: str) -> str:
    """The mailbox an address delivers to, as far as the cap on automatic replies is concerned:
    quotes and a "+tag" removed, case folded, dots removed for providers that ignore them.
    `"Victim"@example.com`, `victim+1@example.com` → `victim@example.com`;
    `v.ictim@googlemail.com` → `victim@gmail.com`. Only for counting; mail goes to the
    address as given."""
    local, _at, domain = normalise_email(address).rpartition("@")
    local = local.replace('"', "").replace("\\", "").split("+", 1)[0]
    domain = domain.rstrip(".")
    if domain in MAILBOX_DOMAINS:
        local, domain = local.replace(".", ""), MAILBOX_DOMAINS[domain]
    return f"{local}@{domain}"


def _skip(notification: Notification, reason: str) -> None:
    notification.status = Notification.Status.SKIPPED
    notification.last_error = reason


def _spam_reason(submission: Submission) -> str:
    if submission.spam_reason:
        return _("Spam: %(reason)s") % {"reason": submission.spam_reason}
    return _("Spam")


def _contact_page(submission: Submission):
    if submission.page_id is None:
        return None
    page = Page.objects.filter(pk=submission.page_id).first()
    return page.specific if page is not None else None


# Delivery --------------------------------------------------------------------------------------


def deliver(notification: Notification, *, force: bool = False) -> str | None:
    """Make one attempt to send `notification`; returns "sent", "retry", "failed" or None.

    None means it was not attempted: not pending, not yet due (unless `force`), or claimed by
    another worker. Claiming sets the time of the next attempt first, so a worker that dies
    while sending leaves the notification to be retried, never lost.
    """
    now = timezone.now()
    attempt = notification.attempts + 1
    claim = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.PENDING, attempts=notification.attempts
    )
    if not force:
        claim = claim.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if not claim.update(attempts=attempt, next_attempt_at=now + backoff(attempt)):
        return None
    notification.refresh_from_db()
    try:
        message = build_message(notification)
    except Exception as error:  # noqa: BLE001 - cannot get better by retrying
        logger.exception("Contact notification %s cannot be built", notification.pk)
        return _finish(notification, Notification.Status.FAILED, error)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - mail server down, refused, timed out: retry
        logger.warning("Contact notification %s not sent: %r", notification.pk, error)
        if attempt >= app_settings.NOTIFICATION_MAX_ATTEMPTS:
            return _finish(notification, Notification.Status.FAILED, error)
        _record(notification, last_error=_describe(error))
        return "retry"
    return _finish(notification, Notification.Status.SENT)


def deliver_due(*, force: bool = False) -> int:
    """Attempt every pending notification that is due (all pending ones with `force`)."""
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    if not force:
        pending = pending.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
        )
    sent = 0
    for notification in pending.order_by("created_at", "pk").iterator():
        sent += deliver(notification, force=force) == "sent"
    return sent


def retry_failed() -> int:
    """Make every FAILED notification PENDING again with a full set of attempts."""
    return Notification.objects.filter(status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=None
    )


def backoff(attempt: int) -> timedelta:
    """Time to wait after the `attempt`-th attempt failed: the base backoff, doubled each time."""
    return timedelta(seconds=app_settings.NOTIFICATION_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1))


def _finish(notification: Notification, status: str, error: Exception | None = None) -> str:
    _record(
        notification,
        status=status,
        next_attempt_at=None,
        sent_at=timezone.now() if status == Notification.Status.SENT else None,
        last_error=_describe(error) if error else "",
    )
    return status


def _record(notification: Notification, **fields) -> None:
    Notification.objects.filter(pk=notification.pk).update(**fields)
    for name, value in fields.items():
        setattr(notification, name, value)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


# Messages --------------------------------------------------------------------------------------


@dataclass
class Answer:
    """A suggested answer as the mails show it."""

    id: int | None
    title: str
    url: str
    short_answer: str
    confidence: float | None
    opened: bool
    live: bool
    exists: bool


def build_message(notification: Notification) -> EmailMessage:
    """The e-mail for a notification (templates: contactform/mail/)."""
    if notification.kind == Notification.Kind.AUTO_REPLY:
        return auto_reply_message(notification)
    return team_message(notification)


def team_message(notification: Notification) -> EmailMessage:
    """Plain text to the page's recipients, Reply-To the customer when the address is safe."""
    submission = notification.submission
    answers = answers_for(submission)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "submission": submission,
            "name": clean_line(submission.name),
            "email": submission.email if is_safe_address(submission.email) else "",
            "topic": clean_line(submission.topic),
            "page_title": clean_line(submission.page_title),
            "quoted_message": quote(submission.message),
            "inbox_url": inbox_url(submission),
            "earlier_count": earlier_submissions(submission),
            "answers": answers,
            "live_answers": [answer for answer in answers if answer.live],
            "any_opened": submission.any_answer_opened,
            "language": language_name(submission.locale),
        }
        subject = _("Contact %(reference)s: %(excerpt)s") % {
            "reference": submission.reference,
            "excerpt": excerpt(submission.message),
        }
        if context["topic"]:
            subject = f"[{excerpt(context['topic'], 40)}] {subject}"
        body = render_to_string("contactform/mail/team_notification.txt", context)
    reply_to = []
    if context["email"]:
        reply_to = [formataddr((excerpt(context["name"], 60), context["email"]))]
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=[address for address in notification.recipients.split(", ") if address],
        reply_to=reply_to,
        headers=thread_headers(submission, notification.kind),
    )


def auto_reply_message(notification: Notification) -> EmailMessage:
    """The automatic reply: never the message, never more of the name than a greeting."""
    submission = notification.submission
    page = _contact_page(submission)
    with translation.override(submission.locale or settings.LANGUAGE_CODE):
        answers = []
        threshold = page.auto_reply_confidence if page is not None else 1.0
        if (submission.confidence or 0) >= threshold:
            answers = [answer for answer in answers_for(submission) if answer.live]
        context = {
            "greeting_name": greeting_name(submission.name),
            "text": page.auto_reply_text.strip() if page is not None else "",
            "answers": answers[: app_settings.SUGGESTIONS],
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
        }
        subject = _("We received your message %(reference)s (automatic reply)") % {
            "reference": submission.reference
        }
        body = render_to_string("contactform/mail/auto_reply.txt", context)
    if not is_safe_address(notification.recipients):
        raise ValueError("unsafe recipient address")
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=[notification.recipients],
        headers={
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
            **thread_headers(submission, notification.kind),
        },
    )


def thread_headers(submission: Submission, kind: str) -> dict:
    """Message-ID (derived from the conversation, so replies find it) and, for a conversation
    that began as an e-mail, In-Reply-To and References to that e-mail."""
    from .references import outgoing_message_id

    headers = {"Message-ID": outgoing_message_id(submission, kind)}
    if submission.message_id:
        headers["In-Reply-To"] = headers["References"] = submission.message_id
    return headers


def from_email() -> str:
    return app_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def answers_for(submission: Submission) -> list[Answer]:
    """The suggested answers, with the article's current short answer and full URL."""
    suggested = [item for item in submission.suggested_answers if isinstance(item, dict)]
    ids = [item.get("id") for item in suggested if isinstance(item.get("id"), int)]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    opened = set(submission.opened_answers)
    answers = []
    for item in suggested:
        page = pages.get(item.get("id"))
        live = page is not None and page.live and not page.get_view_restrictions().exists()
        answers.append(
            Answer(
                id=item.get("id"),
                title=clean_line(page.title if page is not None else str(item.get("title", ""))),
                url=(absolute_url(page) if live else "") or str(item.get("url", "")),
                short_answer=clean_text(getattr(page, "short_answer", "") or ""),
                confidence=item.get("confidence"),
                opened=item.get("id") in opened,
                live=live,
                exists=page is not None,
            )
        )
    return answers


def language_name(code: str) -> str:
    """ "German (de)" for "de", in the active language; the code alone if it is unknown."""
    name = dict(settings.LANGUAGES).get(code)
    return f"{translation.gettext(name)} ({code})" if name else code


def inbox_url(submission: Submission) -> str:
    try:
        path = reverse(INBOX_URL_NAME, args=[submission.pk])
    except NoReverseMatch:
        return ""
    return absolute_url(path)


def earlier_submissions(submission: Submission) -> int:
    """How many messages the same contact sent before this one (spam not counted)."""
    return (
        Submission.objects.filter(
            contact_id=submission.contact_id, created_at__lt=submission.created_at
        )
        .exclude(pk=submission.pk)
        .exclude(status=Submission.Status.SPAM)
        .count()
    )


# Safe text -------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Text without control characters (NUL, escape sequences, bidi overrides); lines kept."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char for char in value if char in "\n\t" or not unicodedata.category(char).startswith("C")
    )


def clean_line(value: str) -> str:
    """One line of text: no line breaks or control characters, whitespace collapsed."""
    return " ".join(clean_text(value).split())


def excerpt(value: str, length: int = SUBJECT_EXCERPT_LENGTH) -> str:
    line = clean_line(value)
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def quote(message: str) -> str:
    """The message as a reply quote: "> " before every line."""
    return "\n".join(f"> {line}".rstrip() for line in clean_text(message).split("\n"))


def is_safe_address(address: str) -> bool:
    """A valid e-mail address on one line, fit for a header."""
    if not address or clean_line(address) != address or " " in address:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def greeting_name(name: str) -> str:
    """The first word of the name if it looks like a given name, else "" (greet without it).

    The automatic reply goes to whatever address was typed into the form, so nothing a stranger
    chose may reach it beyond one plain word: no digits, links, "@" or punctuation.
    """
    words = clean_line(name).split(" ")
    first = words[0] if words else ""
    if len(first) > 30 or not GREETING_NAME.fullmatch(first):
        return ""
    return first
