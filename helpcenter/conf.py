"""Settings of the help center, read lazily so that tests and host projects can override them.

Every setting is prefixed with ``HELPCENTER_``; docs/helpcenter.md describes each one.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    """Looks up ``<prefix><NAME>`` in Django settings, falling back to the documented default."""

    def __init__(self, prefix: str, defaults: dict[str, Any]):
        self.prefix = prefix
        self.defaults = defaults

    def __getattr__(self, name: str) -> Any:
        if name not in self.defaults:
            raise AttributeError(name)
        return getattr(settings, self.prefix + name, self.defaults[name])


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
    },
)
