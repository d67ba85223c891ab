"""The contact form's reports (registered in wagtail_hooks.py, URLs in admin_urls.py): the
deflection rate, the articles that deflect most and the content gaps."""

from __future__ import annotations

from collections import Counter, defaultdict

from django import forms
from django.db.models import Count, DateField, Max
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_languages
from wagtail.models import Page

from helpcenter.exports import SpreadsheetSafeExportMixin
from helpcenter.permissions import PermissionRequiredMixin
from search import text as search_text
from search.analytics import mask_personal_data

from . import notifications
from .answers import is_page, page_ids, source_label
from .models import Deflection, Submission

REPORT_PERMISSION = "contactform.view_submission"
GAP_WORDS = 6
GAP_MESSAGES_LIMIT = 5000
PLACEHOLDER = "["  # mask_personal_data's "[email]" and "[number]"
PUNCTUATION = "\"'.,;:!?()[]{}<>«»„“”‚‘’-–—/…"


def _language_choices():
    return list(get_content_languages().items())


def contact_page_choices():
    pages = (
        Submission.objects.exclude(page=None)
        .order_by()
        .values_list("page_id", "page_title")
        .distinct()
    )
    return sorted({(str(pk), title) for pk, title in pages}, key=lambda choice: choice[1])


class ContactReportFilterSet(WagtailFilterSet):
    """Date range, language and contact page; applied alike to submissions and deflections."""

    date = DateFromToRangeFilter(
        label=gettext_lazy("Date"), field_name="created_at", widget=DateRangePickerWidget
    )
    locale = ChoiceFilter(
        label=gettext_lazy("Language"),
        choices=_language_choices,
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    page = ChoiceFilter(
        label=gettext_lazy("Contact page"),
        field_name="page_id",
        choices=contact_page_choices,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Submission
        fields = []


class ContactReportView(PermissionRequiredMixin, SpreadsheetSafeExportMixin, ReportView):
    """A report over the submissions and deflections that pass the filters.

    Rows are computed in Python from both tables (`rows`), then sorted by the chosen column.
    Override `rows` to change the figures.
    """

    permission = REPORT_PERMISSION
    filterset_class = ContactReportFilterSet
    header_icon = "mail"
    tiebreak = ""

    def get_filtered_queryset(self):
        rows = self.rows(
            self.filter_queryset(Submission.objects.order_by()),
            self.filter_queryset(Deflection.objects.order_by()),
        )
        return self.order_rows(rows)

    def rows(self, submissions, deflections) -> list[dict]:
        raise NotImplementedError

    def order_rows(self, rows: list[dict]) -> list[dict]:
        key = (self.ordering or "").lstrip("-")
        if not key:
            return rows
        rows.sort(key=lambda row: str(row.get(self.tiebreak, "")))
        rows.sort(key=lambda row: _sortable(row.get(key)), reverse=self.ordering.startswith("-"))
        return rows


def _sortable(value):
    return (value is not None, value if value is not None else 0)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def _percent_display(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


class DeflectionRateReportView(ContactReportView):
    """Per week: questions the suggested answers solved, and messages sent anyway.

    Deflection rate = deflections / (deflections + submissions), spam not counted.
    """

    page_title = gettext_lazy("Contact deflection rate")
    index_url_name = "contactform_reports:deflection_rate"
    index_results_url_name = "contactform_reports:deflection_rate_results"
    results_template_name = "contactform/admin/deflection_rate_results.html"
    export_filename = "contact-deflection-rate"
    default_ordering = "-week"
    tiebreak = "week"
    columns = [
        Column("week_display", label=gettext_lazy("Week starting"), sort_key="week"),
        NumberColumn(
            "deflections", label=gettext_lazy("Solved by an answer"), sort_key="deflections"
        ),
        NumberColumn("submissions", label=gettext_lazy("Messages sent"), sort_key="submissions"),
        Column("rate_display", label=gettext_lazy("Deflection rate"), sort_key="rate"),
    ]
    list_export = ["week", "deflections", "submissions", "rate"]
    export_headings = {
        "week": gettext_lazy("Week starting"),
        "deflections": gettext_lazy("Solved by an answer"),
        "submissions": gettext_lazy("Messages sent"),
        "rate": gettext_lazy("Deflection rate (%)"),
    }

    def rows(self, submissions, deflections) -> list[dict]:
        week = TruncWeek("created_at", output_field=DateField())
        sent = dict(
            submissions.exclude(status=Submission.Status.SPAM)
            .annotate(week=week)
            .values("week")
            .annotate(count=Count("pk"))
            .values_list("week", "count")
        )
        solved = dict(
            deflections.annotate(week=week)
            .values("week")
            .annotate(count=Count("pk"))
            .values_list("week", "count")
        )
        rows = []
        for start in set(sent) | set(solved):
            d, s = solved.get(start, 0), sent.get(start, 0)
            rate = _percent(d, d + s)
            rows.append(
                {
                    "week": start,
                    "week_display": date_format(start, "DATE_FORMAT"),
                    "deflections": d,
                    "submissions": s,
                    "rate": rate,
                    "rate_display": _percent_display(rate),
                }
            )
        self.totals = self.total_of(rows)
        return rows

    @staticmethod
    def total_of(rows: list[dict]) -> dict:
        d = sum(row["deflections"] for row in rows)
        s = sum(row["submissions"] for row in rows)
        return {
            "deflections": d,
            "submissions": s,
            "rate_display": _percent_display(_percent(d, d + s)),
        }

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["totals"] = getattr(self, "totals", None)
        return context


def _article_edit_url(row) -> str | None:
    if row.get("article_id") is None:
        return None
    return reverse("wagtailadmin_pages:edit", args=[row["article_id"]])


class DeflectingArticlesReportView(ContactReportView):
    """The articles that most often answered a question before it became a message.

    "Suggested, sent anyway" counts messages (not spam) that showed the article and were sent
    all the same; the article's deflection rate compares the two.
    """

    page_title = gettext_lazy("Articles that deflect most")
    index_url_name = "contactform_reports:deflecting_articles"
    index_results_url_name = "contactform_reports:deflecting_articles_results"
    export_filename = "contact-deflecting-articles"
    default_ordering = "-deflections"
    tiebreak = "title"
    columns = [
        TitleColumn(
            "title", label=gettext_lazy("Article"), sort_key="title", get_url=_article_edit_url
        ),
        Column("locale", label=gettext_lazy("Language"), sort_key="locale"),
        NumberColumn("deflections", label=gettext_lazy("Solved questions"), sort_key="deflections"),
        NumberColumn(
            "sent_anyway", label=gettext_lazy("Suggested, sent anyway"), sort_key="sent_anyway"
        ),
        Column("rate_display", label=gettext_lazy("Deflection rate"), sort_key="rate"),
        DateColumn(
            "last_deflection", label=gettext_lazy("Last solved"), sort_key="last_deflection"
        ),
    ]
    list_export = ["title", "locale", "deflections", "sent_anyway", "rate", "last_deflection"]
    export_headings = {
        "title": gettext_lazy("Article"),
        "locale": gettext_lazy("Language"),
        "deflections": gettext_lazy("Solved questions"),
        "sent_anyway": gettext_lazy("Suggested, sent anyway"),
        "rate": gettext_lazy("Deflection rate (%)"),
        "last_deflection": gettext_lazy("Last solved"),
    }

    def rows(self, submissions, deflections) -> list[dict]:
        grouped = deflections.filter(source="").values("article_id").annotate(
            deflections=Count("pk"),
            title=Max("article_title"),
            locale=Max("locale"),
            last_deflection=Max("created_at"),
        )
        sent_anyway = Counter()
        suggested_lists = submissions.exclude(status=Submission.Status.SPAM).values_list(
            "suggested_answers", flat=True
        )
        for suggested in suggested_lists.iterator():
            sent_anyway.update(page_ids(suggested or []))
        rows = []
        for row in grouped:
            row["sent_anyway"] = sent_anyway.get(row["article_id"], 0)
            row["rate"] = _percent(row["deflections"], row["deflections"] + row["sent_anyway"])
            row["rate_display"] = _percent_display(row["rate"])
            rows.append(row)
        return rows


class ContactContentGapsReportView(ContactReportView):
    """What the messages sent anyway are about: content the help center lacks or hides.

    Each message (not spam) counts once, under the topic the customer chose; without a topic
    under the category of the best suggested answer; without either under "no answer
    suggested", the plainest gap. "Frequent words" are the words most messages of the group
    share, after search.text's normalisation and stop words; a word must occur in at least two
    messages, so a single customer's name or order number never shows.
    """

    page_title = gettext_lazy("Contact content gaps")
    index_url_name = "contactform_reports:content_gaps"
    index_results_url_name = "contactform_reports:content_gaps_results"
    export_filename = "contact-content-gaps"
    default_ordering = "-messages"
    tiebreak = "label"
    columns = [
        Column("label", label=gettext_lazy("About"), sort_key="label"),
        Column("source_display", label=gettext_lazy("Grouped by"), sort_key="source"),
        NumberColumn("messages", label=gettext_lazy("Messages sent"), sort_key="messages"),
        Column("opened_display", label=gettext_lazy("Opened a suggestion"), sort_key="opened"),
        Column(
            "confidence_display",
            label=gettext_lazy("Best suggestion confidence"),
            sort_key="confidence",
        ),
        Column("words", label=gettext_lazy("Frequent words")),
        DateColumn("last_message", label=gettext_lazy("Last message"), sort_key="last_message"),
    ]
    list_export = [
        "label",
        "source_display",
        "messages",
        "opened",
        "confidence",
        "words",
        "last_message",
    ]
    export_headings = {
        "label": gettext_lazy("About"),
        "source_display": gettext_lazy("Grouped by"),
        "messages": gettext_lazy("Messages sent"),
        "opened": gettext_lazy("Opened a suggestion"),
        "confidence": gettext_lazy("Average best suggestion confidence"),
        "words": gettext_lazy("Frequent words"),
        "last_message": gettext_lazy("Last message"),
    }

    def rows(self, submissions, deflections) -> list[dict]:
        messages_sent = list(
            submissions.exclude(status=Submission.Status.SPAM)
            .order_by("-created_at")
            .values(
                "topic",
                "suggested_answers",
                "opened_answers",
                "confidence",
                "message",
                "locale",
                "created_at",
            )[:GAP_MESSAGES_LIMIT]
        )
        categories = self.categories_of(messages_sent)
        groups: dict[tuple[str, str], dict] = {}
        words_by_group: dict[tuple[str, str], Counter] = defaultdict(Counter)
        surfaces: dict[str, Counter] = defaultdict(Counter)
        for sent in messages_sent:
            key = self.group_of(sent, categories)
            group = groups.setdefault(
                key,
                {
                    "source": key[0],
                    "label": key[1],
                    "messages": 0,
                    "opened": 0,
                    "confidences": [],
                    "last_message": sent["created_at"],
                },
            )
            group["messages"] += 1
            group["opened"] += bool(sent["opened_answers"])
            if sent["confidence"] is not None:
                group["confidences"].append(sent["confidence"])
            group["last_message"] = max(group["last_message"], sent["created_at"])
            words = significant_words(sent["message"], sent["locale"], surfaces)
            words_by_group[key].update(words)
        return [
            self.finish(key, group, words_by_group[key], surfaces) for key, group in groups.items()
        ]

    def group_of(self, sent: dict, categories: dict) -> tuple[str, str]:
        if sent["topic"].strip():
            return ("topic", notifications.clean_line(sent["topic"]))
        suggested = [item for item in sent["suggested_answers"] or [] if isinstance(item, dict)]
        best = suggested[0] if suggested else None
        if best is not None:
            # A forum thread is suggested first only when no article was: grouped as "Community".
            category = best.get("category") or (
                categories.get(best.get("id")) if is_page(best) else source_label(best)
            )
            if category:
                return ("category", notifications.clean_line(str(category)))
        return ("none", _("(no answer suggested)"))

    @staticmethod
    def categories_of(messages_sent: list[dict]) -> dict:
        """Title of the parent page (the category) of each best suggested article."""
        firsts = (list(sent["suggested_answers"] or [])[:1] for sent in messages_sent)
        ids = {best[0] for first in firsts if (best := page_ids(first))}
        paths = dict(Page.objects.filter(pk__in=ids).values_list("pk", "path"))
        parent_paths = {path[: -Page.steplen] for path in paths.values()}
        titles = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        return {pk: titles.get(path[: -Page.steplen]) for pk, path in paths.items()}

    @staticmethod
    def finish(key, group, words: Counter, surfaces) -> dict:
        sources = {
            "topic": _("Topic chosen"),
            "category": _("Category of the best suggestion"),
            "none": _("Nothing suggested"),
        }
        confidences = group.pop("confidences")
        group["confidence"] = round(sum(confidences) / len(confidences), 2) if confidences else None
        group["confidence_display"] = (
            "–" if group["confidence"] is None else f"{group['confidence']:.2f}"
        )
        share = _percent_display(_percent(group["opened"], group["messages"]))
        group["opened_display"] = f"{group['opened']} ({share})"
        group["source_display"] = sources[key[0]]
        frequent = [
            (word, count)
            for word, count in sorted(words.items(), key=lambda item: (-item[1], item[0]))
            if count >= 2
        ][:GAP_WORDS]
        group["words"] = ", ".join(
            f"{commonest_form(surfaces[word])} ({count})" for word, count in frequent
        )
        return group


def commonest_form(forms: Counter) -> str:
    """The way a word was written most often; the shortest on a tie ("screw" over "screws")."""
    return min(forms, key=lambda form: (-forms[form], len(form), form))


def significant_words(message: str, locale: str, surfaces: dict[str, Counter]) -> set[str]:
    """The distinct stems of a message's words that are not stop words (search.text).

    `surfaces` collects how each stem was written (lower case), to show the commonest form.
    """
    masked = mask_personal_data(search_text.clean(message, max_length=None))
    stop = search_text.stopwords(locale)
    found = set()
    for chunk in masked.split():
        if PLACEHOLDER in chunk:
            continue
        tokens = search_text.tokenise(chunk, locale, max_length=None)
        for token in tokens:
            if len(token) < 3 or not token.isalpha() or token in stop:
                continue
            shown = chunk.strip(PUNCTUATION).casefold() if len(tokens) == 1 else token
            stem = search_text.stem(token, locale)
            surfaces[stem][shown if shown.isalpha() else token] += 1
            found.add(stem)
    return found

