"""Spam signals every public form of the suite shares; none needs a third party.

The contact form and the forum call these (docs/helpcenter.md, "Spam defences"); what a signal
leads to is the calling app's decision:

- a honeypot field, and a signed render token with the time the form was shown and a single-use
  nonce (`issue_token`, `check_token`, `use_nonce`);
- links counted in a text (`count_links`, `too_many_links`);
- the same text sent again (`normalise_text`, `fingerprint`, `repeats`);
- per-member and per-address rate limits on `helpcenter.ratelimit` (`member_allowed`,
  `address_allowed`).
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from . import ratelimit, visitors
from .conf import app_settings

# Both names kept from the contact form, so that forms open during an upgrade stay valid.
TOKEN_SALT = "contactform.form-token"  # noqa: S105 - a signing namespace, not a secret
NONCE_CACHE_PREFIX = "contactform:nonce:"
_LINK_RE = re.compile(r"https?://|ftp://|\bwww\.|\[url[=\]]|<a\s", re.IGNORECASE)


class SpamReason(enum.StrEnum):
    """Why something was kept as spam (stored by the calling app, e.g. `Submission.spam_reason`)."""

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


def issue_filled_token() -> str:
    """A token for a form the visitor has filled in already (shown again with their text)."""
    return issue_token(time.time() - app_settings.SPAM_MIN_FILL_SECONDS - 1)


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
    if age < app_settings.SPAM_MIN_FILL_SECONDS:
        state = TokenState.TOO_FAST
    elif age > app_settings.SPAM_FORM_MAX_AGE_SECONDS:
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
    if cache.add(key, fingerprint, timeout=app_settings.SPAM_FORM_MAX_AGE_SECONDS + 60):
        return None
    return cache.get(key, fingerprint)


def release_nonce(nonce: str) -> None:
    """Allow a nonce again, when storing the message it was used for failed."""
    cache.delete(NONCE_CACHE_PREFIX + nonce)


def honeypot_field():
    """The honeypot form field: hide it from people and assistive technology in the template
    (a wrapper with `aria-hidden="true"`, moved off-screen); form-filling bots fill it in."""
    from django import forms
    from django.utils.translation import gettext_lazy as _

    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def honeypot_filled(value: str) -> bool:
    return bool(value and value.strip())


# Content signals -------------------------------------------------------------------------------


def count_links(text: str) -> int:
    """Web links in a text: URLs, "www." addresses, BBCode and HTML links."""
    return len(_LINK_RE.findall(text))


def too_many_links(text: str, limit: int) -> bool:
    return count_links(text) > limit


def normalise_text(text: str) -> str:
    """The form in which two texts count as the same: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


def fingerprint(sender: str, text: str) -> str:
    """A short key for "this sender sent this text" (`sender` already normalised by the caller)."""
    data = f"{sender}\n{normalise_text(text)}".encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def repeats(text: str, earlier: Iterable[str]) -> bool:
    """True when `text` is one of the `earlier` texts, whitespace and case aside."""
    wanted = normalise_text(text)
    return any(normalise_text(other) == wanted for other in earlier)


# Rate limits -----------------------------------------------------------------------------------


def member_allowed(scope: str, user, limit: int, window_seconds: int) -> bool:
    """Count one attempt of a signed-in member in `scope`; False once over `limit` per window."""
    return ratelimit.allow(scope, f"member:{user.pk}", limit, window_seconds)


def address_allowed(scope: str, request, limit: int, window_seconds: int) -> bool:
    """Count one attempt from the request's client address (stored only as a pseudonym)."""
    return ratelimit.allow(scope, visitors.client_address(request), limit, window_seconds)
