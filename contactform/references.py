"""How mail finds its conversation: reference numbers ("#HC-42") in subjects and the Message-IDs
of the e-mails we send.

Our e-mails about a conversation carry a Message-ID derived from it and signed
(`<auto_reply.42.5f0c…@example.com>`), so a customer's reply (`In-Reply-To`, `References`) leads
back to conversation 42 without storing anything, and nobody can forge one for another
conversation. The Message-IDs of received mails and of agents' replies are stored on the
conversation (`Submission.message_id`, `ConversationEntry.message_id`) and found there.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

from django.utils.crypto import constant_time_compare, salted_hmac

from .conf import app_settings
from .models import ConversationEntry, Submission, normalise_email

SALT = "contactform.message-id"
OUR_MESSAGE_ID = re.compile(r"<([a-z_]{1,20})\.(\d{1,18})\.([0-9a-f]{20})@[^<>\s]+>")


def outgoing_message_id(submission: Submission, kind: str) -> str:
    """The Message-ID of our e-mail of `kind` ("team", "auto_reply", …) about `submission`."""
    from .notifications import from_email

    domain = (getaddresses([from_email()])[0][1].rpartition("@")[2] or "localhost").strip()
    return f"<{kind}.{submission.pk}.{_signature(kind, submission.pk)}@{domain}>"


def conversation_for(references: list[str], subject: str, sender: str) -> Submission | None:
    """The conversation a received mail answers, or None for a new one.

    Tried in order: our own signed Message-IDs and the stored ones among `references`
    (In-Reply-To and References), then a reference number in `subject`, but only when `sender`
    is the conversation's contact: a number is easy to guess, so it never lets a stranger
    write into someone else's conversation.
    """
    for reference in reversed(references):
        found = OUR_MESSAGE_ID.fullmatch(reference)
        if found and constant_time_compare(
            found.group(3), _signature(found.group(1), int(found.group(2)))
        ):
            submission = Submission.objects.filter(pk=int(found.group(2))).first()
            if submission is not None:
                return submission
    if references:
        stored = Submission.objects.filter(message_id__in=references).first()
        if stored is not None:
            return stored
        entry = ConversationEntry.objects.filter(message_id__in=references).first()
        if entry is not None:
            return entry.submission
    number = number_in(subject)
    if number is not None and sender:
        return Submission.objects.filter(pk=number, contact__email=normalise_email(sender)).first()
    return None


def number_in(subject: str) -> int | None:
    """The conversation number of a reference ("#HC-42", "HC-42") in a subject, if any."""
    prefix = re.escape(app_settings.REFERENCE_PREFIX)
    found = re.search(rf"(?<![\w-])#?{prefix}-(\d{{1,18}})\b", subject, re.IGNORECASE)
    return int(found.group(1)) if found else None


def _signature(kind: str, number: int) -> str:
    return salted_hmac(SALT, f"{kind}.{number}", algorithm="sha256").hexdigest()[:20]
