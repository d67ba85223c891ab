"""Spam signals of the contact form: small checks that need no third party.

What each signal leads to (docs/contactform.md, "Spam defences"):

- honeypot filled, form token missing or forged: the submission is stored with status spam and
  the reason, never notified, and the sender sees the ordinary confirmation, so a bot learns
  nothing;
- form sent faster than a person types (autofill and paste are fast), or shown too long ago:
  the form is shown again with the text kept and a fresh token; one more click sends it;
- more links than allowed, a token used for a different message: a validation error that tells
  a person what to do; nothing is stored;
- the same message from the same e-mail address within the window, or the same form sent twice:
  a duplicate; the sender sees the confirmation, nothing is stored or sent twice.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from .conf import app_settings
from .models import Submission, normalise_email

TOKEN_SALT = "contactform.form-token"  # noqa: S105 - a signing namespace, not a secret
NONCE_CACHE_PREFIX = "contactform:nonce:"
_LINK_RE = re.compile(r"https?://|ftp://|\bwww\.|\[url[=\]]|<a\s", re.IGNORECASE)


class SpamReason(enum.StrEnum):
    """Why a submission was kept as spam (stored in `Submission.spam_reason`)."""

    HONEYPOT = "honeypot"
    NO_TOKEN = "no-token"  # noqa: S105
    BAD_TOKEN = "bad-token"  # noqa: S105


class TokenState(enum.Enum):
    VALID = "valid"
    MISSING = "missing"
    FORGED = "forged"
    TOO_FAST = "too-fast"
    EXPIRED = "expired"


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    nonce: str = ""
    age: float | None = None


# Render timestamp and single-use nonce ---------------------------------------------------------


def issue_token(issued_at: float | None = None) -> str:
    """A signed token with the time the form was shown and a random single-use nonce."""
    issued_at = time.time() if issued_at is None else issued_at
    payload = {"t": round(issued_at, 3), "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=TOKEN_SALT)


def check_token(token: str, now: float | None = None) -> TokenCheck:
    """Whether a form's token is genuine, and whether it was sent too fast or too late."""
    if not token:
        return TokenCheck(TokenState.MISSING)
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        issued_at, nonce = float(payload["t"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck(TokenState.FORGED)
    age = (time.time() if now is None else now) - issued_at
    if age < app_settings.MIN_FILL_SECONDS:
        state = TokenState.TOO_FAST
    elif age > app_settings.FORM_MAX_AGE_SECONDS:
        state = TokenState.EXPIRED
    else:
        state = TokenState.VALID
    return TokenCheck(state, nonce, age)


def use_nonce(nonce: str, fingerprint: str) -> str | None:
    """Mark a form's nonce as used for the message `fingerprint`.

    Returns None on first use, else the fingerprint it was first used for. Atomic on every
    Django cache backend (``cache.add``); use a cache that all web processes share (Redis,
    Memcached, the database cache) so that a token is single-use across processes too.
    """
    key = NONCE_CACHE_PREFIX + nonce
    if cache.add(key, fingerprint, timeout=app_settings.FORM_MAX_AGE_SECONDS + 60):
        return None
    return cache.get(key, fingerprint)


def release_nonce(nonce: str) -> None:
    """Allow a nonce again, when storing the message it was used for failed."""
    cache.delete(NONCE_CACHE_PREFIX + nonce)


# Content signals -------------------------------------------------------------------------------


def count_links(text: str) -> int:
    """Web links in a message: URLs, "www." addresses, BBCode and HTML links."""
    return len(_LINK_RE.findall(text))


def has_too_many_links(text: str) -> bool:
    return count_links(text) > app_settings.MAX_LINKS


def honeypot_filled(value: str) -> bool:
    return bool(value and value.strip())


def normalise_message(text: str) -> str:
    """The form in which two messages count as the same: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


def fingerprint(email: str, message: str) -> str:
    data = f"{normalise_email(email)}\n{normalise_message(message)}".encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def is_duplicate(email: str, message: str, *, spam: bool = False, now=None) -> bool:
    """True when the same address sent the same message within the duplicate window.

    A message kept as spam does not hide a later genuine one: only spam is compared with spam.
    """
    since = (now or timezone.now()) - timedelta(hours=app_settings.DUPLICATE_WINDOW_HOURS)
    wanted = normalise_message(message)
    recent = Submission.objects.filter(contact__email=normalise_email(email), created_at__gte=since)
    if not spam:
        recent = recent.exclude(status=Submission.Status.SPAM)
    recent = recent.values_list("message", flat=True)
    return any(normalise_message(earlier) == wanted for earlier in recent.iterator())
