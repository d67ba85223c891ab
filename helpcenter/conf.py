"""Settings of the help center, read lazily so that tests and host projects can override them.

Every setting is prefixed with ``HELPCENTER_``; docs/helpcenter.md describes each one.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    """Looks up ``<prefix><NAME>`` in Django settings, falling back to the setting's former name
    (`aliases`) and then to the documented default."""

    def __init__(
        self, prefix: str, defaults: dict[str, Any], aliases: dict[str, str] | None = None
    ):
        self.prefix = prefix
        self.defaults = defaults
        self.aliases = aliases or {}

    def __getattr__(self, name: str) -> Any:
        if name not in self.defaults:
            raise AttributeError(name)
        default = self.defaults[name]
        if name in self.aliases:
            default = getattr(settings, self.aliases[name], default)
        return getattr(settings, self.prefix + name, default)


app_settings = AppSettings(
    "HELPCENTER_",
    {
        # Visitors whose User-Agent matches this regular expression are not counted.
        "BOT_USER_AGENT_PATTERN": (
            r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|"
            r"curl|wget|python-requests|httpclient|go-http-client|headless-probe"
        ),
        # Name of the signed cookie that identifies a visitor for "one vote per visitor".
        "VISITOR_COOKIE_NAME": "helpcenter_visitor",
        # How long a visitor cookie lives, in seconds (one year).
        "VISITOR_COOKIE_AGE": 365 * 24 * 3600,
        # Delivery attempts of an outgoing mail before it is marked failed (the admin can resend).
        # Falls back to HELPCENTER_CONTACT_NOTIFICATION_MAX_ATTEMPTS (the name before 0.3).
        "MAIL_MAX_ATTEMPTS": 6,
        # Seconds before the first retry of a mail; doubles on each further attempt. Falls back
        # to HELPCENTER_CONTACT_NOTIFICATION_RETRY_BACKOFF_SECONDS.
        "MAIL_RETRY_BACKOFF_SECONDS": 60,
        # django-tasks queue of the mail tasks. Give mail its own queue and worker so that a slow
        # mail server never holds up index updates (example_site/settings/production.py). Falls
        # back to HELPCENTER_CONTACT_MAIL_QUEUE.
        "MAIL_QUEUE": "default",
    },
    aliases={
        "MAIL_MAX_ATTEMPTS": "HELPCENTER_CONTACT_NOTIFICATION_MAX_ATTEMPTS",
        "MAIL_RETRY_BACKOFF_SECONDS": "HELPCENTER_CONTACT_NOTIFICATION_RETRY_BACKOFF_SECONDS",
        "MAIL_QUEUE": "HELPCENTER_CONTACT_MAIL_QUEUE",
    },
)
