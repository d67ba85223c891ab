"""Admin views of the help center base (registered in wagtail_hooks.py): the outbox report.

Every mail of the suite (contact notifications, automatic replies, forum notifications, agent
replies) passes through `helpcenter.outbox`; this report lists them with their state, and lets
staff who may change them send a failed or skipped one again.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log

from . import outbox
from .exports import SpreadsheetSafeExportMixin
from .links import local_redirect_target
from .models import OutgoingMail
from .permissions import PermissionRequiredMixin

VIEW_PERMISSION = "helpcenter.view_outgoingmail"
RESEND_PERMISSION = "helpcenter.change_outgoingmail"


def _kind_choices():
    return [(kind.name, kind.label) for kind in outbox.kinds()]


class OutgoingMailFilterSet(WagtailFilterSet):
    created_at = DateFromToRangeFilter(label=_("Created"), widget=DateRangePickerWidget)
    status = ChoiceFilter(
        label=_("Status"),
        choices=OutgoingMail.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    kind = ChoiceFilter(
        label=_("Kind"), choices=_kind_choices, empty_label=_("All"), widget=forms.RadioSelect
    )

    class Meta:
        model = OutgoingMail
        fields = []


class KindColumn(Column):
    def get_value(self, instance):
        return outbox.kind_label(instance.kind)


class AboutColumn(Column):
    """What the mail is about, linked to its admin page when the user may open it."""

    cell_template_name = "helpcenter/admin/about_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        about = instance.about
        finder = AdminURLFinder(parent_context["request"].user)
        context.update(about=about, about_url=finder.get_edit_url(about) if about else "")
        return context


class ResendColumn(Column):
    cell_template_name = "helpcenter/admin/resend_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(
            mail=instance,
            action=reverse("helpcenter_admin:resend_mail", args=[instance.pk]),
            next_url=request.get_full_path(),
            csrf_token=get_token(request),
            can_resend=outbox.can_resend(instance),
        )
        return context


class OutgoingMailReportView(PermissionRequiredMixin, SpreadsheetSafeExportMixin, ReportView):
    """Every mail of the suite, newest first: what it is, to whom, whether it went out."""

    page_title = _("Outgoing mail")
    header_icon = "mail"
    permission = VIEW_PERMISSION
    model = OutgoingMail
    filterset_class = OutgoingMailFilterSet
    index_url_name = "helpcenter_admin:outgoing_mail"
    index_results_url_name = "helpcenter_admin:outgoing_mail_results"
    is_searchable = True
    search_fields = ["recipients"]
    default_ordering = "-created_at"
    export_filename = "outgoing-mail"
    list_export = [
        "created_at",
        "kind",
        "recipients",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]

    def get_base_queryset(self):
        return OutgoingMail.objects.select_related("content_type")

    @property
    def columns(self):
        columns = [
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
            KindColumn("kind", label=_("Kind")),
            AboutColumn("about", label=_("About")),
            Column("recipients", label=_("To")),
            Column("get_status_display", label=_("Status"), sort_key="status"),
            NumberColumn("attempts", label=_("Attempts")),
            Column("last_error", label=_("Last error")),
        ]
        if self.request.user.has_perm(RESEND_PERMISSION):
            columns.append(ResendColumn("resend", label=_("Actions")))
        return columns


class ResendMailView(PermissionRequiredMixin, View):
    """Send a mail again from scratch (POST), then go back to where the user came from."""

    permission = RESEND_PERMISSION
    http_method_names = ["post"]

    def post(self, request, pk):
        mail = get_object_or_404(OutgoingMail, pk=pk)
        if not outbox.can_resend(mail):
            messages.error(request, gettext("This e-mail cannot be sent again."))
            return HttpResponseRedirect(self.next_url())
        outbox.resend(mail)
        log(instance=mail, action="helpcenter.resend_mail", user=request.user)
        messages.success(request, gettext("The e-mail will be sent shortly."))
        return HttpResponseRedirect(self.next_url())

    def next_url(self) -> str:
        fallback = reverse("helpcenter_admin:outgoing_mail")
        return local_redirect_target(self.request, self.request.POST.get("next", ""), fallback)
