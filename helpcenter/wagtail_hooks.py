from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_urls
from .admin_views import VIEW_PERMISSION
from .permissions import PermissionMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("help-center/", include(admin_urls, namespace="helpcenter_admin"))]


@hooks.register("register_reports_menu_item")
def register_outgoing_mail_report():
    return PermissionMenuItem(
        _("Outgoing mail"),
        reverse("helpcenter_admin:outgoing_mail"),
        name="outgoing-mail",
        icon_name="mail",
        order=1600,
        permission=VIEW_PERMISSION,
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="helpcenter",
        codename__in=["view_outgoingmail", "change_outgoingmail"],
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "helpcenter.resend_mail", _("Send e-mail again"), _("E-mail sent again")
    )
