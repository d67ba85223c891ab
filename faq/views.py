"""Admin reports of the knowledge base (registered in wagtail_hooks.py)."""

from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from helpcenter.exports import SpreadsheetSafeExportMixin
from helpcenter.permissions import PermissionRequiredMixin

from .models import ArticleFeedback, ArticleStats
from .popularity import decayed_views, popularity_expression


def _edit_url(obj) -> str:
    return reverse("wagtailadmin_pages:edit", args=[obj.page_id])


class PermissionRequiredReport(PermissionRequiredMixin, SpreadsheetSafeExportMixin, ReportView):
    pass


class ArticlePopularityReportView(PermissionRequiredReport):
    """Which articles customers read and how helpful they found them."""

    page_title = _("Article popularity")
    header_icon = "pick"
    permission = "faq.view_articlestats"
    index_url_name = "faq_reports:popularity"
    index_results_url_name = "faq_reports:popularity_results"
    default_ordering = "-popularity"
    columns = [
        TitleColumn("title", label=_("Article"), accessor="page.title", get_url=_edit_url),
        NumberColumn("views", label=_("Views"), sort_key="views"),
        NumberColumn("recent_views", label=_("Recent views (decayed)"), sort_key="hot_views"),
        NumberColumn("helpful_yes", label=_("Helpful"), sort_key="helpful_yes"),
        NumberColumn("helpful_no", label=_("Not helpful"), sort_key="helpful_no"),
        Column("helpful_share", label=_("Helpful share"), sort_key="share"),
    ]
    list_export = ["page.title", "views", "recent_views", "helpful_yes", "helpful_no"]
    export_headings = {"page.title": _("Article"), "recent_views": _("Recent views")}

    def get_queryset(self):
        votes = Greatest(F("helpful_yes") + F("helpful_no"), 1)
        return (
            ArticleStats.objects.select_related("page")
            .annotate(
                popularity=popularity_expression(prefix=""),
                share=Cast(F("helpful_yes"), FloatField()) / Cast(votes, FloatField()),
            )
            .order_by(self.get_ordering())
        )

    def get_ordering(self):
        sortable = {c.sort_key for c in self.columns if c.sort_key} | {"popularity"}
        ordering = self.request.GET.get("ordering", self.default_ordering)
        return ordering if ordering.lstrip("-") in sortable else self.default_ordering

    def decorate_paginated_queryset(self, object_list):
        for stats in object_list:
            stats.recent_views = round(decayed_views(stats.hot_views), 1)
            votes = stats.helpful_yes + stats.helpful_no
            stats.helpful_share = f"{stats.helpful_yes / votes:.0%}" if votes else "–"
        return object_list


class ArticleFeedbackReportView(PermissionRequiredReport):
    """What customers wrote when an article did not help them."""

    page_title = _("Article feedback")
    header_icon = "comment"
    permission = "faq.view_articlefeedback"
    index_url_name = "faq_reports:feedback"
    index_results_url_name = "faq_reports:feedback_results"
    is_searchable = True
    search_fields = ["comment"]
    columns = [
        TitleColumn("title", label=_("Article"), accessor="page.title", get_url=_edit_url),
        Column("helpful", label=_("Helpful")),
        Column("comment", label=_("Comment")),
        DateColumn("created_at", label=_("Date"), sort_key="created_at"),
    ]
    list_export = ["page.title", "helpful", "comment", "created_at"]
    export_headings = {"page.title": _("Article")}

    def get_queryset(self):
        only_comments = self.request.GET.get("all") != "1"
        queryset = ArticleFeedback.objects.select_related("page").order_by("-created_at")
        return queryset.filter(~Q(comment="")) if only_comments else queryset
