"""What members follow: a thread, or a whole board (new threads only, or everything).

Imported by `community.models`, so Django finds the model there; the rules are in
`community.subscriptions`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """A member follows one thread or one board.

    A thread subscription turned off stays (`active=False`), so that posting in the thread again
    does not follow it anew. For a board, `level` says whether new threads or every post mails.
    """

    class Level(models.TextChoices):
        NEW_THREADS = "new_threads", _("New threads")
        EVERYTHING = "everything", _("Every post")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
        related_name="forum_subscriptions",
    )
    thread = models.ForeignKey(
        "community.Thread", verbose_name=_("thread"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="subscriptions",
    )
    board = models.ForeignKey(
        "community.Board", verbose_name=_("board"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="subscriptions",
    )
    level = models.CharField(
        _("mails about"), max_length=12, choices=Level.choices, default=Level.EVERYTHING
    )
    active = models.BooleanField(_("active"), default=True)
    automatic = models.BooleanField(
        _("automatic"), default=False, help_text=_("Followed by asking or replying.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True, board__isnull=False)
                | Q(thread__isnull=False, board__isnull=True),
                name="community_subscription_thread_or_board",
            ),
            models.UniqueConstraint(
                fields=["member", "thread"], condition=Q(thread__isnull=False),
                name="community_one_subscription_per_thread",
            ),
            models.UniqueConstraint(
                fields=["member", "board"], condition=Q(board__isnull=False),
                name="community_one_subscription_per_board",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} → {'thread' if self.thread_id else 'board'} " \
               f"{self.thread_id or self.board_id}"
