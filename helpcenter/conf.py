"""Settings of the help center, read lazily so that tests and host projects can override them.

Every setting is prefixed with ``HELPCENTER_``; docs/helpcenter.md describes each one.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    """Looks up ``<prefix><NAME>`` in Django settings, falling back to the documented default."""

    def __init__(self, prefix: str, defaults: dict[str, Any],
                 former_names: dict[str, str] | None = None):
        self.prefix = prefix
        self.defaults = defaults
        # A setting that was renamed is still read under its former name (when the new is unset).
        self.former_names = former_names or {}

    def __getattr__(self, name: str) -> Any:
        if name not in self.defaults:
            raise AttributeError(name)
        default = self.defaults[name]
        if name in self.former_names:
            default = getattr(settings, self.former_names[name], default)
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
        # Public forms sent faster than this many seconds after they were shown count as bots.
        "SPAM_MIN_FILL_SECONDS": 3,
        # A shown form may be sent for this long (seconds) before it must be reloaded.
        "SPAM_FORM_MAX_AGE_SECONDS": 24 * 3600,
    },
    former_names={
        "SPAM_MIN_FILL_SECONDS": "HELPCENTER_CONTACT_MIN_FILL_SECONDS",
        "SPAM_FORM_MAX_AGE_SECONDS": "HELPCENTER_CONTACT_FORM_MAX_AGE_SECONDS",
    },
)
