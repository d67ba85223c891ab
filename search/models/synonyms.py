"""Synonym groups that editors keep per language (syntax: see ``search.synonyms``)."""

import logging

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from search.synonyms import MAX_LINE_LENGTH, SynonymGroup, parse_line

logger = logging.getLogger(__name__)


class SynonymQuerySet(models.QuerySet):
    def active(self) -> "SynonymQuerySet":
        return self.filter(active=True)

    def groups_for(self, language_code: str) -> list[SynonymGroup]:
        """The parsed groups of the active synonyms of one language, oldest first.

        A line that no longer parses (saved around validation, e.g. by a fixture) is logged
        and skipped: a bad synonym must not break the search.
        """
        groups = []
        for pk, line in (
            self.active()
            .filter(locale__language_code=language_code)
            .order_by("pk")
            .values_list("pk", "line")
        ):
            try:
                groups.append(parse_line(line))
            except ValueError as error:
                logger.warning("Skipping synonym %s (%r): %s", pk, line, error)
        return groups


class Synonym(models.Model):
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("language"),
    )
    line = models.CharField(
        _("synonyms"),
        max_length=MAX_LINE_LENGTH,
        help_text=_(
            'Words that mean the same, separated by commas: "nose pad, nosepad, nose piece". '
            'Use "->" for one direction only: "rubber -> nose pad" also searches "nose pad" '
            'for "rubber", but not the other way round.'
        ),
    )
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Why this synonym exists.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive synonyms are kept but not used.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SynonymQuerySet.as_manager()

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return self.line

    def clean(self):
        super().clean()
        self.line = " ".join(self.line.split())
        try:
            self.as_group()
        except ValueError as error:
            message = gettext("These synonyms cannot be used: %(reason)s") % {"reason": error}
            raise ValidationError({"line": message}) from error
        if self.is_duplicate():
            raise ValidationError({"line": gettext("This language already has these synonyms.")})

    def is_duplicate(self) -> bool:
        """Whether the same line exists for the same language (no database constraint: a
        unique index on a 1000-character column is not portable)."""
        if self.locale_id is None:
            return False
        others = Synonym.objects.filter(locale_id=self.locale_id, line=self.line)
        return others.exclude(pk=self.pk).exists() if self.pk else others.exists()

    def as_group(self) -> SynonymGroup:
        """The parsed line; raises ValueError if it does not parse."""
        return parse_line(self.line)
