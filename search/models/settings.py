from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="search")
class SearchSettings(BaseGenericSetting):
    """How the help search ranks, as editors tune it in Settings > Help search."""

    popularity_weight = models.FloatField(
        _("weight of popularity"),
        default=0.15,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "0 ranks by relevance only, 1 by popularity only. Between 0.1 and 0.3 lets "
            "popular answers rise among equally relevant ones."
        ),
    )

    panels = [FieldPanel("popularity_weight")]

    class Meta:
        verbose_name = _("help search")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "SearchSettings":
        """The settings, cached per request by Wagtail, or defaults before the first save."""
        return cls.load()
