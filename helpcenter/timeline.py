"""One customer timeline across the suite's channels.

The base knows no feature app: each app registers a `TimelineSource` in its `AppConfig.ready`
(the contact form its messages, replies and notes; the forum its threads and posts; the
knowledge base the comments left while signed in). `timeline(addresses)` asks every source for
what belongs to a person, found by their normalised e-mail addresses, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

LIMIT = 500
"""Items one source contributes at most (the newest)."""


@dataclass(frozen=True)
class TimelineItem:
    """One thing a person did or was sent. `internal` items (notes) are never shown to them."""

    when: datetime
    channel: str
    kind: str
    text: str
    url: str = ""
    title: str = ""
    internal: bool = False


@dataclass(frozen=True)
class TimelineSource:
    """What one app contributes: `channels` (code -> label, for the filter) and
    `items(addresses, limit)`, the items of the person with these normalised e-mail addresses.

    Override nothing here: register your own source to add a channel.
    """

    name: str
    channels: dict[str, str]
    items: Callable[[Sequence[str], int], Iterable[TimelineItem]]


_sources: dict[str, TimelineSource] = {}


def register(source: TimelineSource) -> None:
    """Add a source (call it from `AppConfig.ready`); registering a name again replaces it."""
    _sources[source.name] = source


def registered() -> list[TimelineSource]:
    return list(_sources.values())


def channels() -> dict[str, str]:
    """Every channel the registered sources contribute: code -> label."""
    found: dict[str, str] = {}
    for source in registered():
        found.update(source.channels)
    return found


def timeline(
    addresses: Sequence[str], *, channel: str = "", limit: int = LIMIT
) -> list[TimelineItem]:
    """The person's items from every source, newest first; only `channel`'s when given."""
    items = []
    for source in registered():
        if channel and channel not in source.channels:
            continue
        items.extend(source.items(addresses, limit))
    if channel:
        items = [item for item in items if item.channel == channel]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def accounts_with(addresses: Sequence[str]):
    """User accounts whose e-mail address is one of `addresses` (any case): how a source joins
    what signed-in people did to their contact record."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects
    if not addresses:
        return users.none()
    field = get_user_model().get_email_field_name()
    return users.filter(reduce(or_, (Q(**{f"{field}__iexact": a}) for a in addresses)))
