"""The contact form in the Wagtail admin: the inbox (wagtail-modeladmin), contacts, reports."""

from django.db.models import Count
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.menus import GroupMenuItem, ModelAdminMenuItem
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from helpcenter.modeladmin import HelpCenterModelAdmin
from helpcenter.permissions import PermissionMenuItem
from helpcenter.snippets import HelpCenterSnippetViewSet

from . import admin_urls, inbox_views
from .inbox_views import (
    ContactInspectView,
    ContactPageListFilter,
    SubmissionDeleteView,
    SubmissionHistoryView,
    SubmissionInspectView,
    TopicListFilter,
)
from .models import Contact, SavedReply, Submission
from .notifications import excerpt
from .report_views import REPORT_PERMISSION


class ReadAndChangePermissionHelper(PermissionHelper):
    """Agents read and change status; nobody creates or edits messages in a form.

    Listing needs the model's view or change permission; deleting keeps Django's delete
    permission (the erase_contact command is the usual way).
    """

    def user_can_list(self, user):
        return self.user_has_specific_permission(
            user, self.get_perm_codename("view")
        ) or self.user_has_specific_permission(user, self.get_perm_codename("change"))

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False


class NewMessagesCountMixin:
    """A menu entry with the number of new messages after its label."""

    def render_component(self, request):
        component = super().render_component(request)
        new = Submission.objects.filter(status=Submission.Status.NEW).count()
        if new:
            component.label = f"{self.label} ({new})"
        return component


class InboxGroupMenuItem(NewMessagesCountMixin, GroupMenuItem):
    pass


class InboxMenuItem(NewMessagesCountMixin, ModelAdminMenuItem):
    pass


class SubmissionAdmin(HelpCenterModelAdmin):
    model = Submission
    menu_label = _("Contact messages")
    menu_icon = "mail"
    menu_order = 100
    base_url_path = "contact/messages"
    permission_helper_class = ReadAndChangePermissionHelper
    index_view_extra_css = ["contactform/admin/inbox.css"]
    inspect_view_enabled = True
    inspect_view_class = SubmissionInspectView
    history_view_class = SubmissionHistoryView
    delete_view_class = SubmissionDeleteView
    inspect_template_name = "contactform/admin/submission_inspect.html"
    list_display = (
        "sender",
        "reference",
        "status_tag",
        "received",
        "topic",
        "contact_page",
        "excerpt",
    )
    list_display_add_buttons = "sender"
    list_filter = ("status", "created_at", ContactPageListFilter, TopicListFilter)
    search_fields = ("name", "email", "message")
    search_handler_class = inbox_views.SubmissionSearchHandler
    list_per_page = 50
    list_export = (
        "created_at",
        "status",
        "name",
        "email",
        "topic",
        "page_title",
        "locale",
        "message",
        "confidence",
        "opened_count",
    )
    export_filename = "contact-messages"

    def get_menu_item(self, order=None):
        return InboxMenuItem(self, order or self.get_menu_order())

    def sender(self, submission):
        return format_html(
            '{}<span class="ci-list-email">{}</span>',
            submission.name or _("(no name)"),
            submission.email,
        )

    sender.short_description = _("From")
    sender.admin_order_field = "name"

    def reference(self, submission):
        return submission.reference

    reference.short_description = _("Reference")
    reference.admin_order_field = "pk"

    def status_tag(self, submission):
        primary = " w-status--primary" if submission.status == Submission.Status.NEW else ""
        return format_html(
            '<span class="w-status{}">{}</span>', primary, submission.get_status_display()
        )

    status_tag.short_description = _("Status")
    status_tag.admin_order_field = "status"

    def received(self, submission):
        return date_format(timezone.localtime(submission.created_at), "SHORT_DATETIME_FORMAT")

    received.short_description = _("Received")
    received.admin_order_field = "created_at"

    def contact_page(self, submission):
        return submission.page_title

    contact_page.short_description = _("Contact page")
    contact_page.admin_order_field = "page_title"

    def excerpt(self, submission):
        return excerpt(submission.message, 90)

    excerpt.short_description = _("Message")

    def opened_count(self, submission):
        return len(submission.opened_answers or [])

    opened_count.short_description = _("Answers opened")


class ContactAdmin(HelpCenterModelAdmin):
    model = Contact
    menu_label = _("Contacts")
    menu_icon = "user"
    menu_order = 200
    base_url_path = "contact/contacts"
    permission_helper_class = ReadAndChangePermissionHelper
    inspect_view_enabled = True
    inspect_view_class = ContactInspectView
    inspect_template_name = "contactform/admin/contact_inspect.html"
    list_display = ("email", "name", "message_count", "merged_into", "created_at", "updated_at")
    list_display_add_buttons = "email"
    search_fields = ("name", "email")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_total=Count("submissions"))

    def message_count(self, contact):
        return contact.message_total

    message_count.short_description = _("Messages")
    message_count.admin_order_field = "message_total"


class ContactFormAdminGroup(ModelAdminGroup):
    menu_label = _("Inbox")
    menu_icon = "mail"
    menu_order = 210
    items = (SubmissionAdmin, ContactAdmin)

    def get_menu_item(self):
        submenu = Menu(items=self.get_submenu_items())
        return InboxGroupMenuItem(self, self.get_menu_order(), submenu)


modeladmin_register(ContactFormAdminGroup)


class SavedReplyViewSet(HelpCenterSnippetViewSet):
    """Texts agents insert into replies, per language (Snippets → Saved replies)."""

    model = SavedReply
    icon = "doc-full"
    menu_label = _("Saved replies")
    list_display = ["title", "locale", "updated_at"]
    list_filter = ["locale"]
    search_fields = ["title", "text"]
    form_fields = ["locale", "title", "text"]


register_snippet(SavedReplyViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("contact-reports/", include(admin_urls, namespace="contactform_reports")),
        path(
            "contact/attachments/<str:pk>/",
            inbox_views.download_attachment,
            name=inbox_views.ATTACHMENT_URL_NAME,
        ),
    ]


def _report_menu_item(name: str, label, icon: str, order: int) -> PermissionMenuItem:
    return PermissionMenuItem(
        label,
        reverse(f"contactform_reports:{name}"),
        name=f"contact-{name.replace('_', '-')}",
        icon_name=icon,
        order=order,
        permission=REPORT_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_deflection_rate_report():
    return _report_menu_item("deflection_rate", _("Contact deflection rate"), "success", 1540)


@hooks.register("register_reports_menu_item")
def register_deflecting_articles_report():
    return _report_menu_item("deflecting_articles", _("Articles that deflect most"), "pick", 1550)


@hooks.register("register_reports_menu_item")
def register_content_gaps_report():
    return _report_menu_item("content_gaps", _("Contact content gaps"), "warning", 1560)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("contactform.status", _("Change status"), _("Status changed"))
    actions.register_action("contactform.assign", _("Assign"), _("Assignee changed"))
    actions.register_action("contactform.merge", _("Merge contacts"), _("Contact merged"))
    actions.register_action(
        "contactform.resend", _("Send notification again"), _("Notification sent again")
    )
