from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexOperation(models.Model):
    """A pending "bring this object's index entry up to date", written in the same transaction
    as the change that caused it, so it is never lost; `search.indexing` applies it."""

    model_label = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object ID"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.model_label}.{self.object_id}"
