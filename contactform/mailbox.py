"""The e-mail channel: new mail in an IMAP mailbox becomes conversations (docs/contactform.md,
"E-mail channel").

`fetch_new_mail()` reads every unseen message of `HELPCENTER_CONTACT_MAILBOX`, stores it (a new
conversation, or a customer's reply added to its conversation) and only then marks it seen. A run
that dies between the two finds the message unseen next time and recognises it by its
Message-ID, so a crash neither loses nor doubles a mail. A mail that cannot be stored stays
unseen and is tried again, `HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS` runs at most (counted in
`MailFailure`); then it is kept as it came (`submissions.receive_raw_mail`) and marked seen. A
mail the server will not hand over is counted alike and then kept as its headers.
Run it from cron (`manage.py fetch_mail`) or the task worker (`fetch_mail` task).
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import re
import ssl
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Page

from helpcenter import spam

from .conf import app_settings
from .inbound import IncomingMail, read_mail
from .models import ConversationEntry, MailFailure, Submission
from .references import conversation_for
from .submissions import (
    add_customer_reply,
    is_duplicate,
    mail_message,
    receive_mail,
    receive_raw_mail,
)

logger = logging.getLogger(__name__)

SECURITY_CHOICES = ("ssl", "starttls", "none")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
LOCK_KEY = "contactform:fetch-mail"
LOCK_SECONDS = 15 * 60
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The mailbox cannot be read (server, login, folder, contact page)."""


class FetchRefused(Exception):
    """The server did not hand over a mail it listed (its answer to FETCH)."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    folder: str
    page_id: int

    @classmethod
    def from_setting(cls, value: dict | None = None) -> MailboxSettings:
        value = app_settings.MAILBOX if value is None else value
        found = problems(value)
        if found:
            raise ImproperlyConfigured("HELPCENTER_CONTACT_MAILBOX: " + "; ".join(found))
        security = value.get("SECURITY", "ssl")
        return cls(
            host=value["HOST"],
            port=int(value.get("PORT") or DEFAULT_PORTS[security]),
            security=security,
            user=value["USER"],
            password=value["PASSWORD"],
            folder=value.get("FOLDER") or "INBOX",
            page_id=int(value["PAGE"]),
        )


def problems(value) -> list[str]:
    """What is wrong with a `HELPCENTER_CONTACT_MAILBOX` value (empty: nothing)."""
    if not isinstance(value, dict):
        return ["must be a dict (HOST, PORT, SECURITY, USER, PASSWORD, FOLDER, PAGE) or None"]
    found = [
        f"{key} is missing" for key in ("HOST", "USER", "PASSWORD", "PAGE") if not value.get(key)
    ]
    if value.get("SECURITY", "ssl") not in SECURITY_CHOICES:
        found.append(f"SECURITY must be one of {', '.join(SECURITY_CHOICES)}")
    port = value.get("PORT")
    if port is not None and (not str(port).isdigit() or not 0 < int(port) < 65536):
        found.append("PORT must be a number from 1 to 65535")
    if value.get("PAGE") and not str(value["PAGE"]).isdigit():
        found.append("PAGE must be the id of a contact page")
    return found


@dataclass
class Outcome:
    """What became of one mail: "new", "reply", "spam", "known" (stored before), "duplicate"
    (the same text from the same sender within the window: not stored), "failed" (left
    unseen, tried again next run) or "kept-raw" (failed `HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS`
    times: kept as it came in a new conversation)."""

    uid: str
    status: str
    submission_id: int | None = None


def fetch_new_mail(
    config: MailboxSettings | None = None, *, report: Callable[[Outcome], None] | None = None
) -> Counter:
    """Store every unseen mail of the mailbox; returns how many had each outcome.

    `report` is called for each mail once it is stored and before it is marked seen (progress
    output). Raises `MailboxError` when the mailbox cannot be read at all.
    """
    config = config or MailboxSettings.from_setting()
    page = contact_page(config.page_id)
    if not cache.add(LOCK_KEY, True, LOCK_SECONDS):
        raise MailboxError("Another fetch_mail run is still reading the mailbox.")
    counts = Counter()
    try:
        with connect(config) as imap:
            place = mailbox_place(config, imap)
            for uid in unseen(imap):
                outcome = fetch_one(imap, uid, page, place)
                counts[outcome.status] += 1
                if report is not None:
                    report(outcome)
                if outcome.status != "failed":
                    imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        cache.delete(LOCK_KEY)
    return counts


def contact_page(page_id: int):
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not hasattr(page.specific, "auto_reply_enabled"):
        raise MailboxError(f"HELPCENTER_CONTACT_MAILBOX: page {page_id} is not a contact page.")
    return page.specific


def connect(config: MailboxSettings) -> imaplib.IMAP4:
    """Log in and open the folder, read-write."""
    timeout = app_settings.MAIL_TIMEOUT
    try:
        if config.security == "ssl":
            context = ssl.create_default_context()
            imap = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context, timeout=timeout)
        else:
            imap = imaplib.IMAP4(config.host, config.port, timeout=timeout)
            if config.security == "starttls":
                imap.starttls(ssl.create_default_context())
        imap.login(config.user, config.password)
        status, detail = imap.select(quote_folder(config.folder))
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"{config.host}:{config.port}: {error}") from error
    if status != "OK":
        imap.logout()
        raise MailboxError(f"Folder {config.folder!r}: {detail!r}")
    return imap


def quote_folder(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unseen(imap: imaplib.IMAP4) -> list[str]:
    status, data = imap.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise MailboxError(f"SEARCH UNSEEN: {data!r}")
    return [uid.decode() for uid in (data[0] or b"").split()]


def mailbox_place(config: MailboxSettings, imap: imaplib.IMAP4) -> str:
    """The mailbox folder and its UIDVALIDITY: with a UID, where a mail is (a changed
    UIDVALIDITY means the server numbered its mails anew)."""
    validity = (imap.untagged_responses.get("UIDVALIDITY") or [b""])[-1]
    return f"{config.host}:{config.port}:{config.user}:{config.folder}:{validity!r}"


def fetch_one(imap: imaplib.IMAP4, uid: str, page, place: str = "") -> Outcome:
    """Download one mail (headers only when it is too large) and store it."""
    try:
        status, data = imap.uid("FETCH", uid, "(RFC822.SIZE)")
        size = int(SIZE.search(data[0]).group(1)) if status == "OK" and data[0] else 0
        too_large = size > app_settings.MAIL_MAX_BYTES
        raw = fetch_part(imap, uid, "(BODY.PEEK[HEADER])" if too_large else "(BODY.PEEK[])")
    except (imaplib.IMAP4.abort, OSError):
        raise  # the connection is gone: stop the run, the rest waits, unseen
    except Exception as error:  # noqa: BLE001 - one message the server cannot give us
        logger.exception("E-mail UID %s could not be downloaded", uid)
        try:
            return note_download_failure(imap, uid, page, place, error)
        except (imaplib.IMAP4.abort, OSError):
            raise
        except Exception:  # noqa: BLE001 - it stays unseen: the next run tries again
            logger.exception("E-mail UID %s could not be counted or kept", uid)
            return Outcome(uid, "failed")
    try:
        outcome = store_mail(page, read_mail(raw, headers_only=too_large), uid)
    except Exception as error:  # noqa: BLE001 - never lose the run over one mail; it stays unseen
        logger.exception("E-mail UID %s could not be stored", uid)
        try:
            return note_failure(page, raw, uid, error, headers_only=too_large)
        except Exception:  # noqa: BLE001 - it stays unseen: the next run tries again
            logger.exception("E-mail UID %s could not be counted or kept as it came", uid)
            return Outcome(uid, "failed")
    MailFailure.objects.filter(digest=digest(raw)).delete()
    return outcome


def count_failure(key: str, error: Exception) -> MailFailure:
    failure, _created = MailFailure.objects.get_or_create(digest=key)
    failure.attempts += 1
    failure.last_error = type(error).__name__[:100]
    failure.last_failed_at = timezone.now()
    failure.save()
    return failure


def note_failure(page, raw: bytes, uid: str, error: Exception, *, headers_only: bool) -> Outcome:
    """Count the failure; the last allowed one keeps the mail as it came ("kept-raw") instead
    of trying it again next run, for ever."""
    failure = count_failure(digest(raw), error)
    if failure.attempts < app_settings.MAILBOX_MAX_ATTEMPTS:
        return Outcome(uid, "failed")
    submission = receive_raw_mail(
        page, raw, attempts=failure.attempts, error=failure.last_error, headers_only=headers_only
    )
    failure.delete()
    return Outcome(uid, "kept-raw", submission.pk)


def note_download_failure(imap, uid: str, page, place: str, error: Exception) -> Outcome:
    """Count a mail the server will not hand over, by its place in the mailbox; the last
    allowed attempt keeps what the server still gives of it (its headers) as a conversation
    that says the e-mail itself stays in the mailbox ("kept-raw"), so it is not tried for
    ever and an agent knows where to look."""
    failure = count_failure(digest(f"{place}:{uid}".encode()), error)
    if failure.attempts < app_settings.MAILBOX_MAX_ATTEMPTS:
        return Outcome(uid, "failed")
    submission = receive_raw_mail(
        page, headers_of(imap, uid), attempts=failure.attempts, error=failure.last_error,
        downloaded=False,
    )
    failure.delete()
    return Outcome(uid, "kept-raw", submission.pk)


def fetch_part(imap, uid: str, part: str) -> bytes:
    """The bytes of `part` (a FETCH item such as "(BODY.PEEK[])") of mail `uid`; raises
    FetchRefused when the server does not hand them over."""
    status, data = imap.uid("FETCH", uid, part)
    raw = next((item[1] for item in data if isinstance(item, tuple)), None)
    if status != "OK" or raw is None:
        raise FetchRefused(f"{part}: {status}")
    return raw


def headers_of(imap, uid: str) -> bytes:
    """What the server gives of a mail's headers; empty when not even those."""
    try:
        return fetch_part(imap, uid, "(BODY.PEEK[HEADER])")
    except imaplib.IMAP4.abort:
        raise
    except (imaplib.IMAP4.error, FetchRefused):
        return b""


def digest(raw: bytes) -> str:
    """What a failing mail is counted by: the hash of its bytes (nothing personal)."""
    return hashlib.sha256(raw).hexdigest()


def store_mail(page, mail: IncomingMail, uid: str = "") -> Outcome:
    """Store one parsed mail: known before, a reply to a conversation, or a new one."""
    known = stored_with_key(mail)
    if known is not None:
        return Outcome(uid, "known", known)
    conversation = conversation_for(mail.references, mail.subject, mail.sender)
    if conversation is not None:
        add_customer_reply(conversation, mail)
        return Outcome(uid, "reply", conversation.pk)
    if mail.sender and is_duplicate(mail.sender, mail_message(mail)):
        return Outcome(uid, "duplicate")
    too_many = spam.too_many_links(mail.text, app_settings.MAX_LINKS)
    spam_reason = "too-many-links" if too_many else ""
    submission = receive_mail(page, mail, spam_reason=spam_reason)
    return Outcome(uid, "spam" if spam_reason else "new", submission.pk)


def stored_with_key(mail: IncomingMail) -> int | None:
    """The conversation that holds this mail already, if any.

    Known by its Message-ID; but some mailers give every mail the same one, so a stored mail
    with the same Message-ID and a different text is another mail: it gets a key of its own
    (the hash of its content, as for mail without a Message-ID) and a note saying why.
    """
    text = mail_message(mail)
    for key in (mail.key, mail.content_key):
        conversation = (
            Submission.objects.filter(message_id=key).values_list("pk", "message").first()
        )
        entry = ConversationEntry.objects.filter(message_id=key)
        found = conversation or entry.values_list("submission_id", "body").first()
        if found is None:
            mail.message_id = key
            return None
        if found[1] == text:
            return found[0]
        if key == mail.key:
            mail.notes.append(
                _("Another e-mail with the same Message-ID was stored before; this one differs.")
            )
    return found[0]


@task()
def fetch_mail() -> dict:
    """The task worker's way to run `manage.py fetch_mail`; returns the counts."""
    return dict(fetch_new_mail())
