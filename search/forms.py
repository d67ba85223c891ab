"""Forms of the search admin: the query tester (see `search.admin_views.QueryTesterView`)."""

import swapper
from django import forms
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from . import registry
from .query import QUERY_MAX_LENGTH

TESTER_MAX_LENGTH = 2 * QUERY_MAX_LENGTH
"""What the search page accepts before the pipeline cuts to `QUERY_MAX_LENGTH`."""


def category_pages(language_codes: list[str]):
    """The pages that directly hold searchable content (the `category_id` of the index).

    Override this (or the form's `category` choices) for sources whose categories are no
    parent pages.
    """
    page_model = swapper.load_model("wagtailcore", "Page")
    parents = Q(pk__in=[])
    for language in language_codes:
        for source in registry.sources():
            if source.fallback_queryset is None:
                continue
            searchable = source.fallback_queryset(language)
            if not issubclass(searchable.model, page_model):
                continue
            parent_path = Substr("path", 1, Length("path") - page_model.steplen)
            parents |= Q(path__in=searchable.annotate(parent=parent_path).values("parent"))
    return page_model.objects.filter(parents).select_related("locale").order_by("path")


class CategorySelect(forms.Select):
    """Categories of every language, those of other languages than `language` hidden and
    disabled; query_tester.js shows the chosen language's when the language changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages: dict[int, str] = {}
        self.language: str | None = None

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        language = self.languages.get(value)
        if language:
            option["attrs"]["data-language"] = language
            if language != self.language:
                option["attrs"].update(hidden=True, disabled=True)
        return option


class QueryTesterForm(forms.Form):
    """A query as a customer would type it, the language to search and an optional category."""

    q = forms.CharField(
        label=_("Query"),
        max_length=TESTER_MAX_LENGTH,
        help_text=_("Type what a customer would search for, typos included."),
        error_messages={
            "required": _("Type a query to test."),
            "max_length": _(
                "This query has %(show_value)d characters; test queries may have up to "
                "%(limit_value)d. Customers' searches read only the beginning of a query."
            ),
            "null_characters_not_allowed": _(
                "The query contains a NUL character (\\x00). Customers' searches drop it; "
                "remove it to test the rest."
            ),
        },
    )
    locale = forms.ChoiceField(label=_("Language"))
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None,
        widget=CategorySelect(attrs={"data-qt-category": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locales = list(Locale.objects.order_by("language_code"))
        names = {locale.language_code: locale.get_display_name() for locale in locales}
        self.fields["locale"].choices = list(names.items())
        self.fields["locale"].initial = _default_language(names)
        self.fields["locale"].widget.attrs["data-qt-locale"] = ""
        self._category_languages: dict[int, str] = {}
        categories = []
        for page in category_pages(list(names)):
            self._category_languages[page.pk] = page.locale.language_code
            categories.append((page.pk, page.title))
        self.fields["category"].choices = [("", _("All categories")), *categories]
        widget = self.fields["category"].widget
        widget.languages = self._category_languages
        chosen = self.data.get("locale") if self.is_bound else None
        widget.language = chosen if chosen in names else self.fields["locale"].initial

    def clean(self):
        cleaned = super().clean()
        category, language = cleaned.get("category"), cleaned.get("locale")
        if category and language and self._category_languages.get(category) != language:
            self.add_error(
                "category",
                gettext("This category is not in the chosen language: choose one of %(language)s.")
                % {"language": dict(self.fields["locale"].choices)[language]},
            )
        return cleaned


def _default_language(names: dict[str, str]) -> str | None:
    try:
        active = Locale.get_active().language_code
    except Locale.DoesNotExist:
        active = None
    return active if active in names else next(iter(names), None)
