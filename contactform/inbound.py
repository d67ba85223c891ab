"""Reading one incoming e-mail: who sent it, what it says, what it carries, whether a machine
wrote it. Nothing here trusts the mail: every header is decoded defensively and cleaned to one
line, HTML is sanitised by nh3 before its text is taken, charsets that lie fall back to UTF-8
with replacement, and whatever cannot be read becomes a note instead of an exception.

`read_mail(raw)` gives an `IncomingMail`; `contactform.mailbox` stores it.
"""

from __future__ import annotations

import email
import email.header
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.utils import getaddresses
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext as _

from .conf import app_settings
from .notifications import clean_line, clean_text, is_safe_address

MAX_PART_DEPTH = 20
MAX_PARTS = 200
HEADER_LENGTH = 998  # RFC 5322's longest line
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
BULK_PRECEDENCE = {"bulk", "junk", "list"}
DSN_TYPES = {"multipart/report", "message/delivery-status", "message/disposition-notification"}
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


@dataclass
class IncomingAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class IncomingMail:
    """What the suite keeps of one e-mail."""

    message_id: str
    sender: str
    name: str
    subject: str
    text: str
    references: list[str] = field(default_factory=list)
    attachments: list[IncomingAttachment] = field(default_factory=list)
    auto_generated: str = ""
    notes: list[str] = field(default_factory=list)

    content_key: str = ""

    @property
    def key(self) -> str:
        """What makes the mail unique: its Message-ID (cut to the stored length)."""
        return self.message_id[:255]


def read_mail(raw: bytes, *, headers_only: bool = False) -> IncomingMail:
    """Parse `raw` (RFC 5322 bytes). Never raises for a malformed mail: the problems are in
    `notes`. With `headers_only` (a mail too large to download) the text is a note."""
    notes = []
    try:
        message = email.message_from_bytes(raw, policy=policy.compat32)
    except Exception:  # noqa: BLE001 - the parser is lenient; this is the last resort
        notes.append(_("The e-mail could not be parsed; its raw text is kept."))
        return _unparsed(raw, notes)
    if message.defects:
        notes.append(_("The e-mail is malformed: %(defects)s.") % {"defects": _defects(message)})
    name, sender = _sender(message, notes)
    mail = IncomingMail(
        message_id=_message_id(message, raw),
        content_key=_content_key(raw),
        sender=sender,
        name=name,
        subject=header_text(message, "Subject"),
        text="",
        references=_references(message),
        notes=notes,
    )
    mail.auto_generated = auto_generated_reason(message, sender)
    if headers_only:
        mail.notes.append(_("The e-mail was too large to download; only its headers are kept."))
        return mail
    walk = _Walk()
    _collect(message, mail, walk, depth=0)
    if walk.cut:
        mail.notes.append(
            _("Parts nested deeper than %(depth)s levels or beyond %(count)s parts were not read.")
            % {"depth": MAX_PART_DEPTH, "count": MAX_PARTS}
        )
    limit = app_settings.MAIL_MAX_TEXT_LENGTH
    text = "\n\n".join(item for item in walk.texts if item.strip())
    if not text.strip():
        # Markup is several times its text: enough of it for `limit` characters, no more.
        text = "\n\n".join(html_to_text(item[: limit * 10]) for item in walk.htmls)
    if len(text) > limit:
        mail.notes.append(
            _("The text was shortened from %(length)s to %(limit)s characters.")
            % {"length": len(text), "limit": limit}
        )
        text = text[:limit]
    mail.text = clean_text(text).strip()
    return mail


def header_text(message: Message, name: str) -> str:
    """A header's decoded value on one line, whatever its encoding claims."""
    value = message.get(name)
    if value is None:
        return ""
    return _decoded(str(value))[:HEADER_LENGTH]


def decode_bytes(chunk: bytes | str, charset: str | None) -> str:
    """Text from bytes in the declared charset; an unknown or wrong one falls back to UTF-8,
    then Windows-1252, replacing what neither can read."""
    if isinstance(chunk, str):
        return chunk
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return chunk.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return chunk.decode("cp1252", errors="replace")


def auto_generated_reason(message: Message, sender: str) -> str:
    """Why a machine wrote this mail ("" for a person): RFC 3834 Auto-Submitted, a delivery
    report (bounce), Precedence bulk/junk/list, a mailing list, or our own address."""
    from .notifications import from_email

    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {clean_line(auto_submitted)[:40]}"
    if message.get_content_type() in DSN_TYPES or BOUNCE_SENDERS.match(sender):
        return "bounce"
    if str(message.get("Precedence", "")).strip().lower() in BULK_PRECEDENCE:
        return f"Precedence: {clean_line(str(message['Precedence'])).lower()}"
    if message.get("List-Id") or message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "list or auto-responder"
    ours = getaddresses([from_email()])
    if ours and sender and sender.casefold() == ours[0][1].casefold():
        return "our own address"
    return ""


def html_to_text(html: str) -> str:
    """Readable text of an HTML part: nh3 removes scripts, styles and every attribute first,
    then block elements become line breaks. The result is plain text, shown escaped."""
    cleaned = nh3.clean(html, tags=BLOCK_TAGS | {"td", "th"}, attributes={})
    extractor = _TextExtractor()
    extractor.feed(cleaned)
    extractor.close()
    lines = ("".join(extractor.parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def safe_filename(name: str) -> str:
    """An attachment's name to show: no folders ("../../etc/passwd" → "passwd"), no control
    characters, at most 150 characters; "attachment" when nothing is left."""
    name = unicodedata.normalize("NFC", clean_line(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    name = "".join(char for char in name if char not in '<>:"|?*')
    if len(name) > 150:
        stem, extension = os.path.splitext(name)
        name = stem[: 150 - len(extension[:20])] + extension[:20]
    return name or "attachment"


# Parts -----------------------------------------------------------------------------------------


@dataclass
class _Walk:
    """What walking a mail's parts found: text and HTML parts, and whether parts were left
    unread (too deep, too many)."""

    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    parts: int = 0
    cut: bool = False


def _collect(part: Message, mail: IncomingMail, walk: _Walk, *, depth: int) -> None:
    walk.parts += 1
    if depth > MAX_PART_DEPTH or walk.parts > MAX_PARTS:
        walk.cut = True
        return
    if part.is_multipart():
        for child in part.get_payload() or []:
            if isinstance(child, Message):
                _collect(child, mail, walk, depth=depth + 1)
        return
    content_type = part.get_content_type()
    disposition = str(part.get("Content-Disposition", "")).split(";", 1)[0].strip().lower()
    filename = _filename(part)
    if disposition == "attachment" or filename or not content_type.startswith("text/"):
        payload = _payload(part)
        if payload or filename:
            mail.attachments.append(
                IncomingAttachment(safe_filename(filename), clean_line(content_type)[:100], payload)
            )
        return
    text = decode_bytes(_payload(part), part.get_content_charset())
    (walk.htmls if content_type == "text/html" else walk.texts).append(text)


def _payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken transfer encoding: take the text as it is
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "replace") if isinstance(raw, str) else b""
    return payload


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed RFC 2231 parameter
        return "attachment"
    return _decoded(name)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


# Headers ---------------------------------------------------------------------------------------


def _sender(message: Message, notes: list[str]) -> tuple[str, str]:
    for header in ("From", "Sender", "Return-Path"):
        # Split the raw header first: a decoded name may hold commas, "<" or line breaks.
        for name, address in getaddresses([str(message.get(header, ""))]):
            address = address.strip()
            if is_safe_address(address):
                return _decoded(name)[:200], address[:254]
    notes.append(_("The e-mail has no valid sender address."))
    return "", ""


def _decoded(value: str) -> str:
    try:
        parts = email.header.decode_header(value)
        return clean_line("".join(decode_bytes(chunk, charset) for chunk, charset in parts))
    except Exception:  # noqa: BLE001 - a broken encoded word
        return clean_line(value)


def _message_id(message: Message, raw: bytes) -> str:
    found = MESSAGE_ID.search(header_text(message, "Message-ID"))
    # No Message-ID: the content's hash identifies the mail across runs just as well.
    return found.group(0) if found else _content_key(raw)


def _content_key(raw: bytes) -> str:
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"


def _references(message: Message) -> list[str]:
    found = []
    for header in ("In-Reply-To", "References"):
        found += MESSAGE_ID.findall(header_text(message, header))
    return list(dict.fromkeys(found))[-50:]


def _defects(message: Message) -> str:
    names = {type(defect).__name__ for part in message.walk() for defect in part.defects}
    return ", ".join(sorted(names))[:300]


def _unparsed(raw: bytes, notes: list[str]) -> IncomingMail:
    return IncomingMail(
        message_id=_content_key(raw),
        content_key=_content_key(raw),
        sender="",
        name="",
        subject="",
        text=clean_text(decode_bytes(raw[: app_settings.MAIL_MAX_TEXT_LENGTH], None)),
        notes=notes,
    )
