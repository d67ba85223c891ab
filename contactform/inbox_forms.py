"""Forms of the inbox: the agent's reply composer and merging two contacts of one person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helpcenter.ids import parse_id

from .models import Contact, Submission, normalise_email
from .notifications import is_safe_address

REPLY_MAX_LENGTH = 20000
AFTER_SENDING = [
    (Submission.Status.ANSWERED, _("Answered: waiting for the customer")),
    (Submission.Status.CLOSED, _("Closed: nothing more to do")),
    (Submission.Status.OPEN, _("Open: we still owe more")),
]


class ReplyForm(forms.Form):
    """The composer: the text, the answers inserted into it, a saved reply to insert and the
    status after sending. Which button was pressed decides what happens (the view)."""

    body = forms.CharField(
        label=_("Reply"),
        required=False,
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    used_answers = forms.CharField(required=False, widget=forms.HiddenInput)
    saved_reply = forms.ChoiceField(label=_("Saved reply"), required=False)
    status_after = forms.ChoiceField(
        label=_("After sending"),
        choices=AFTER_SENDING,
        initial=Submission.Status.ANSWERED,
        required=False,
    )

    def __init__(self, *args, saved_replies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_reply"].choices = [("", _("Choose a saved reply"))] + [
            (str(reply.pk), reply.title) for reply, _text in saved_replies
        ]

    def clean_used_answers(self) -> list[int]:
        ids = (parse_id(part) for part in self.cleaned_data["used_answers"].split(","))
        return list(dict.fromkeys(pk for pk in ids if pk is not None))

    def clean_status_after(self) -> str:
        return self.cleaned_data["status_after"] or Submission.Status.ANSWERED

    def clean_saved_reply(self) -> int | None:
        return parse_id(self.cleaned_data["saved_reply"])

    def require_text(self, submission: Submission, *, to_customer: bool) -> bool:
        """Sending and notes need text; a reply also an address that can take one."""
        if not self.cleaned_data.get("body", "").strip():
            self.add_error("body", _("Write the text first."))
        elif to_customer and submission.status == Submission.Status.SPAM:
            self.add_error(None, _("This message is marked as spam: change its status first."))
        elif to_customer and not is_safe_address(submission.email):
            self.add_error(None, _("The customer's address cannot receive e-mail."))
        return not self.errors


class MergeContactForm(forms.Form):
    """Another contact record of the same person, found by its e-mail address."""

    email = forms.EmailField(label=_("E-mail address of the other record"), max_length=254)
    confirm = forms.BooleanField(
        label=_("Both records belong to the same person"),
        help_text=_("The other record's messages move here; this cannot be undone."),
    )

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean(self):
        if self.contact.merged_into_id:
            raise forms.ValidationError(
                _("This record was merged into another one: merge there instead.")
            )
        return super().clean()

    def clean_email(self) -> Contact:
        other = Contact.objects.filter(email=normalise_email(self.cleaned_data["email"])).first()
        if other is None:
            raise forms.ValidationError(_("There is no contact with this address."))
        other = other.merged_into or other
        if other.pk == self.contact.pk:
            raise forms.ValidationError(_("This address already belongs to this contact."))
        return other
