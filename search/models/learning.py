"""Learned phrasings: how customers asked for an article, learned from the search log.

A logged query (normalised, personal data masked) that ended in a click on an article, a
"helpful" vote or a deflection on the contact form is evidence for the pair (query, article);
`search.learning` records one `PhrasingVisitor` per distinct visitor. Once
HELPCENTER_SEARCH_LEARN_MIN_VISITORS visitors did the same within HELPCENTER_SEARCH_LEARN_DAYS,
the phrasing is listed for editors (Help search → Learned phrasings), who approve or reject it.
Approved phrasings are searched like the article's example questions; nothing is offered to
customers before an editor approved it. Phrasings without new evidence fade: after
HELPCENTER_SEARCH_LEARN_DAYS they are no longer searched and the log purge deletes them.
"""

import swapper
from django.db import models
from django.utils.translation import gettext_lazy as _

from .analytics import Query

PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


class PhrasingStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Waiting for review")
    APPROVED = "approved", _("Approved: searched like an example question")
    REJECTED = "rejected", _("Rejected: never used")


class LearnedPhrasing(models.Model):
    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="phrasings", verbose_name=_("search term")
    )
    page = models.ForeignKey(
        PAGE_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PhrasingStatus.choices,
        default=PhrasingStatus.SUGGESTED,
    )
    visitors = models.PositiveIntegerField(
        _("visitors"), default=0,
        help_text=_("Distinct visitors who searched this and then found the article useful."),
    )
    last_seen_at = models.DateTimeField(_("last seen"))
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("learned phrasing")
        verbose_name_plural = _("learned phrasings")
        ordering = ["-visitors", "-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["query", "page"], name="search_phrasing_unique")
        ]
        indexes = [models.Index(fields=["page", "status"], name="search_phrasing_page")]

    def __str__(self):
        return self.query.text


class PhrasingVisitor(models.Model):
    """One visitor's evidence for a phrasing (a keyed hash, as in `QueryVisitor`)."""

    class Kind(models.TextChoices):
        CLICK = "click", _("Clicked the article in the results")
        HELPFUL = "helpful", _("Found the article helpful")
        DEFLECTION = "deflection", _("Did not send the contact form")

    phrasing = models.ForeignKey(
        LearnedPhrasing, on_delete=models.CASCADE, related_name="evidence",
        verbose_name=_("learned phrasing"),
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    seen_at = models.DateTimeField(_("seen"))

    class Meta:
        verbose_name = _("learned phrasing visitor")
        verbose_name_plural = _("learned phrasing visitors")
        constraints = [
            models.UniqueConstraint(fields=["phrasing", "visitor"], name="search_phrasing_visitor")
        ]

    def __str__(self):
        return f"{self.phrasing_id} {self.kind}"
