"""What members type: titles and posts are checked here, with messages they can act on."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcenter import spam

from .conf import app_settings
from .members import DISPLAY_NAME_MAX_LENGTH
from .models import Board, MemberProfile, Thread

TITLE_MIN_LETTERS = 3


def _without_nul(value: str) -> str:
    return (value or "").replace("\x00", "")


class PostTextField(forms.CharField):
    """Markdown text: NUL bytes removed, not empty, not longer than the forum allows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your text"))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        kwargs.setdefault("strip", True)
        kwargs.setdefault("error_messages", {"required": _("Please write something first.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(_without_nul(value))

    def validate(self, value):
        super().validate(value)
        limit = app_settings.POST_MAX_LENGTH
        if len(value) > limit:
            raise forms.ValidationError(
                ngettext(
                    "Please shorten your text to %(limit)d character (it has %(length)d).",
                    "Please shorten your text to %(limit)d characters (it has %(length)d).",
                    limit,
                )
                % {"limit": limit, "length": len(value)}
            )


class TitleField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Title"))
        kwargs.setdefault("max_length", app_settings.TITLE_MAX_LENGTH)
        kwargs.setdefault("error_messages", {"required": _("Please give your question a title.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        return " ".join(super().to_python(_without_nul(value)).split())

    def validate(self, value):
        super().validate(value)
        if value and sum(char.isalnum() for char in value) < TITLE_MIN_LETTERS:
            raise forms.ValidationError(
                _("Please use a few words in the title, not only symbols or emoji.")
            )


class StyledForm:
    """Gives every control the help center's input classes."""

    def style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.HiddenInput, forms.RadioSelect)):
                continue
            css = "hc-textarea" if isinstance(widget, forms.Textarea) else "hc-input"
            if isinstance(widget, forms.Select):
                css += " hc-select"
            widget.attrs.setdefault("class", css)


class ThreadForm(StyledForm, forms.Form):
    board = forms.ModelChoiceField(
        label=_("Board"), queryset=Board.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("This is a"), choices=Thread.Kind.choices, initial=Thread.Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = TitleField(help_text=_("Say what you need to know, e.g. “Nose pads press on "
                                   "my nose after a week”."))
    website = spam.honeypot_field()
    text = PostTextField(
        label=_("Details"),
        help_text=_("What did you try? Which frame or lens? Markdown works: **bold**, "
                    "*italic*, lists, > quotes, [links](https://…)."),
    )
    suggestions_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, locale, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(locale=locale).order_by("order")
        self.style_fields()


class ReplyForm(StyledForm, forms.Form):
    text = PostTextField(label=_("Your answer"))
    website = spam.honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class TitleForm(StyledForm, forms.Form):
    title = TitleField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class EditForm(StyledForm, forms.Form):
    title = TitleField(required=False)
    text = PostTextField(label=_("Text"))

    def __init__(self, *args, is_question: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_question:
            self.fields["title"].required = True
        else:
            del self.fields["title"]
        self.style_fields()


class ProfileForm(StyledForm, forms.ModelForm):
    class Meta:
        model = MemberProfile
        fields = ["display_name"]
        help_texts = {
            "display_name": _("Shown beside everything you post. Not your e-mail address."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_display_name(self):
        name = " ".join(_without_nul(self.cleaned_data["display_name"]).split())
        if sum(char.isalnum() for char in name) < 2:
            raise forms.ValidationError(_("Please use at least two letters or digits."))
        if "@" in name:
            raise forms.ValidationError(_("A display name cannot contain “@”."))
        taken = MemberProfile.objects.filter(display_name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("This name is taken. Please choose another."))
        return name[:DISPLAY_NAME_MAX_LENGTH]


class DeflectionForm(forms.Form):
    """“This answers my question” on a suggestion: an article or a thread."""

    kind = forms.ChoiceField(choices=[("article", "article"), ("thread", "thread")])
    pk = forms.IntegerField(min_value=1)
