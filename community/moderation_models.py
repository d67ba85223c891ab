"""The moderation's own models: members' flags on posts and the editor-managed watched words.

Imported by community.models, so Django sees them as models of the community app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Flag(models.Model):
    """A member tells the moderators that a post breaks the rules (member None: the system)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off-topic", _("Off-topic")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        UPHELD = "upheld", _("Upheld")
        IGNORED = "ignored", _("Ignored")

    post = models.ForeignKey(
        "community.Post", verbose_name=_("post"), on_delete=models.CASCADE, related_name="flags"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("flagged by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.CharField(_("explanation"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "reason"], name="community_one_flag_per_reason"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} → {self.post_id}"


class WatchedWord(models.Model):
    """A word or phrase editors watch for in new posts, and what happens to a post with it."""

    class Action(models.TextChoices):
        REQUIRE_APPROVAL = "require-approval", _("Require approval")
        BLOCK = "block", _("Block")
        FLAG = "flag", _("Flag for review")

    phrase = models.CharField(
        _("word or phrase"), max_length=100, unique=True,
        help_text=_("Matched as whole words, whatever the case, e.g. “cheap pills”."),
    )
    action = models.CharField(
        _("action"), max_length=20, choices=Action.choices, default=Action.REQUIRE_APPROVAL
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    panels = [FieldPanel("phrase"), FieldPanel("action")]

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase
