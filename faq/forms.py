from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from helpcenter import ratelimit, visitors

from .conf import app_settings


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Please choose Yes or No.")},
    )
    comment = forms.CharField(
        label=_("What was missing or unclear?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = app_settings.FEEDBACK_COMMENT_MAX_LENGTH
        self.fields["comment"].max_length = limit
        self.fields["comment"].validators.append(MaxLengthValidator(limit))

    def clean_comment(self):
        return self.cleaned_data["comment"].replace("\x00", "").strip()

    def within_rate_limit(self, request) -> bool:
        return ratelimit.allow(
            "faq-feedback",
            visitors.client_address(request),
            app_settings.FEEDBACK_RATE_LIMIT_PER_HOUR,
            3600,
        )
