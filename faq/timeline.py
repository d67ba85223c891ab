"""The knowledge base's part of the customer timeline (helpcenter.timeline): comments on "Was
this helpful?" left while signed in."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter.timeline import TimelineItem, TimelineSource, accounts_with

from .models import ArticleFeedback

CHANNEL = "feedback"


def timeline_items(addresses: Sequence[str], limit: int) -> list[TimelineItem]:
    feedback = (
        ArticleFeedback.objects.filter(author__in=accounts_with(addresses))
        .exclude(comment="")
        .select_related("page")
        .order_by("-created_at")[:limit]
    )
    return [
        TimelineItem(
            when=item.created_at,
            channel=CHANNEL,
            kind=_("Comment: the article did not help")
            if not item.helpful
            else _("Comment on an article"),
            title=item.page.title,
            text=item.comment,
            url=item.page.url or "",
        )
        for item in feedback
    ]


SOURCE = TimelineSource(
    name="faq", channels={CHANNEL: gettext_lazy("Article feedback")}, items=timeline_items
)
