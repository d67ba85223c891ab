"""What moderators and editors fill in for thread actions and promotion."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from helpcenter.ids import parse_id

from .forms import StyledForm
from .models import Board, Thread
from .thread_actions import REASON_MAX_LENGTH

THREAD_IN_PATH_RE = re.compile(r"/(\d+)(?:-[^/]*)?/?$")


def reason_field(required: bool = False, shown: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, required=required, strip=True,
        help_text=_("Shown on the thread and kept in the log. Do not name people.") if shown
        else _("Kept in the log. Do not name people."),
        error_messages={"required": _("Please give a reason; members will see it.")},
    )


def thread_number(value: str) -> int | None:
    """A thread's number from "42", "#42" or its address ("…/community/42-nose-pads/")."""
    value = (value or "").strip().lstrip("#")
    if number := parse_id(value):
        return number
    match = THREAD_IN_PATH_RE.search(urlsplit(value).path)
    return parse_id(match.group(1)) if match else None


class ThreadTargetField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Thread number or address"))
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("help_text", _('For example 42 or the address of the thread.'))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        number = thread_number(value)
        target = Thread.objects.filter(pk=number).select_related("board").first() \
            if number else None
        if target is None:
            raise forms.ValidationError(_("There is no thread with this number or address."))
        return target


class ActionForm(StyledForm, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class CloseForm(ActionForm):
    reason = reason_field(required=True)


class MoveForm(ActionForm):
    board = forms.ModelChoiceField(label=_("New board"), queryset=Board.objects.none(),
                                   empty_label=None)
    reason = reason_field(shown=False)

    def __init__(self, thread: Thread, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(
            locale_id=thread.board.locale_id
        ).exclude(pk=thread.board_id)


class MergeForm(ActionForm):
    target = ThreadTargetField(label=_("Merge into thread (number or address)"))
    reason = reason_field(shown=False)


class ArticleTargetField(forms.CharField):
    """A live article of the thread's language, by page number or address."""

    def __init__(self, locale_id: int | None = None, **kwargs):
        self.locale_id = locale_id
        kwargs.setdefault("label", _("Or an article (number or address)"))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def clean(self, value):
        from faq.models import ArticlePage

        value = super().clean(value)
        if not value:
            return None
        articles = ArticlePage.objects.live().filter(locale_id=self.locale_id)
        if number := parse_id(value.strip()):
            found = list(articles.filter(pk=number))
        else:
            slug = urlsplit(value.strip()).path.rstrip("/").rsplit("/", 1)[-1]
            found = list(articles.filter(slug=slug)[:2]) if slug else []
        if len(found) != 1:
            raise forms.ValidationError(_("There is no published article with this number or "
                                          "address in this language."))
        return found[0].page_ptr


class DuplicateForm(ActionForm):
    target = ThreadTargetField(label=_("Duplicate of thread (number or address)"),
                               required=False)
    article = ArticleTargetField(required=False)
    reason = reason_field()

    def __init__(self, thread: Thread, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].locale_id = thread.board.locale_id

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("target") is None) == (data.get("article") is None):
            raise forms.ValidationError(_("Name either a thread or an article."))
        return data


class PromoteForm(ActionForm):
    category = forms.ModelChoiceField(label=_("Knowledge base category"), queryset=None,
                                      empty_label=None)

    def __init__(self, categories, *args, **kwargs):
        from faq.models import CategoryPage

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CategoryPage.objects.filter(
            pk__in=[category.pk for category in categories]
        ).order_by("path")
