"""The contact form: the customer's message first, then who they are; spam signals on the side."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcenter import spam

from .conf import app_settings

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
# Bound values are cut to this many characters beyond their limit before the form sees them, so
# that a megabyte pasted into a field is never sent back in full; the limit is still enforced.
DISPLAY_SLACK = 1000
MAX_OPENED_ANSWERS = 20
MAX_PAGE_ID = 2**63 - 1  # larger numbers overflow the database's integer
_LINE_BREAK_RE = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_message_text(value: str) -> str:
    """Line breaks unified, NUL and other control characters removed (tabs and lines kept)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", value)


class MessageField(forms.CharField):
    def to_python(self, value):
        return super().to_python(clean_message_text(value or ""))


class SingleLineMixin:
    """A field that must stay on one line: a line break could add headers to an e-mail."""

    line_break_message = _("Please enter this on one line.")

    def to_python(self, value):
        value = (value or "").replace("\x00", "")
        if _LINE_BREAK_RE.search(value.strip()):
            raise ValidationError(self.line_break_message, code="line_break")
        return super().to_python(value)


class NameField(SingleLineMixin, forms.CharField):
    line_break_message = _("Please enter your name on one line.")


class EmailAddressField(SingleLineMixin, forms.EmailField):
    line_break_message = _("Please enter one e-mail address, on one line.")


class ContactForm(forms.Form):
    """What a customer sends. Override the labels in a subclass, or the template, to reword it.

    After `is_valid()`, `spam_reason` holds why the submission is kept as spam ("" if it is not)
    and `token` the checked render token (`spam.TokenCheck`). A form sent too soon after it was
    shown (autofill and paste) is not spam but invalid: the view shows it again to confirm.
    """

    message = MessageField(
        label=_("How can we help?"),
        help_text=_(
            "Describe your question in your own words, with an order number if you have one."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "class": "hc-textarea hc-contact-form__textarea"}),
        error_messages={"required": _("Please tell us how we can help.")},
    )
    name = NameField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "hc-input"}),
        error_messages={"required": _("Please tell us your name.")},
    )
    email = EmailAddressField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "hc-input"}
        ),
        error_messages={
            "required": _("Please enter your e-mail address so that we can reply."),
            "invalid": _("Please enter a valid e-mail address, like name@example.com."),
        },
    )
    # The honeypot: hidden from people and assistive technology, filled in by form-filling bots.
    website = spam.honeypot_field()
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    opened = forms.CharField(required=False, widget=forms.HiddenInput)
    suggestions_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, page, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.spam_reason = ""
        self.token: spam.TokenCheck | None = None
        self.fields["message"].max_length = app_settings.MESSAGE_MAX_LENGTH
        self.fields["message"].widget.attrs.update(
            maxlength=app_settings.MESSAGE_MAX_LENGTH,
            **({} if self.is_bound else {"autofocus": True}),
        )
        topics = page.topic_list
        if topics:
            self.fields["topic"] = forms.ChoiceField(
                label=_("Topic"),
                required=False,
                choices=[("", _("Choose a topic"))] + [(t, t) for t in topics],
                widget=forms.Select(attrs={"class": "hc-input hc-select"}),
            )
            self.order_fields(["message", "name", "email", "topic"])
        self.sent_lengths = {}
        if self.is_bound:
            self.data = self._capped(self.data)

    def _capped(self, data):
        limits = {
            "message": app_settings.MESSAGE_MAX_LENGTH,
            "name": NAME_MAX_LENGTH,
            "email": EMAIL_MAX_LENGTH,
            "website": NAME_MAX_LENGTH,
        }
        data = data.copy()
        for name, limit in limits.items():
            value = data.get(name, "")
            if isinstance(value, str) and len(value) > limit + DISPLAY_SLACK:
                self.sent_lengths[name] = len(value)
                data[name] = value[: limit + DISPLAY_SLACK]
        return data

    def clean_message(self):
        message = self.cleaned_data["message"]
        limit = app_settings.MESSAGE_MAX_LENGTH
        length = self.sent_lengths.get("message", len(message))
        if length > limit:
            raise ValidationError(
                _("Please shorten your message to %(limit)s characters (it has %(length)s)."),
                code="max_length",
                params={"limit": limit, "length": length},
            )
        links = spam.count_links(message)
        if spam.too_many_links(message, app_settings.MAX_LINKS):
            raise ValidationError(
                ngettext(
                    "Please include at most %(limit)s link (your message has %(count)s). You "
                    "can describe the page instead.",
                    "Please include at most %(limit)s links (your message has %(count)s). You "
                    "can describe the pages instead.",
                    app_settings.MAX_LINKS,
                ),
                code="links",
                params={"limit": app_settings.MAX_LINKS, "count": links},
            )
        return message

    def clean_name(self):
        name = self.cleaned_data["name"]
        if spam.count_links(name):
            raise ValidationError(
                _("Please enter just your name, without a web address."), code="link"
            )
        return name

    def clean_opened(self) -> list[int]:
        ids = []
        for part in self.cleaned_data["opened"].split(",")[:MAX_OPENED_ANSWERS]:
            part = part.strip()
            if not (part.isascii() and part.isdigit()):
                continue
            number = int(part)
            if number <= MAX_PAGE_ID and number not in ids:
                ids.append(number)
        return ids

    def clean(self):
        cleaned = super().clean()
        self.token = spam.check_token(cleaned.get("token", ""))
        if self.token.state is spam.TokenState.EXPIRED:
            raise ValidationError(
                _(
                    "This form was open for a long time, so we have not sent it yet. Please "
                    "check your message and send it again."
                ),
                code="expired",
            )
        self.spam_reason = self._spam_reason(cleaned)
        if self.token.state is spam.TokenState.TOO_FAST and not self.spam_reason:
            # Autofill and paste are fast; a person confirms with one more click.
            raise ValidationError(
                _("To be sure that a person is writing, please check your message and press "
                  "“Send message” once more."),
                code="too_fast",
            )
        return cleaned

    def _spam_reason(self, cleaned) -> str:
        if spam.honeypot_filled(cleaned.get("website", "")):
            return spam.SpamReason.HONEYPOT
        return {
            spam.TokenState.MISSING: spam.SpamReason.NO_TOKEN,
            spam.TokenState.FORGED: spam.SpamReason.BAD_TOKEN,
        }.get(self.token.state, "")

    @property
    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    @property
    def needs_new_token(self) -> bool:
        """Sent too long after the form was shown, or too soon: to be confirmed by sending again."""
        return self.token is not None and self.token.state in (
            spam.TokenState.EXPIRED, spam.TokenState.TOO_FAST
        )

    def renew_token(self, error: str = "") -> None:
        """Keep what was typed, with a fresh render token (and an error to show, if any).

        The customer has filled in the form already and may send it again at once, so the new
        token does not count as "too fast".
        """
        self.data = self.data.copy()
        self.data["token"] = spam.issue_filled_token()
        if error:
            self.add_error(None, error)

    def carried_values(self) -> dict[str, str]:
        """The values to carry in hidden fields through the suggestions step."""
        keys = ["message", "name", "email", "topic", "token"]
        return {key: self.cleaned_data.get(key) or "" for key in keys if key in self.fields}

    @classmethod
    def resumed(cls, page, data) -> ContactForm:
        """An unbound form filled with carried values, to change the message before sending."""
        keys = ["message", "name", "email", "topic", "token"]
        return cls(
            page,
            initial={
                key: str(data.get(key, ""))[: app_settings.MESSAGE_MAX_LENGTH] for key in keys
            },
        )


class DeflectionForm(forms.Form):
    """ "This answers my question": the article that helped, or the answer of another search
    source (`source` names it: a forum thread)."""

    article = forms.IntegerField(min_value=1, max_value=MAX_PAGE_ID)
    source = forms.CharField(required=False, max_length=40)
