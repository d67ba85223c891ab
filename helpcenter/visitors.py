"""Who is looking: anonymous visitor identity, bot detection and editor detection."""

import hashlib
import re
import secrets
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from .conf import app_settings

_SALT = "helpcenter.visitor"


@lru_cache(maxsize=4)
def _bot_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def is_bot(request: HttpRequest) -> bool:
    """True for crawlers, link previews and scripts: they must not move popularity figures."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent:
        return True
    return bool(_bot_pattern(app_settings.BOT_USER_AGENT_PATTERN).search(user_agent))


def is_editor(request: HttpRequest) -> bool:
    """Editors browsing their own help center are not customers."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def counts_as_customer(request: HttpRequest) -> bool:
    return (
        not is_bot(request) and not is_editor(request) and not getattr(request, "is_preview", False)
    )


def visitor_token(request: HttpRequest) -> str | None:
    """The visitor's random token from the signed cookie, or None when absent or tampered with."""
    raw = request.COOKIES.get(app_settings.VISITOR_COOKIE_NAME)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=_SALT)
    except signing.BadSignature:
        return None


def ensure_visitor_token(request: HttpRequest) -> str:
    """Return the visitor token, creating one (set on the response by `remember_visitor`)."""
    token = visitor_token(request) or getattr(request, "_helpcenter_new_visitor", None)
    if token is None:
        token = secrets.token_urlsafe(18)
        request._helpcenter_new_visitor = token
    return token


def remember_visitor(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    token = getattr(request, "_helpcenter_new_visitor", None)
    if token:
        response.set_cookie(
            app_settings.VISITOR_COOKIE_NAME,
            signing.dumps(token, salt=_SALT),
            max_age=app_settings.VISITOR_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def pseudonym(value: str) -> str:
    """A stable keyed hash, so stored rows never hold a raw token or address."""
    key = settings.SECRET_KEY.encode()
    return hashlib.blake2b(value.encode(), key=key[:64], digest_size=20).hexdigest()


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
