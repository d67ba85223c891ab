"""What customers send, who they are, what was suggested to them and what reached the team."""

import swapper
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import BusinessHoursBlock
from .validators import split_addresses, validate_recipient_list

swapper.set_app_prefix("wagtailcore", "wagtail")
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


class ContactPageMixin(RoutablePageMixin, models.Model):
    """A contact form an editor places in the help center.

    Override `get_context` to add to what the page shows, or a route to change the flow
    (contactform/views.py does the work): `""` the form, `deflect/` "This answers my question",
    `answer/` a suggested answer shown inline, `thanks/` the confirmation (translated: the
    German page has `danke/`; the untranslated `thanks/` redirects there).
    """

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown above the form, e.g. when the team answers."),
    )
    recipients = models.TextField(
        _("recipients"),
        validators=[validate_recipient_list],
        help_text=_("E-mail addresses of the service team, one per line or separated by commas."),
    )
    notify_customer_replies = models.BooleanField(
        _("tell the team when a customer replies"),
        default=True,
        help_text=_(
            "An e-mail when a customer's reply joins a conversation: to the agent it is "
            "assigned to, else to the recipients above."
        ),
    )
    topics = models.TextField(
        _("topics"),
        blank=True,
        help_text=_(
            "Optional: one topic per line. When set, customers may pick one; leave empty to ask "
            "nothing but the message, name and e-mail."
        ),
    )
    privacy_page = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_url = models.URLField(
        _("privacy policy address"),
        blank=True,
        help_text=_("Used when the privacy policy is not a page of this site."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after sending. Leave empty for a standard confirmation."),
    )
    auto_reply_enabled = models.BooleanField(
        _("send an automatic reply"),
        default=False,
        help_text=_("An e-mail to the customer that says plainly it is automatic."),
    )
    auto_reply_text = models.TextField(
        _("automatic reply text"),
        blank=True,
        help_text=_(
            "Plain text. Leave empty for a standard text. The message itself is never repeated."
        ),
    )
    auto_reply_confidence = models.FloatField(
        _("answers in the automatic reply from confidence"),
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "Suggested answers are included only when the search is at least this sure (0 to 1). "
            "At 0.8 about 95 % of included answers are right, at 0.6 about two in three."
        ),
    )
    business_hours = StreamField(
        [("hours", BusinessHoursBlock())],
        verbose_name=_("business hours"),
        blank=True,
        help_text=_("When the service team is at work, in the site's time zone."),
    )
    auto_reply_outside_business_hours_only = models.BooleanField(
        _("only outside business hours"),
        default=False,
        help_text=_("Send the automatic reply only when the team is not at work (hours below)."),
    )

    contact_panels = [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("recipients"),
                FieldPanel("notify_customer_replies"),
                FieldPanel("topics"),
                FieldPanel("thank_you_text"),
            ],
            heading=_("Form"),
        ),
        MultiFieldPanel(
            [PageChooserPanel("privacy_page"), FieldPanel("privacy_url")],
            heading=_("Privacy notice"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("auto_reply_enabled"),
                FieldPanel("auto_reply_text"),
                FieldPanel("auto_reply_confidence"),
                FieldPanel("auto_reply_outside_business_hours_only"),
            ],
            heading=_("Automatic reply"),
        ),
        FieldPanel("business_hours"),
    ]

    class Meta:
        abstract = True

    @property
    def recipient_list(self) -> list[str]:
        return split_addresses(self.recipients)

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    @property
    def privacy_link(self) -> str:
        if self.privacy_page_id and self.privacy_page.live:
            return self.privacy_page.url
        return self.privacy_url

    def is_business_time(self, moment=None) -> bool:
        """True when `moment` (default: now, in the site's time zone) falls in business hours."""
        moment = timezone.localtime(moment)
        return any(BusinessHoursBlock.covers(block.value, moment) for block in self.business_hours)

    def get_context(self, request, *args, **kwargs):
        from .views import page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(self, request))
        return context

    @path("", name="form")
    def form_view(self, request):
        from . import views

        return views.contact_form(self, request)

    @path("deflect/", name="deflect")
    def deflect_view(self, request):
        from . import views

        return views.deflect(self, request)

    @path("answer/", name="answer")
    def answer_view(self, request):
        from . import views

        return views.answer(self, request)

    @path(pgettext_lazy("URL path of the contact form's confirmation", "thanks/"), name="thanks")
    def thanks_view(self, request):
        from . import views

        return views.thanks(self, request)

    @path("thanks/", name="thanks_untranslated")
    def untranslated_thanks_view(self, request):
        """The English path in another language (links from before the path was translated)."""
        from . import views

        return views.redirect_to_thanks(self, request)


class ContactPage(ContactPageMixin, Page):  # noqa: DJ008 (Page has __str__)
    template = "contactform/contact_page.html"
    parent_page_types = ["helpcenter.HelpCenterPage"]
    subpage_types = []

    content_panels = Page.content_panels + ContactPageMixin.contact_panels

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")


def normalise_email(address: str) -> str:
    """The key a contact is found by: surrounding space removed, case folded."""
    return address.strip().casefold()


class Contact(models.Model):
    """One customer, keyed by normalised e-mail: all their submissions (later forum posts too)."""

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("first contact"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last contact"), auto_now=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="merged",
        help_text=_("Another record of the same person: their messages are shown there."),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-updated_at"]

    def __str__(self):
        # A reference, never the name or address: Wagtail stores str() as history labels.
        return _("Contact %(number)s") % {"number": self.pk}

    @property
    def addresses(self) -> list[str]:
        """This contact's address and those of the records merged into it."""
        return [self.email, *self.merged.values_list("email", flat=True)]

    @classmethod
    def for_email(cls, address: str, name: str = "") -> "Contact":
        contact, created = cls.objects.get_or_create(
            email=normalise_email(address), defaults={"name": name}
        )
        if contact.merged_into_id:  # an address of a person whose records an agent merged
            return contact.merged_into
        if not created and name and contact.name != name:
            contact.name = name
            contact.save(update_fields=["name", "updated_at"])
        return contact


class Submission(models.Model):
    """A conversation with a customer: the message that opened it (sent through a contact page or
    by e-mail) and, in `entries`, what followed. Stored before anything else happens; spam is
    kept."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    class Channel(models.TextChoices):
        FORM = "form", _("Contact form")
        EMAIL = "email", _("E-mail")

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="submissions"
    )
    page = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_title = models.CharField(_("page title"), max_length=255, blank=True)
    locale = models.CharField(_("language"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.FORM
    )
    message_id = models.CharField(
        _("message ID"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("The Message-ID of the e-mail that opened the conversation, if any."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    spam_reason = models.CharField(_("spam reason"), max_length=100, blank=True)
    suggested_answers = models.JSONField(
        _("suggested answers"),
        default=list,
        blank=True,
        help_text=_("The answers shown to the customer: page id, title, URL and confidence."),
    )
    opened_answers = models.JSONField(
        _("opened answers"),
        default=list,
        blank=True,
        help_text=_("Page ids of the suggested answers the customer opened before sending."),
    )
    confidence = models.FloatField(_("best suggestion confidence"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_response_time = models.DurationField(_("first response time"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_time = models.DurationField(_("resolution time"), null=True, blank=True)
    ip_hash = models.CharField(_("address (hashed)"), max_length=40, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The mails about this conversation in the outbox (deleted with it).
    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="submission")

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self):
        # A reference, never the sender or text: Wagtail stores str() as history labels.
        return _("Contact message %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        # PostgreSQL refuses NUL in text; whatever path a message takes, none is stored.
        for name in ("name", "email", "topic", "message", "page_title", "user_agent"):
            setattr(self, name, getattr(self, name).replace("\x00", ""))
        super().save(*args, **kwargs)

    @property
    def any_answer_opened(self) -> bool:
        return bool(self.opened_answers)

    @property
    def reference(self) -> str:
        """The conversation's reference number as customers see it, e.g. "#HC-1042"."""
        return format_reference(self.pk)


def format_reference(number: int) -> str:
    from .conf import app_settings

    return f"#{app_settings.REFERENCE_PREFIX}-{number}"


class ConversationEntry(models.Model):
    """What followed the opening message of a conversation: a customer's further message (an
    e-mail reply), an agent's reply, or an internal note the customer never sees."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer message")
        AGENT = "agent", _("Reply")
        NOTE = "note", _("Internal note")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=Submission.Channel.choices,
        default=Submission.Channel.EMAIL,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("text"))
    # Who sent a customer's e-mail: a reply found through its References may come from another
    # address than the conversation's (a colleague, a second mailbox).
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_email = models.EmailField(_("sender's e-mail"), max_length=254, blank=True)
    message_id = models.CharField(
        _("message ID"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("The e-mail's Message-ID: how replies find their conversation."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # The reply's mail in the outbox (deleted with it).
    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="conversation_entry")

    class Meta:
        verbose_name = _("conversation entry")
        verbose_name_plural = _("conversation entries")
        ordering = ["created_at", "pk"]

    def __str__(self):
        # A reference, never the text: Wagtail stores str() as history labels.
        return _("%(kind)s in conversation %(number)s") % {
            "kind": self.get_kind_display(),
            "number": self.submission_id,
        }

    def save(self, *args, **kwargs):
        self.body = self.body.replace("\x00", "")
        super().save(*args, **kwargs)

    @property
    def other_sender(self) -> str:
        """"Name <address>" of a customer's e-mail sent from another address than the
        conversation's; empty when the conversation's customer wrote it (or it is unknown)."""
        address = self.sender_email
        if not address or address.casefold() == self.submission.email.casefold():
            return ""
        return f"{self.sender_name} <{address}>" if self.sender_name else address

    @property
    def customer_name(self) -> str:
        """Who wrote a customer's entry, for the agent: the conversation's customer, or the
        name (else the address) of whoever wrote from another address."""
        if self.other_sender:
            return self.sender_name or self.sender_email
        return self.submission.name


class AnsweredBy(models.Model):
    """Which answer did it: an article (kept as a title when the page is deleted), the
    language and when; what `UsedAnswer` and `Deflection` record."""

    article = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("article"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article_title = models.CharField(_("article title"), max_length=255)
    locale = models.CharField(_("language"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.article_title


class UsedAnswer(AnsweredBy):
    """A suggested answer an agent inserted into a reply: which articles help the team answer."""

    entry = models.ForeignKey(
        ConversationEntry,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        related_name="used_answers",
    )

    class Meta(AnsweredBy.Meta):
        verbose_name = _("answer used in a reply")
        verbose_name_plural = _("answers used in replies")
        constraints = [
            models.UniqueConstraint(fields=["entry", "article"], name="one_use_per_reply")
        ]


class SavedReply(models.Model):
    """A text agents insert into replies, per language, with placeholders filled in per
    conversation (contactform.replies.PLACEHOLDERS)."""

    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Plain text. Placeholders: {first_name} the customer's first name, {name} their "
            "name, {reference} the reference number, {agent} your name."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["locale", "title"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "title"], name="one_saved_reply_per_title")
        ]

    def __str__(self):
        return self.title


class Deflection(AnsweredBy):
    """A customer said a suggested answer solved their problem instead of sending the form.

    The answer is an article (`article`, `source` blank) or the document of another search
    source (`source` names it, e.g. "community" for a forum thread; `article` is empty and
    `article_title` holds its title): it counts in the deflection rate, not among the articles.
    """

    page = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("contact page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("answered by"),
        max_length=40,
        blank=True,
        help_text=_("The search source of the answer when it is not an article (a forum thread)."),
    )

    class Meta(AnsweredBy.Meta):
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")


def attachment_storage():
    """Where attachments of incoming e-mails are kept: the storage alias
    "contactform_attachments" when `STORAGES` has one (best: private, not served at MEDIA_URL),
    else the default storage. Files get random names, never the sender's."""
    from django.core.files.storage import default_storage, storages

    if "contactform_attachments" in settings.STORAGES:
        return storages["contactform_attachments"]
    return default_storage


# Attachments are stored as <folder>/<year>/<month>/<random name> (the purge walks them).
ATTACHMENT_FOLDER = "contactform/attachments"


def attachment_path(instance, filename: str) -> str:
    import secrets

    return f"{ATTACHMENT_FOLDER}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}"


class Attachment(models.Model):
    """A file that came with an e-mail, downloadable by agents only (never shown inline)."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    entry = models.ForeignKey(
        ConversationEntry,
        verbose_name=_("conversation entry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=attachment_storage, max_length=255
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Attachment %(number)s") % {"number": self.pk}


class MailFailure(models.Model):
    """An incoming e-mail that could not be stored: how often `fetch_mail` tried. Known by the
    hash of its bytes only (of its place in the mailbox when the server would not hand it
    over), so it holds nothing personal; the row goes once the mail is stored (normally, or as
    it came after `HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS` attempts)."""

    digest = models.CharField(_("SHA-256 of the e-mail"), max_length=64, unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(
        _("last error"),
        max_length=100,
        blank=True,
        help_text=_("The kind of error only (its text may quote the e-mail)."),
    )
    first_failed_at = models.DateTimeField(_("first failed"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail that could not be stored")
        verbose_name_plural = _("e-mails that could not be stored")

    def __str__(self):
        return _("E-mail %(digest)s") % {"digest": self.digest[:12]}
