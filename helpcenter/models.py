import swapper
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page

from .slugs import ReadableSlugMixin

swapper.set_app_prefix("wagtailcore", "wagtail")
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


def _app_installed(model_name: str) -> bool:
    try:
        apps.get_app_config(model_name.split(".")[0])
    except LookupError:
        return False
    return True


class HelpCenterPageMixin(ReadableSlugMixin, models.Model):
    """The home of a help center: search, categories, top questions and ways to get in touch.

    Override `get_context` to add to what the help home shows.
    """

    headline = models.CharField(
        _("headline"), max_length=120, blank=True, help_text=_("Shown above the search box.")
    )
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    contact_page = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where customers write to you when the help center has no answer."),
    )
    community_page = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("community page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where customers ask each other."),
    )

    help_center_panels = [
        FieldPanel("headline"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [PageChooserPanel("contact_page"), PageChooserPanel("community_page")],
            heading=_("Other ways to get help"),
        ),
    ]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from faq import listings
        from faq.conf import app_settings as faq_settings

        context = super().get_context(request, *args, **kwargs)
        context.update(
            help_center=self,
            categories=listings.top_categories(self),
            top_articles=listings.top_articles(self, faq_settings.HOME_TOP_QUESTIONS),
            recent_articles=listings.recent_articles(self, faq_settings.HOME_RECENT_ARTICLES),
        )
        return context

    def live_link(self, page):
        return page if page is not None and page.live else None

    @property
    def contact_link(self):
        return self.live_link(self.contact_page)

    @property
    def community_link(self):
        return self.live_link(self.community_page)


class HelpCenterPage(HelpCenterPageMixin, Page):  # noqa: DJ008 (Page has __str__)
    template = "helpcenter/help_center_page.html"
    subpage_types = ["faq.CategoryPage", "contactform.ContactPage", "community.ForumPage"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + HelpCenterPageMixin.help_center_panels

    class Meta:
        verbose_name = _("help center")
        verbose_name_plural = _("help centers")

    @classmethod
    def clean_subpage_models(cls):
        """Wagtail's list, leaving out the suite's optional apps a site has not installed."""
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [
                resolve_model_string(name) for name in cls.subpage_types if _app_installed(name)
            ]
        return cls._clean_subpage_models


class OutgoingMail(models.Model):
    """One e-mail of the suite, stored before it is sent (the durable outbox, helpcenter.outbox).

    It keeps what the mail is about and to whom it goes; the message itself is built when it is
    sent, by the builder its app registered for its `kind`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    recipients = models.TextField(_("recipients"))
    key = models.CharField(
        _("key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Makes a mail unique: the same key is never stored twice."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        # A reference, never the recipients: Wagtail stores str() as history labels.
        from .outbox import kind_label

        return _("%(kind)s %(number)s") % {"kind": kind_label(self.kind), "number": self.pk}
