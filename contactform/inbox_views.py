"""The inbox's views (registered in wagtail_hooks.py): a conversation with the reply composer,
a contact with their timeline, and the list filters.

The inbox is a wagtail-modeladmin `ModelAdmin`; its detail ("inspect") view shows the
conversation and takes the agent's POSTs: the composer (insert an answer block or a saved reply,
send the reply, add an internal note), a status change, an assignee, a notification to send
again. Without JavaScript an insert re-renders the page with the text in the composer;
`contactform/admin/composer.js` does the same in place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.auth import permission_denied
from wagtail.log_actions import log
from wagtail_modeladmin.helpers import DjangoORMSearchHandler

from helpcenter import outbox, timeline
from helpcenter.ids import parse_id
from helpcenter.modeladmin import (
    HelpCenterDeleteView,
    HelpCenterHistoryView,
    HelpCenterInspectView,
)
from helpcenter.models import OutgoingMail

from . import notifications, replies
from .contacts import merge_contacts
from .inbox_forms import MergeContactForm, ReplyForm
from .models import Attachment, Submission
from .references import number_in
from .report_views import REPORT_PERMISSION, contact_page_choices

CHANGE_PERMISSION = "contactform.change_submission"
CONTACT_URL_NAME = "contact_contacts_modeladmin_inspect"
ATTACHMENT_URL_NAME = "contactform_attachment"
HISTORY_LIMIT = 50


class SubmissionTitleMixin:
    """The sender as the page subtitle (the model's str() holds raw message text)."""

    def get_page_subtitle(self):
        submission = self.instance
        return notifications.excerpt(submission.name or submission.email, 60)


class SubmissionHistoryView(SubmissionTitleMixin, HelpCenterHistoryView):
    pass


class SubmissionDeleteView(SubmissionTitleMixin, HelpCenterDeleteView):
    pass


def agents():
    """Active users who may answer conversations: the choices of "Assigned to"."""
    permission = Permission.objects.filter(
        content_type__app_label="contactform", codename="change_submission"
    ).first()
    users = get_user_model().objects.filter(is_active=True)
    if permission is None:
        return users.filter(is_superuser=True)
    return users.filter(
        Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission)
    ).distinct().order_by("first_name", "last_name", get_user_model().USERNAME_FIELD)


class SubmissionInspectView(SubmissionTitleMixin, HelpCenterInspectView):
    """One conversation: read it, answer it, note, assign, change its status, see what was sent."""

    page_title = gettext_lazy("Message from")

    def post(self, request, *args, **kwargs):
        if not self.can_change:
            return permission_denied(request)
        action = request.POST.get("action")
        if action == "compose":
            return self.compose()
        if action == "status":
            self.change_status(request.POST.get("status", ""))
        elif action == "assign":
            self.assign(request.POST.get("assignee", ""))
        elif action == "resend":
            self.resend(request.POST.get("mail", ""))
        else:
            messages.error(request, _("Unknown action."))
        return self.back()

    def back(self):
        return redirect(self.url_helper.get_action_url("inspect", self.instance.pk))

    @cached_property
    def can_change(self) -> bool:
        return self.request.user.has_perm(CHANGE_PERMISSION)

    @cached_property
    def saved_replies(self):
        return replies.saved_replies(self.instance, self.request.user)

    @cached_property
    def answer_blocks(self):
        return replies.answer_blocks(self.instance)

    def compose(self):
        """The composer's buttons: insert a block or a saved reply, send, or keep a note."""
        post = self.request.POST
        form = ReplyForm(post, saved_replies=self.saved_replies)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reply_form=form))
        data = form.cleaned_data
        if "insert_answer" in post:
            return self.insert_answer(form, parse_id(post["insert_answer"]))
        if "insert_saved" in post:
            return self.insert_saved_reply(form, data["saved_reply"])
        to_customer = "send" in post
        if not form.require_text(self.instance, to_customer=to_customer):
            return self.render_to_response(self.get_context_data(reply_form=form))
        if to_customer:
            replies.send_reply(
                self.instance,
                body=data["body"],
                author=self.request.user,
                used_answers=data["used_answers"],
                status=data["status_after"],
            )
            messages.success(self.request, _("Your reply was sent to the customer."))
        else:
            replies.add_note(self.instance, body=data["body"], author=self.request.user)
            messages.success(self.request, _("Your internal note was added."))
        return self.back()

    def insert_answer(self, form, pk):
        block = next((block for block in self.answer_blocks if block.id == pk), None)
        data = form.cleaned_data
        if block is not None:
            data["body"] = replies.insert(data["body"], block.text)
            data["used_answers"] = [*data["used_answers"], block.id]
        return self.render_composer(data)

    def insert_saved_reply(self, form, pk):
        data = form.cleaned_data
        text = next((text for reply, text in self.saved_replies if reply.pk == pk), None)
        if text is not None:
            data["body"] = replies.insert(data["body"], text)
        return self.render_composer(data)

    def render_composer(self, data):
        initial = {**data, "used_answers": ",".join(str(pk) for pk in data["used_answers"])}
        initial["saved_reply"] = ""
        form = ReplyForm(initial=initial, saved_replies=self.saved_replies)
        return self.render_to_response(self.get_context_data(reply_form=form))

    def change_status(self, status: str) -> None:
        if status not in Submission.Status.values:
            messages.error(self.request, _("Choose one of the listed statuses."))
            return
        if status == self.instance.status:
            return
        replies.set_status(self.instance, status, self.request.user)
        messages.success(
            self.request,
            _("Status changed to “%(status)s”.") % {"status": self.instance.get_status_display()},
        )

    def assign(self, value: str) -> None:
        pk = parse_id(value)
        agent = agents().filter(pk=pk).first() if pk else None
        if value and agent is None:
            messages.error(self.request, _("Choose one of the listed agents."))
            return
        replies.assign(self.instance, agent, self.request.user)
        messages.success(self.request, _("The assignment was saved."))

    def resend(self, mail_id: str) -> None:
        pk = parse_id(mail_id)
        mail = replies.mails_of(self.instance).filter(pk=pk).first() if pk else None
        if mail is None or not outbox.can_resend(mail):
            messages.error(self.request, _("This e-mail cannot be sent again."))
            return
        outbox.resend(mail)
        log(
            instance=self.instance,
            action="contactform.resend",
            user=self.request.user,
            data={"kind": outbox.kind_label(mail.kind)},
        )
        mail.refresh_from_db()
        if mail.status == OutgoingMail.Status.SENT:
            messages.success(self.request, _("The e-mail was sent."))
        elif mail.last_error and mail.attempts:
            messages.warning(
                self.request,
                _("Not sent yet (%(error)s); it will be retried.")
                % {"error": mail.last_error[:200]},
            )
        else:
            messages.success(self.request, _("The e-mail will be sent shortly."))

    def get_context_data(self, reply_form=None, **kwargs):
        submission = self.instance
        contacts_history = Submission.objects.filter(contact_id=submission.contact_id)
        history = list(contacts_history.order_by("-created_at")[:HISTORY_LIMIT])
        for item in history:
            item.inspect_url = self.url_helper.get_action_url("inspect", item.pk)
            item.excerpt = notifications.excerpt(item.message, 120)
        mail_rows = [
            {
                "mail": mail,
                "label": outbox.kind_label(mail.kind),
                "recipients": [address for address in mail.recipients.split(", ") if address],
                "can_resend": self.can_change and outbox.can_resend(mail),
            }
            for mail in replies.mails_of(submission)
        ]
        contact_url = ""
        if self.request.user.has_perm("contactform.view_contact"):
            contact_url = reverse(CONTACT_URL_NAME, args=[submission.contact_id])
        if reply_form is None and self.can_change:
            reply_form = ReplyForm(saved_replies=self.saved_replies)
        return super().get_context_data(
            submission=submission,
            message=notifications.clean_text(submission.message),
            language=dict(settings.LANGUAGES).get(submission.locale, submission.locale),
            answers=self.answer_rows(submission),
            answer_blocks=self.answer_blocks,
            saved_replies=self.saved_replies,
            reply_form=reply_form,
            **conversation_context(submission),
            agents=agents() if self.can_change else [],
            mail_rows=mail_rows,
            history=history,
            history_total=contacts_history.count(),
            contact_url=contact_url,
            status_choices=Submission.Status.choices,
            can_change=self.can_change,
            **kwargs,
        )

    def answer_rows(self, submission: Submission) -> list[dict]:
        rows = []
        for answer in notifications.answers_for(submission):
            edit_url = reverse("wagtailadmin_pages:edit", args=[answer.id]) if answer.exists else ""
            rows.append({"answer": answer, "edit_url": edit_url})
        return rows


class SubmissionSearchHandler(DjangoORMSearchHandler):
    """The inbox's search: a reference number ("#HC-42", "hc-42") finds its conversation;
    anything else searches name, e-mail and message."""

    def search_queryset(self, queryset, search_term, **kwargs):
        number = number_in(search_term or "")
        if number is not None:
            return queryset.filter(pk=number)
        return super().search_queryset(queryset, search_term, **kwargs)


def conversation_context(submission: Submission) -> dict:
    """The entries that followed the opening message (e-mail replies, agents' replies, notes)
    and the attachments, each with its download link (agents only, see `download_attachment`)."""
    attachments = list(submission.attachments.all())
    for attachment in attachments:
        attachment.download_url = reverse(ATTACHMENT_URL_NAME, args=[attachment.pk])
    entries = list(
        submission.entries.select_related("author").prefetch_related("used_answers", "mails")
    )
    for entry in entries:
        entry.body_text = notifications.clean_text(entry.body)
        entry.files = [item for item in attachments if item.entry_id == entry.pk]
    return {
        "entries": entries,
        "message_attachments": [item for item in attachments if item.entry_id is None],
    }


def download_attachment(request, pk: str):
    """An e-mail's attachment, for agents who may read the inbox: always a download
    (`Content-Disposition: attachment`, generic type, sandboxed), never shown in the admin."""
    if not request.user.has_perm(REPORT_PERMISSION):
        return permission_denied(request)
    attachment = get_object_or_404(Attachment, pk=parse_id(pk) or 0)
    try:
        content = attachment.file.open("rb")
    except OSError as error:
        raise Http404(_("The file of this attachment is missing.")) from error
    response = FileResponse(
        content,
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ContactInspectView(HelpCenterInspectView):
    """One customer: their timeline across channels (filter `?channel=`), and merging another
    record of the same person into this one."""

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("contactform.change_contact"):
            return permission_denied(request)
        form = MergeContactForm(request.POST, contact=self.instance)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(merge_form=form))
        moved = merge_contacts(self.instance, form.cleaned_data["email"], request.user)
        messages.success(
            request,
            ngettext(
                "The records were merged; %(count)s message moved here.",
                "The records were merged; %(count)s messages moved here.",
                moved,
            )
            % {"count": moved},
        )
        return redirect(self.url_helper.get_action_url("inspect", self.instance.pk))

    def get_context_data(self, merge_form=None, **kwargs):
        contact = self.instance
        channels = timeline.channels()
        channel = self.request.GET.get("channel", "")
        channel = channel if channel in channels else ""
        can_merge = self.request.user.has_perm("contactform.change_contact")
        if merge_form is None and can_merge and contact.merged_into_id is None:
            merge_form = MergeContactForm(contact=contact)
        return super().get_context_data(
            contact=contact,
            addresses=contact.addresses,
            items=timeline.timeline(contact.addresses, channel=channel),
            channels=channels,
            channel=channel,
            merge_form=merge_form,
            merged_into_url=(
                self.url_helper.get_action_url("inspect", contact.merged_into_id)
                if contact.merged_into_id
                else ""
            ),
            **kwargs,
        )


# Inbox filters ---------------------------------------------------------------------------------


class ContactPageListFilter(SimpleListFilter):
    """The contact pages messages came from (not every page of the site)."""

    title = gettext_lazy("contact page")
    parameter_name = "page"

    def lookups(self, request, model_admin):
        return contact_page_choices()

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        known = {pk for pk, _title in contact_page_choices()}
        return queryset.filter(page_id=int(value)) if value in known else queryset.none()


class TopicListFilter(SimpleListFilter):
    """The topics customers chose (only shown when some page asks for one)."""

    title = gettext_lazy("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        topics = (
            Submission.objects.exclude(topic="")
            .order_by("topic")
            .values_list("topic", flat=True)
            .distinct()
        )
        return [(topic, notifications.excerpt(topic, 60)) for topic in topics]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(topic=value)

