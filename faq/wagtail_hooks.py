from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from helpcenter.permissions import PermissionMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("help-reports/", include(admin_urls, namespace="faq_reports"))]


@hooks.register("register_reports_menu_item")
def register_popularity_report():
    return PermissionMenuItem(
        _("Article popularity"),
        reverse("faq_reports:popularity"),
        name="article-popularity",
        icon_name="pick",
        order=1400,
        permission="faq.view_articlestats",
    )


@hooks.register("register_reports_menu_item")
def register_feedback_report():
    return PermissionMenuItem(
        _("Article feedback"),
        reverse("faq_reports:feedback"),
        name="article-feedback",
        icon_name="comment",
        order=1410,
        permission="faq.view_articlefeedback",
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="faq", codename__in=["view_articlestats", "view_articlefeedback"]
    )
