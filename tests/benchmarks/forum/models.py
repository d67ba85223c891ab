from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class ForumPost(index.Indexed, models.Model):
    """A forum thread's opening post with its replies folded into `body`."""

    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8, default="en")
    views = models.PositiveIntegerField(_("views"), default=0)

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.FilterField("language"),
    ]

    class Meta:
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")

    def __str__(self):
        return self.title

    @classmethod
    def popularity(cls, ids: list[int]) -> dict[int, float]:
        return dict(cls.objects.filter(pk__in=ids).values_list("pk", "views"))

    @classmethod
    def in_language(cls, language: str):
        return cls.objects.filter(language=language)
