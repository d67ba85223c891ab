import swapper
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from helpcenter import ratelimit, visitors
from helpcenter.slugs import ReadableSlugMixin

from . import listings
from .blocks import ArticleBodyBlock, RelatedArticlesBlock
from .conf import app_settings
from .panels import ExampleQuestionCandidates

swapper.set_app_prefix("wagtailcore", "wagtail")
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")
VIEWED_SESSION_KEY = "helpcenter_viewed"
MAX_REMEMBERED_VIEWS = 500
COMMENT_CLOSED_SESSION_KEY = "helpcenter_feedback_closed"
"""Articles whose optional comment after "No" this session sent or skipped."""


class CategoryIcon(models.TextChoices):
    PACKAGE = "package", _("Parcel")
    TRUCK = "truck", _("Delivery truck")
    RETURN = "return", _("Return arrow")
    CARD = "card", _("Payment card")
    GLASSES = "glasses", _("Glasses")
    LENS = "lens", _("Lens")
    USER = "user", _("Person")
    GIFT = "gift", _("Gift")
    SHIELD = "shield", _("Shield")
    QUESTION = "question", _("Question mark")


class CategoryPageMixin(ReadableSlugMixin, models.Model):
    """A knowledge-base category. Override `get_context` to add to what its page shows."""

    description = models.TextField(_("description"), max_length=500, blank=True)
    icon = models.CharField(
        _("icon"), max_length=20, choices=CategoryIcon.choices, default=CategoryIcon.QUESTION
    )

    category_panels = [FieldPanel("description"), FieldPanel("icon")]
    api_fields = [APIField("description"), APIField("icon")]
    category_search_fields = [index.SearchField("description")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = listings.category_articles(self)
        page_number = request.GET.get("page") or 1
        paginator = Paginator(articles, app_settings.CATEGORY_PAGE_SIZE)
        context.update(
            subcategories=listings.subcategories(self),
            articles_page=paginator.get_page(page_number),
            breadcrumbs=listings.breadcrumbs(self),
            help_center=listings.help_center_of(self),
        )
        return context


class CategoryPage(CategoryPageMixin, Page):  # noqa: DJ008 (Page has __str__)
    template = "faq/category_page.html"
    parent_page_types = ["helpcenter.HelpCenterPage", "faq.CategoryPage"]
    subpage_types = ["faq.CategoryPage", "faq.ArticlePage"]

    content_panels = Page.content_panels + CategoryPageMixin.category_panels
    search_fields = Page.search_fields + CategoryPageMixin.category_search_fields

    class Meta:
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")


class ArticlePageMixin(ReadableSlugMixin, RoutablePageMixin, models.Model):
    """A help article: a customer question with a short and a full answer.

    Override `get_context` to add to the page, or `record_feedback` to change how votes are kept.
    """

    short_answer = models.TextField(
        _("short answer"),
        max_length=400,
        help_text=_("One or two plain sentences that answer the question on their own."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("full answer"), blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated words customers use for this topic."),
    )
    example_questions = models.TextField(
        _("other ways customers ask this"),
        blank=True,
        help_text=_(
            "One question per line, in the article's language, worded the way customers write "
            "it. The help search finds the article by these words and by their meaning."
        ),
    )
    related_articles = StreamField(
        RelatedArticlesBlock(),
        verbose_name=_("related articles"),
        blank=True,
        max_num=10,
        help_text=_("Shown first; similar articles from the same category fill up the list."),
    )
    pinned = models.BooleanField(
        _("pin to top"),
        default=False,
        help_text=_("Pinned articles are listed before the most popular ones."),
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Identifier in the system this article was imported from."),
    )

    article_panels = [
        FieldPanel("short_answer"),
        FieldPanel("body"),
        FieldPanel("keywords"),
        FieldPanel("example_questions"),
        ExampleQuestionCandidates(),
        FieldPanel("related_articles"),
    ]
    api_fields = [
        APIField("short_answer"),
        APIField("body"),
        APIField("keywords"),
        APIField("last_published_at"),
    ]
    article_promote_panels = [
        MultiFieldPanel([FieldPanel("pinned"), FieldPanel("external_id")], heading=_("Help center"))
    ]
    article_search_fields = [
        index.SearchField("short_answer"),
        index.SearchField("body"),
        index.SearchField("keywords"),
        index.SearchField("example_questions"),
        index.AutocompleteField("title"),
        index.FilterField("pinned"),
    ]

    class Meta:
        abstract = True

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        token = visitors.visitor_token(request)
        feedback = listings.feedback_of(self, visitors.pseudonym(token)) if token else None
        context.update(
            breadcrumbs=listings.breadcrumbs(self),
            help_center=listings.help_center_of(self),
            related=listings.related_articles(self, app_settings.RELATED_ARTICLES),
            **self.feedback_context(request, feedback),
        )
        return context

    def feedback_context(self, request, feedback) -> dict:
        """What the "Was this article helpful?" box shows: the visitor's answer, whether the
        comment after "No" is still asked for, and how many found the article helpful."""
        stats = ArticleStats.objects.filter(page_id=self.pk).first()
        yes, no = (stats.helpful_yes, stats.helpful_no) if stats else (0, 0)
        closed = self.pk in request.session.get(COMMENT_CLOSED_SESSION_KEY, [])
        return {
            "feedback": feedback,
            "ask_for_comment": bool(feedback and not feedback.helpful and not feedback.comment
                                    and not closed),
            "helpful_votes": {"yes": yes, "total": yes + no},
        }

    @path("")
    def article(self, request, *args, **kwargs):
        if request.method == "GET":
            self.count_view(request)
        return self.render(request)

    def count_view(self, request) -> None:
        """Count the first view of this article in a customer's session (bots, editors and
        previews are not customers)."""
        from .popularity import record_view

        if not visitors.counts_as_customer(request):
            return
        viewed = request.session.get(VIEWED_SESSION_KEY, [])
        if self.pk in viewed or not self.within_daily_limit(
            request, "faq-view", app_settings.VIEWS_PER_ADDRESS_PER_DAY
        ):
            return
        record_view(self.pk)
        request.session[VIEWED_SESSION_KEY] = (viewed + [self.pk])[-MAX_REMEMBERED_VIEWS:]

    @path("feedback/", name="feedback")
    def feedback(self, request):
        from .forms import FeedbackForm
        from .popularity import change_vote, record_vote

        if request.method != "POST":
            return redirect(self.url)
        if not visitors.counts_as_customer(request):
            messages.info(request, _("Feedback from editors and automated clients is not counted."))
            return self._feedback_response(request)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return self._feedback_response(request)
        if not form.within_rate_limit(request):
            return TemplateResponse(
                request, "helpcenter/too_many_requests.html", {"page": self}, status=429
            )
        token = visitors.ensure_visitor_token(request)
        visitor = visitors.pseudonym(token)
        first_vote = not ArticleFeedback.objects.filter(page_id=self.pk, visitor=visitor).exists()
        if first_vote and not self.within_daily_limit(
            request, "faq-vote", app_settings.FEEDBACK_VOTES_PER_ADDRESS_PER_DAY
        ):
            return TemplateResponse(
                request, "helpcenter/too_many_requests.html", {"page": self}, status=429
            )
        author = request.user if request.user.is_authenticated else None
        feedback, created, changed = self.record_feedback(visitor, form.cleaned_data, author)
        if created:
            record_vote(self.pk, feedback.helpful)
            if feedback.helpful and apps.is_installed("search"):
                from search.learning import record_after_search

                record_after_search(request, self.pk, self.locale.language_code, "helpful")
        elif changed:
            change_vote(self.pk, feedback.helpful)
        if "comment" in request.POST:  # sent, even empty: the comment step is over
            closed = request.session.get(COMMENT_CLOSED_SESSION_KEY, [])
            if self.pk not in closed:
                request.session[COMMENT_CLOSED_SESSION_KEY] = (closed + [self.pk])[
                    -MAX_REMEMBERED_VIEWS:
                ]
        return visitors.remember_visitor(request, self._feedback_response(request, feedback))

    def within_daily_limit(self, request, scope: str, limit: int) -> bool:
        """Count one more view or vote of this article from the request's address today; False
        beyond `limit` (the address is kept only as a keyed hash, in the cache)."""
        identity = f"{self.pk}:{visitors.client_address(request)}"
        return ratelimit.allow(scope, identity, limit, 24 * 3600)

    def record_feedback(self, visitor: str, data: dict, author=None):
        """Store one visitor's vote, or change it (one vote per visitor), and an optional
        comment on "No" (with its `author` when signed in). Returns the feedback, whether it
        was created and whether its vote changed (the caller moves the counts)."""
        feedback, created = ArticleFeedback.objects.get_or_create(
            page_id=self.pk, visitor=visitor, defaults={"helpful": data["helpful"]}
        )
        # Conditional, so that two requests changing the same vote move the counts once.
        changed = not created and bool(
            ArticleFeedback.objects.filter(pk=feedback.pk, helpful=not data["helpful"]).update(
                helpful=data["helpful"]
            )
        )
        if changed:
            feedback.helpful = data["helpful"]
        if data.get("comment") and not feedback.helpful and not feedback.comment:
            feedback.comment = data["comment"]
            feedback.author = author
            feedback.save(update_fields=["comment", "author"])
        return feedback, created, changed

    def _feedback_response(self, request, feedback=None):
        if request.headers.get("X-Requested-With") == "fetch":
            return TemplateResponse(
                request,
                "faq/includes/feedback.html",
                {"page": self, **self.feedback_context(request, feedback)},
            )
        return redirect(self.url + "#feedback")


class ArticlePage(ArticlePageMixin, Page):  # noqa: DJ008 (Page has __str__)
    template = "faq/article_page.html"
    parent_page_types = ["faq.CategoryPage"]
    subpage_types = []

    content_panels = Page.content_panels + ArticlePageMixin.article_panels
    promote_panels = Page.promote_panels + ArticlePageMixin.article_promote_panels
    search_fields = Page.search_fields + ArticlePageMixin.article_search_fields

    class Meta:
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")


class ArticleStats(models.Model):
    """Counters of an article, kept apart from the page so that publishing never resets them."""

    page = models.OneToOneField(
        PAGE_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="helpcenter_stats",
        verbose_name=_("article"),
    )
    views = models.PositiveIntegerField(_("views"), default=0)
    hot_views = models.FloatField(
        _("hot views"), default=0.0, help_text=_("Time-weighted views, see faq.popularity.")
    )
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)

    class Meta:
        verbose_name = _("article statistics")
        verbose_name_plural = _("article statistics")

    def __str__(self):
        return f"{self.page_id}: {self.views}"


class ArticleDailyViews(models.Model):
    page = models.ForeignKey(
        PAGE_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    date = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily article views")
        verbose_name_plural = _("daily article views")
        constraints = [
            models.UniqueConstraint(fields=["page", "date"], name="faq_daily_views_unique")
        ]

    def __str__(self):
        return f"{self.page_id} {self.date}: {self.views}"


class ArticleFeedback(models.Model):
    """One visitor's answer to "Was this helpful?" (the visitor is stored as a keyed hash)."""

    page = models.ForeignKey(
        PAGE_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who wrote the comment, if signed in (shown on their customer timeline)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "visitor"], name="faq_one_vote_per_visitor")
        ]

    def __str__(self):
        return f"{self.page_id}: {'yes' if self.helpful else 'no'}"
