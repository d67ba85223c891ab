"""The e-mails a submission causes: the team notification and the automatic reply.

`schedule(submission)` runs in the transaction that stored the submission. It stores one mail
per kind in the suite's durable outbox (`helpcenter.outbox`: PENDING to be sent, or SKIPPED with
the reason in `last_error`); the outbox sends them after commit, retries with backoff and lets
the inbox resend them. The messages are built here (`team_message`, `auto_reply_message`) when
the outbox sends them.

Spam is never notified: both mails are recorded as SKIPPED ("spam: ..."), so the inbox shows
why, and an agent who marks the message as not spam can send the team notification from the
detail view.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.models import Page

from helpcenter import outbox
from helpcenter.links import absolute_url
from helpcenter.models import OutgoingMail

from .answers import current_answers, is_page, page_ids, source_label
from .conf import app_settings
from .models import Submission, normalise_email

SUBJECT_EXCERPT_LENGTH = 60
GREETING_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The inbox's detail view; the prefix is SubmissionAdmin.base_url_path (wagtail_hooks.py).
INBOX_URL_NAME = "contact_messages_modeladmin_inspect"


# Scheduling ------------------------------------------------------------------------------------

TEAM = "contactform.team"
AUTO_REPLY = "contactform.auto_reply"


def register_mail_kinds() -> None:
    """Called by `ContactFormConfig.ready`: the outbox builds these mails when it sends them."""
    outbox.register(
        TEAM, team_message, label=gettext_lazy("Team notification"), may_resend=not_spam
    )
    outbox.register(
        AUTO_REPLY, auto_reply_message, label=gettext_lazy("Automatic reply"), may_resend=not_spam
    )


def schedule(
    submission: Submission, *, auto_generated: str = "", auto_reply: bool = True
) -> None:
    """Store the mails of a just-stored submission in the outbox; they are sent after commit.

    Called by `contactform.submissions.receive` inside its transaction. One mail per kind and
    submission (the outbox key), whatever calls this twice. A message a machine wrote
    (`auto_generated` says why: a bounce, "Auto-Submitted", …) never gets an automatic reply,
    so that two auto-responders cannot answer each other for ever. `auto_reply=False`: only
    the team notification (a mail kept as it came, `submissions.receive_raw_mail`).
    """
    page = contact_page_of(submission)
    _store_team_notification(submission, page)
    if auto_reply and page is not None and page.auto_reply_enabled:
        _store_auto_reply(submission, page, auto_generated)


def not_spam(mail: OutgoingMail) -> bool:
    """Mails about spam are never sent by hand: the agent marks the message as not spam first."""
    return getattr(mail.about, "status", None) != Submission.Status.SPAM


def _store_team_notification(submission: Submission, page) -> OutgoingMail:
    recipients = page.recipient_list if page is not None else []
    reason = ""
    if submission.status == Submission.Status.SPAM:
        reason = spam_skip_reason(submission)
    elif not recipients:
        reason = _("The contact page has no recipients.")
    return outbox.store(
        TEAM,
        about=submission,
        recipients=recipients,
        key=_key(TEAM, submission),
        skip_reason=reason,
    )


def _store_auto_reply(submission: Submission, page, auto_generated: str = "") -> OutgoingMail:
    address = normalise_email(submission.email)
    limit = app_settings.AUTO_REPLIES_PER_RECIPIENT_PER_DAY
    reason = ""
    if submission.status == Submission.Status.SPAM:
        reason = spam_skip_reason(submission)
    elif auto_generated:
        reason = _("Written by a machine (%(reason)s): no automatic reply.") % {
            "reason": auto_generated
        }
    elif not is_safe_address(address):
        reason = _("The e-mail address is not valid.")
    elif page.auto_reply_outside_business_hours_only and page.is_business_time(
        submission.created_at
    ):
        reason = _("Sent during business hours: no automatic reply.")
    elif auto_replies_sent_to(address) >= limit:
        reason = ngettext(
            "This address already had %(count)s automatic reply in 24 hours.",
            "This address already had %(count)s automatic replies in 24 hours.",
            limit,
        ) % {"count": limit}
    elif submission.ip_hash and auto_replies_caused_from(submission.ip_hash) >= (
        ip_limit := app_settings.AUTO_REPLIES_PER_IP_PER_DAY
    ):
        reason = _(
            "This network address already caused %(count)s automatic replies in 24 hours."
        ) % {"count": ip_limit}
    return outbox.store(
        AUTO_REPLY,
        about=submission,
        recipients=[address],
        key=_key(AUTO_REPLY, submission),
        skip_reason=reason,
    )


def _key(kind: str, submission: Submission) -> str:
    return f"{kind}:{submission.pk}"


def mails_of(submission: Submission):
    """The outbox's mails about a submission: team notification first."""
    return outbox.about(submission).order_by("-kind")


def _recent_auto_replies():
    """Automatic replies of the last 24 hours (sent or about to be)."""
    return OutgoingMail.objects.filter(
        kind=AUTO_REPLY, created_at__gte=timezone.now() - timedelta(days=1)
    ).exclude(status=OutgoingMail.Status.SKIPPED)


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
    submissions = Submission.objects.filter(ip_hash=ip_hash).values("pk")
    return (
        _recent_auto_replies()
        .filter(
            content_type=ContentType.objects.get_for_model(Submission), object_id__in=submissions
        )
        .count()
    )


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


def spam_skip_reason(submission: Submission) -> str:
    """Why no mail goes out about a conversation marked as spam ("Spam: honeypot")."""
    if submission.spam_reason:
        return _("Spam: %(reason)s") % {"reason": submission.spam_reason}
    return _("Spam")


def contact_page_of(submission: Submission):
    """The conversation's contact page as it is now (specific), or None when it is gone."""
    if submission.page_id is None:
        return None
    page = Page.objects.filter(pk=submission.page_id).first()
    return page.specific if page is not None else None


# Messages --------------------------------------------------------------------------------------


@dataclass
class Answer:
    """A suggested answer as the mails and the inbox show it: `exists` when it is a page that
    still exists (an editor can open it), `source_label` what it is when not an article
    ("Community" for a forum thread)."""

    id: int | None
    title: str
    url: str
    short_answer: str
    confidence: float | None
    opened: bool
    live: bool
    exists: bool
    source_label: str = ""


def team_message(mail: OutgoingMail) -> EmailMessage:
    """Plain text to the page's recipients, Reply-To the customer when the address is safe
    (templates: contactform/mail/)."""
    submission = mail.about
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
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=recipients_of(mail),
        reply_to=customer_reply_to(submission),
        headers=thread_headers(submission, "team"),
    )


def customer_reply_to(submission: Submission) -> list[str]:
    """Reply-To of the team's mails about a conversation: the customer (name and address), only
    when the address is one valid address on one line; else none."""
    if not is_safe_address(submission.email):
        return []
    return [formataddr((excerpt(clean_line(submission.name), 60), submission.email))]


def recipients_of(mail: OutgoingMail) -> list[str]:
    return [address for address in mail.recipients.split(", ") if address]


def auto_reply_message(mail: OutgoingMail) -> EmailMessage:
    """The automatic reply: never the message, never more of the name than a greeting."""
    submission = mail.about
    page = contact_page_of(submission)
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
    if not is_safe_address(mail.recipients):
        raise ValueError("unsafe recipient address")
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=[mail.recipients],
        headers={
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
            **thread_headers(submission, "auto_reply"),
        },
    )


def thread_headers(submission: Submission, kind: str) -> dict:
    """Message-ID (derived from the conversation and `kind`, "team" or "auto_reply", so replies
    find it) and, for a conversation that began as an e-mail, In-Reply-To and References to
    that e-mail."""
    from .references import outgoing_message_id

    headers = {"Message-ID": outgoing_message_id(submission, kind)}
    if submission.message_id:
        headers["In-Reply-To"] = headers["References"] = submission.message_id
    return headers


def from_email() -> str:
    return app_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def answers_for(submission: Submission) -> list[Answer]:
    """The suggested answers in their order: an article with its current short answer and full
    URL, another source's answer (a forum thread) as that source has it now."""
    suggested = [item for item in submission.suggested_answers if isinstance(item, dict)]
    pages = {
        page.pk: page for page in Page.objects.filter(pk__in=page_ids(suggested)).specific()
    }
    current = current_answers(suggested)
    opened = set(submission.opened_answers)
    page = contact_page_of(submission) if current else None
    site = page.get_site() if page is not None else None
    answers = []
    for item in suggested:
        if is_page(item):
            answers.append(_page_answer(item, pages.get(item.get("id")), opened))
        else:
            now = current.get((item["source"], item.get("id")))
            answers.append(_other_answer(item, now, site))
    return answers


def _page_answer(item: dict, page, opened: set) -> Answer:
    live = page is not None and page.live and not page.get_view_restrictions().exists()
    return Answer(
        id=item.get("id"),
        title=clean_line(page.title if page is not None else str(item.get("title", ""))),
        url=(absolute_url(page) if live else "") or str(item.get("url", "")),
        short_answer=clean_text(getattr(page, "short_answer", "") or ""),
        confidence=item.get("confidence"),
        opened=item.get("id") in opened,
        live=live,
        exists=page is not None,
    )


def _other_answer(item: dict, now, site) -> Answer:
    return Answer(
        id=item.get("id"),
        title=clean_line(now.title if now is not None else str(item.get("title", ""))),
        url=(absolute_url(now.url, site=site) if now is not None and now.url else "")
        or str(item.get("url", "")),
        short_answer="",
        confidence=item.get("confidence"),
        opened=False,  # only articles open on the contact page; a thread opens on its own
        live=now is not None,
        exists=False,
        source_label=source_label(item),
    )


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
    """The start of a text on one line, at most `length` characters."""
    return shorten(clean_line(value), length)


def shorten(text: str, length: int) -> str:
    """`text` cut at `length` characters with "…" when it is longer."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


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
