"""The recurring questions report and its actions (registered in wagtail_hooks.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_filters import ChoiceFilter
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_languages
from wagtail.models import Page

from helpcenter.exports import SpreadsheetSafeExportMixin
from helpcenter.ids import parse_id
from helpcenter.permissions import PermissionRequiredMixin

from . import promotion, recurring, thread_actions
from .links import forum_url_for, thread_url
from .members import is_moderator
from .models import Thread

REPORT_PERMISSION = "community.view_recurring_questions"
DISMISS = "community.thread.dismiss"


def language_choices():
    return list(get_content_languages().items())


def default_language() -> str:
    return language_choices()[0][0]


class RecurringFilterSet(WagtailFilterSet):
    language = ChoiceFilter(label=gettext_lazy("Language"), choices=language_choices,
                            empty_label=None, method="by_language", widget=forms.RadioSelect)

    class Meta:
        model = Thread
        fields = []

    def by_language(self, queryset, name, value):
        return queryset  # the clusters are computed per language in the view


class ActionsColumn(Column):
    cell_template_name = "community/admin/recurring_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(cluster=instance, csrf_token=get_token(request),
                       language=parent_context.get("language"),
                       may_merge=is_moderator(request.user),
                       promote_url=promote_url(instance.best_solved))
        return context


def promote_url(thread: Thread | None) -> str:
    if thread is None:
        return ""
    base = forum_url_for(thread.board.locale_id)
    return f"{base}{thread.pk}/promote/" if base else ""


class RecurringQuestionsReportView(PermissionRequiredMixin, SpreadsheetSafeExportMixin, ReportView):
    """Clusters of similar forum questions, and whether an article already answers them."""

    page_title = gettext_lazy("Recurring forum questions")
    header_icon = "help"
    permission = REPORT_PERMISSION
    index_url_name = "community_recurring:report"
    index_results_url_name = "community_recurring:report_results"
    filterset_class = RecurringFilterSet
    paginate_by = 20
    columns = [
        TitleColumn("title", label=gettext_lazy("Question"), accessor="lead.title",
                    get_url=lambda cluster: thread_url(cluster.lead) or None),
        NumberColumn("count", label=gettext_lazy("Threads")),
        DateColumn("newest", label=gettext_lazy("Newest")),
        Column("solved_display", label=gettext_lazy("Solved")),
        Column("article_display", label=gettext_lazy("Existing article (confidence)")),
        ActionsColumn("actions", label=gettext_lazy("Actions")),
    ]

    @property
    def language(self) -> str:
        chosen = self.request.GET.get("language", "")
        return chosen if chosen in dict(language_choices()) else default_language()

    def get_filtered_queryset(self):
        return recurring.clusters(self.language)

    def decorate_paginated_queryset(self, object_list):
        for cluster in object_list:
            cluster.solved_display = _("%(solved)d of %(count)d") % {
                "solved": cluster.solved_count, "count": cluster.count}
            cluster.article_display = (
                f"{cluster.article_title} ({cluster.confidence:.0%})" if cluster.article_id
                else "–"
            )
        return object_list

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["language"] = self.language
        return context


def _cluster_or_back(request):
    """The cluster a report action names, or None after telling the user it changed."""
    language = request.POST.get("language", "")
    if language not in dict(language_choices()):
        language = default_language()
    cluster = recurring.find(language, request.POST.get("cluster", ""))
    if cluster is None:
        messages.error(request, _("This group of questions has changed. Please look again."))
    return cluster, language


def _back(language: str):
    return redirect(reverse("community_recurring:report") + f"?language={language}")


@require_POST
def link_article(request):
    """Every thread of the cluster is answered by the suggested (or a chosen) article."""
    if not request.user.has_perm(REPORT_PERMISSION):
        return permission_denied(request)
    cluster, language = _cluster_or_back(request)
    if cluster is None:
        return _back(language)
    article_id = parse_id(request.POST.get("article")) or cluster.article_id
    article = Page.objects.live().filter(pk=article_id, locale__language_code=language).first() \
        if article_id else None
    if article is None:
        messages.error(request, _("There is no published article to link."))
        return _back(language)
    with transaction.atomic():
        for thread in cluster.threads:
            promotion.link_article(thread, article, request.user)
    messages.success(request, ngettext(
        "%(count)d thread now points to “%(article)s”.",
        "%(count)d threads now point to “%(article)s”.", cluster.count,
    ) % {"count": cluster.count, "article": article.title})
    return _back(language)


@require_POST
def mark_duplicates(request):
    """The other threads of the cluster become duplicates of its best solved (or oldest) one."""
    if not (request.user.has_perm(REPORT_PERMISSION) and is_moderator(request.user)):
        return permission_denied(request)
    cluster, language = _cluster_or_back(request)
    if cluster is None:
        return _back(language)
    canonical = cluster.best_solved or min(cluster.threads, key=lambda thread: thread.pk)
    with transaction.atomic():
        for thread in cluster.threads:
            if thread.pk != canonical.pk:
                thread_actions.mark_duplicate(thread, request.user, of_thread=canonical,
                                              reason=_("Asked before"))
    messages.success(request, _("The other threads now point to “%(title)s”.")
                     % {"title": canonical.title})
    return _back(language)


@require_POST
def dismiss(request):
    """Leave these threads out of the report (they are not a recurring question)."""
    if not request.user.has_perm(REPORT_PERMISSION):
        return permission_denied(request)
    cluster, language = _cluster_or_back(request)
    if cluster is None:
        return _back(language)
    with transaction.atomic():
        Thread.objects.filter(pk__in=[thread.pk for thread in cluster.threads]).update(
            left_out_of_reports=True)
        for thread in cluster.threads:
            thread_actions.log_thread(thread, DISMISS, request.user)
    messages.success(request, _("These threads are left out of the report."))
    return _back(language)
