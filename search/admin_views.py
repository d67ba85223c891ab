"""Admin views of the help search (registered in wagtail_hooks.py): the reports of the search
log and the query tester.

Each report filters the daily rows (date range, language, source) and then sums them per search
term, so that the figures cover exactly the chosen period.
"""

import json
from collections import defaultdict
from functools import cached_property

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db.models import F, FloatField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Greatest
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_languages

from helpcenter.exports import SpreadsheetSafeExportMixin
from helpcenter.links import local_redirect_target
from helpcenter.permissions import PermissionRequiredMixin

from . import explanation
from .forms import QueryTesterForm
from .fusion import FUSION
from .models import Query, QueryClick, QueryDailyHits, QuerySource, QuerySpelling
from .text import normalise

PERMISSION = "search.view_query"
HIDE_PERMISSION = "search.change_query"


def _spelling():
    """The most frequent spelling of the row's query as typed, else its normalised text."""
    spellings = QuerySpelling.objects.filter(query=OuterRef("query_id")).order_by(
        "-searches", "-last_searched", "text"
    )
    return Coalesce(Subquery(spellings.values("text")[:1]), F("query__text"))


def _language_choices():
    return list(get_content_languages().items())


class SearchLogFilterSet(WagtailFilterSet):
    date = DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    locale = ChoiceFilter(
        label=_("Language"),
        field_name="query__locale",
        choices=_language_choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    source = ChoiceFilter(
        label=_("Source"),
        choices=QuerySource.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = QueryDailyHits
        fields = []


class ClickFilterSet(SearchLogFilterSet):
    class Meta:
        model = QueryClick
        fields = []


class SearchLogReportView(PermissionRequiredMixin, SpreadsheetSafeExportMixin, ReportView):
    """A report of search terms, summed over the daily rows that pass the filters.

    Override `summarise` to change the figures, `narrow` to pick rows of the summary.
    """

    header_icon = "search"
    permission = PERMISSION
    model = QueryDailyHits
    filterset_class = SearchLogFilterSet
    is_searchable = True
    search_fields = ["query__text"]
    tiebreak = ("text", "locale")
    term_columns = [
        Column("spelling", label=_("Search term"), sort_key="text"),
        Column("locale", label=_("Language"), sort_key="locale"),
    ]
    export_headings = {
        "spelling": _("Search term"),
        "locale": _("Language"),
        "searches": _("Searches"),
        "average_results": _("Average results"),
        "zero_results": _("Searches without results"),
        "clicked": _("Clicks"),
        "click_rate": _("Click-through rate (%)"),
        "last_searched": _("Last searched"),
    }

    row_names = (_("search term"), _("search terms"))
    """What one row of the report is, for the count under the table."""

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.verbose_name, paginator.verbose_name_plural = self.row_names
        return paginator

    def get_queryset(self):
        rows = self.search_queryset(self.filter_queryset(self.get_base_queryset()))
        return self.order_queryset(self.narrow(self.summarise(rows)))

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        # Terms are stored normalised: "Rückgabe" must find "ruckgabe".
        terms = {normalise(self.search_query), normalise(self.search_query, locale="de")}
        matching = Q()
        for term in terms:
            matching |= Q(query__text__contains=term)
        return queryset.filter(matching)

    def summarise(self, rows):
        searches = Cast(Greatest(F("searches"), 1), FloatField())
        return (
            rows.values("query_id", text=F("query__text"), locale=F("query__locale"))
            .annotate(
                spelling=_spelling(),
                hidden=F("query__hidden"),
                searches=Sum("hits"),
                results_total=Sum("results"),
                zero_results=Sum("zero_result_hits"),
                clicked=Sum("clicks"),
                last_searched=Max("date"),
            )
            .annotate(
                average_results=Cast(F("results_total"), FloatField()) / searches,
                click_rate=Cast(F("clicked"), FloatField()) * 100.0 / searches,
            )
        )

    def narrow(self, summary):
        return summary

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, *self.tiebreak)

    def decorate_paginated_queryset(self, object_list):
        object_list = list(object_list)
        for row in object_list:
            row["average_results"] = round(row["average_results"], 1)
            row["click_rate"] = round(row["click_rate"], 1)
            row["click_rate_display"] = f"{row['click_rate']:.0f}%" if row["searches"] else "–"
        return object_list


class TopSearchesReportView(SearchLogReportView):
    """What customers search for most, and how often they find something worth clicking."""

    page_title = _("Top searches")
    index_url_name = "helpcenter_search_admin:top_searches"
    index_results_url_name = "helpcenter_search_admin:top_searches_results"
    export_filename = "top-searches"
    default_ordering = "-searches"
    figure_columns = SearchLogReportView.term_columns + [
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        Column("average_results", label=_("Average results"), sort_key="average_results"),
        NumberColumn("clicked", label=_("Clicks"), sort_key="clicked"),
        Column("click_rate_display", label=_("Click-through rate"), sort_key="click_rate"),
        Column("last_searched", label=_("Last searched"), sort_key="last_searched"),
    ]
    list_export = ["spelling", "locale", "searches", "average_results", "clicked", "click_rate"]

    @cached_property
    def columns(self):
        if not self.request.user.has_perm(HIDE_PERMISSION):
            return self.figure_columns
        return [*self.figure_columns, AutocompleteColumn("hidden", label=_("Autocomplete"))]

    def narrow(self, summary):
        # Clicks on autocomplete suggestions are no searches of their own.
        return summary.filter(searches__gt=0)


class SearchesWithoutResultsReportView(SearchLogReportView):
    """Content gaps: what customers search for and the help center does not answer."""

    page_title = _("Searches without results")
    index_url_name = "helpcenter_search_admin:without_results"
    index_results_url_name = "helpcenter_search_admin:without_results_results"
    export_filename = "searches-without-results"
    default_ordering = "-zero_results"
    columns = SearchLogReportView.term_columns + [
        NumberColumn("zero_results", label=_("Searches without results"), sort_key="zero_results"),
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        Column("last_searched", label=_("Last searched"), sort_key="last_searched"),
    ]
    list_export = ["spelling", "locale", "zero_results", "searches", "last_searched"]

    def narrow(self, summary):
        return summary.filter(zero_results__gt=0)


class SearchesWithoutClicksReportView(SearchLogReportView):
    """Searches that found results that nobody clicked: the answers may not look right."""

    page_title = _("Searches without clicks")
    index_url_name = "helpcenter_search_admin:without_clicks"
    index_results_url_name = "helpcenter_search_admin:without_clicks_results"
    export_filename = "searches-without-clicks"
    default_ordering = "-searches"
    columns = SearchLogReportView.term_columns + [
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        Column("average_results", label=_("Average results"), sort_key="average_results"),
        Column("last_searched", label=_("Last searched"), sort_key="last_searched"),
    ]
    list_export = ["spelling", "locale", "searches", "average_results", "last_searched"]

    def narrow(self, summary):
        return summary.filter(searches__gt=0, clicked=0)


def _result_edit_url(row) -> str | None:
    if row["page_id"] is None:
        return None
    return reverse("wagtailadmin_pages:edit", args=[row["page_id"]])


class ClickedResultsReportView(SearchLogReportView):
    """Which results customers open for which search term."""

    page_title = _("Clicked results")
    index_url_name = "helpcenter_search_admin:clicked_results"
    index_results_url_name = "helpcenter_search_admin:clicked_results_results"
    export_filename = "clicked-results"
    model = QueryClick
    filterset_class = ClickFilterSet
    default_ordering = "-clicked"
    tiebreak = ("text", "locale", "url")
    row_names = (_("clicked result"), _("clicked results"))
    columns = SearchLogReportView.term_columns + [
        TitleColumn(
            "result_title", label=_("Result"), sort_key="result_title", get_url=_result_edit_url
        ),
        Column("url", label=_("URL")),
        NumberColumn("clicked", label=_("Clicks"), sort_key="clicked"),
        Column("last_clicked", label=_("Last clicked"), sort_key="last_clicked"),
    ]
    list_export = ["spelling", "locale", "result_title", "url", "clicked", "last_clicked"]
    export_headings = {
        **SearchLogReportView.export_headings,
        "result_title": _("Result"),
        "url": _("URL"),
        "last_clicked": _("Last clicked"),
    }

    def summarise(self, rows):
        return rows.values(
            "query_id", "page_id", "url", text=F("query__text"), locale=F("query__locale")
        ).annotate(
            spelling=_spelling(),
            clicked=Sum("clicks"),
            result_title=Max("title"),
            last_clicked=Max("date"),
        )

    def decorate_paginated_queryset(self, object_list):
        object_list = list(object_list)
        for row in object_list:
            row["result_title"] = row["result_title"] or row["url"]
        return object_list


class AutocompleteColumn(Column):
    """Whether a search term may be offered as a popular search, with a button to change it."""

    cell_template_name = "search/admin/autocomplete_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(
            action=reverse("helpcenter_search_admin:query_visibility", args=[instance["query_id"]]),
            csrf_token=get_token(request),
            next_url=request.get_full_path(),
        )
        return context


class QueryVisibilityView(PermissionRequiredMixin, View):
    """Hide a search term from autocomplete, or offer it again (POST ``hidden`` = 1 or 0)."""

    permission = HIDE_PERMISSION
    http_method_names = ["post"]

    def post(self, request, pk):
        query = get_object_or_404(Query, pk=pk)
        query.hidden = request.POST.get("hidden") == "1"
        query.save(update_fields=["hidden"])
        if query.hidden:
            messages.success(request, gettext("Hidden from autocomplete."))
        else:
            messages.success(request, gettext("May be offered in autocomplete again."))
        return HttpResponseRedirect(self.next_url())

    def next_url(self) -> str:
        fallback = reverse("helpcenter_search_admin:top_searches")
        return local_redirect_target(self.request, self.request.POST.get("next", ""), fallback)


class QueryTesterView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every step of the help search for one query, and the ranked results with their scores,
    so that editors can see why an article does or does not show.

    The form is sent by GET: a tested query is a link to share. Override `explain` to test
    another search function.
    """

    page_title = _("Query tester")
    header_icon = "search"
    permission = PERMISSION
    template_name = "search/admin/query_tester.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        form = QueryTesterForm(self.request.GET if "q" in self.request.GET else None)
        context = super().get_context_data(form=form, explanation=None, **kwargs)
        if form.is_valid():
            explanation = self.explain(form.cleaned_data)
            context.update(
                explanation=explanation,
                rows=self.result_rows(explanation),
                language_name=dict(form.fields["locale"].choices)[form.cleaned_data["locale"]],
                plan_json=json.dumps(explanation.plan.describe(), indent=2, ensure_ascii=False),
                can_edit_synonyms=self.request.user.has_perm("search.change_synonym"),
                settings_url=self.settings_url(),
                fusion=FUSION,
                dense_weight=1 - FUSION.lexical_weight,
            )
        return context

    def explain(self, data) -> explanation.Explanation:
        category = data.get("category")
        return explanation.explain(
            data["q"], data["locale"], category_ids=[category] if category else None
        )

    def settings_url(self) -> str | None:
        if not self.request.user.has_perm("search.change_searchsettings"):
            return None
        return reverse("wagtailsettings:edit", args=["search", "searchsettings"])

    def result_rows(self, explanation: explanation.Explanation) -> list[dict]:
        """Each explained result with the link to edit it, if this user may."""
        objects = _objects_of([row.result for row in explanation.results])
        finder = AdminURLFinder(self.request.user)
        rows = []
        for row in explanation.results:
            obj = objects.get((row.result.model, row.result.pk))
            rows.append({"row": row, "edit_url": finder.get_edit_url(obj) if obj else None})
        return rows


def _objects_of(results) -> dict:
    """The objects behind `results`, one query per model, keyed by (model label, pk)."""
    pks = defaultdict(set)
    for result in results:
        pks[result.model].add(result.pk)
    found = {}
    for label, ids in pks.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        for pk, obj in model._default_manager.in_bulk(ids).items():
            found[(label, pk)] = obj
    return found
