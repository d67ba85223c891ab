"""The forum's part of the customer timeline (helpcenter.timeline): the threads a member
started and the posts they wrote, joined to the contact by their account's e-mail address."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter.timeline import TimelineItem, TimelineSource, accounts_with

from .links import thread_url
from .models import Post, PostState

CHANNEL = "forum"
EXCERPT_LENGTH = 200


def timeline_items(addresses: Sequence[str], limit: int) -> list[TimelineItem]:
    posts = (
        Post.objects.filter(author__in=accounts_with(addresses))
        .select_related("thread", "thread__board")
        .order_by("-created_at")[:limit]
    )
    items = []
    for post in posts:
        kind = _("Forum question") if post.is_question else _("Forum post")
        if post.state != PostState.APPROVED:
            kind = f"{kind} ({post.get_state_display()})"
        base = thread_url(post.thread)
        items.append(
            TimelineItem(
                when=post.created_at,
                channel=CHANNEL,
                kind=kind,
                title=post.thread.title,
                text=" ".join(post.source.split())[:EXCERPT_LENGTH],
                url=f"{base}#post-{post.pk}" if base else "",
            )
        )
    return items


SOURCE = TimelineSource(
    name="community", channels={CHANNEL: gettext_lazy("Forum")}, items=timeline_items
)
