"""Search analytics: what customers search for, how often it finds something, what they click.

The shape follows ``wagtail.contrib.search_promotions``: one normalised row per query and
language, plus daily counter rows that ``search.analytics`` increments with ``F()``.
"""

import swapper
from django.db import models
from django.utils.translation import gettext_lazy as _

swapper.set_app_prefix("wagtailcore", "wagtail")
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


class QuerySource(models.TextChoices):
    """Where a customer typed the query."""

    HELP = "help", _("Help search page")
    AUTOCOMPLETE = "autocomplete", _("Autocomplete")
    CONTACT = "contact", _("Contact form suggestions")
    FORUM = "forum", _("Community composer")
    API = "api", _("API")


class Query(models.Model):
    """A search as customers typed it, normalised (see ``search.analytics.normalise_query``)."""

    text = models.CharField(_("search term"), max_length=255)
    locale = models.CharField(_("language"), max_length=100)
    created_at = models.DateTimeField(_("first searched"), auto_now_add=True)
    hidden = models.BooleanField(
        _("hidden from autocomplete"),
        default=False,
        help_text=_("Never offer this search term to customers as a popular search."),
    )

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["text", "locale"], name="search_query_unique")
        ]

    def __str__(self):
        return self.text


class QueryDailyHits(models.Model):
    """How one query fared on one day, from one source."""

    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="daily_hits", verbose_name=_("search term")
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=QuerySource.choices)
    hits = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveBigIntegerField(
        _("results"), default=0, help_text=_("Sum of the result counts of all searches.")
    )
    zero_result_hits = models.PositiveIntegerField(_("searches without results"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("daily searches")
        verbose_name_plural = _("daily searches")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "date", "source"], name="search_daily_hits_unique"
            )
        ]
        indexes = [models.Index(fields=["date"], name="search_daily_hits_date")]

    def __str__(self):
        return f"{self.query_id} {self.date} {self.source}: {self.hits}"


class QueryClick(models.Model):
    """Clicks on one result of one query on one day, from one source.

    A result is identified by its URL; ``page`` and ``title`` are what it was when clicked.
    Keying by URL rather than page keeps rows unique when a deleted page's link becomes NULL.
    """

    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="result_clicks", verbose_name=_("search term")
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=QuerySource.choices)
    page = models.ForeignKey(
        PAGE_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    url = models.CharField(_("URL"), max_length=500)
    title = models.CharField(_("title"), max_length=255, blank=True)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("search result click")
        verbose_name_plural = _("search result clicks")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "date", "source", "url"], name="search_click_unique"
            )
        ]
        indexes = [models.Index(fields=["date"], name="search_click_date")]

    def __str__(self):
        return f"{self.query_id} {self.date} {self.url}: {self.clicks}"


class QuerySpelling(models.Model):
    """How customers wrote one query ("Brille drückt" for "brille druckt"), for the reports.

    Stored with personal data masked, like the query itself.
    """

    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="spellings", verbose_name=_("search term")
    )
    text = models.CharField(_("spelling"), max_length=255)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    last_searched = models.DateField(_("last searched"))

    class Meta:
        verbose_name = _("search term spelling")
        verbose_name_plural = _("search term spellings")
        constraints = [
            models.UniqueConstraint(fields=["query", "text"], name="search_spelling_unique")
        ]

    def __str__(self):
        return self.text


class QueryVisitor(models.Model):
    """One visitor who searched a query: for counting people rather than requests.

    ``visitor`` and ``address`` are keyed hashes (``helpcenter.visitors.pseudonym``) of the
    visitor cookie (or the address without one) and of the client address; neither is
    reversible. ``last_searched_at`` lets a repeated search within a minute count once.
    """

    query = models.ForeignKey(
        Query, on_delete=models.CASCADE, related_name="visitors", verbose_name=_("search term")
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    address = models.CharField(_("address"), max_length=64)
    last_searched_at = models.DateTimeField(_("last searched"))

    class Meta:
        verbose_name = _("search term visitor")
        verbose_name_plural = _("search term visitors")
        constraints = [
            models.UniqueConstraint(fields=["query", "visitor"], name="search_visitor_unique")
        ]
        indexes = [
            models.Index(fields=["last_searched_at"], name="search_visitor_last_searched")
        ]

    def __str__(self):
        return f"{self.query_id} {self.last_searched_at:%Y-%m-%d}"
