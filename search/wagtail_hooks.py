from django import forms
from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from helpcenter.permissions import PermissionMenuItem
from helpcenter.snippets import HelpCenterSnippetViewSet

from . import admin_urls, learning
from .admin_views import PERMISSION
from .models import LearnedPhrasing, Synonym


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("help-search/", include(admin_urls, namespace="helpcenter_search_admin"))]


def _report_menu_item(name: str, label, icon: str, order: int) -> MenuItem:
    return PermissionMenuItem(
        label,
        reverse(f"helpcenter_search_admin:{name}"),
        name=f"search-{name.replace('_', '-')}",
        icon_name=icon,
        order=order,
        permission=PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_top_searches_report():
    return _report_menu_item("top_searches", _("Top searches"), "search", 1500)


@hooks.register("register_reports_menu_item")
def register_searches_without_results_report():
    return _report_menu_item("without_results", _("Searches without results"), "warning", 1510)


@hooks.register("register_reports_menu_item")
def register_searches_without_clicks_report():
    return _report_menu_item("without_clicks", _("Searches without clicks"), "help", 1520)


@hooks.register("register_reports_menu_item")
def register_clicked_results_report():
    return _report_menu_item("clicked_results", _("Clicked results"), "link", 1530)


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="search", codename__in=["view_query", "change_query"]
    )


class SynonymViewSet(HelpCenterSnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Synonyms")
    menu_name = "synonyms"
    list_display = ["line", "locale", "active", "updated_at"]
    list_filter = ["locale", "active"]
    search_fields = ["line", "note"]
    form_fields = ["locale", "line", "note", "active"]


class ReviewOnlyPolicy(ModelPermissionPolicy):
    """Learned phrasings come from customers' searches: editors review them, nobody adds one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(LearnedPhrasing, ReviewOnlyPolicy(LearnedPhrasing))


class LearnedPhrasingViewSet(HelpCenterSnippetViewSet):
    """Searches that led enough customers to an article (search.learning): approve one to have
    it searched like an example question of the article, reject it to keep it out."""

    model = LearnedPhrasing
    icon = "openquote"
    menu_label = _("Learned phrasings")
    menu_name = "learned-phrasings"
    list_display = ["query", "page", "visitors", "status", "last_seen_at"]
    list_filter = ["status"]
    search_fields = ["query__text"]
    panels = [FieldPanel("status", widget=forms.RadioSelect)]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return learning.listed()


class HelpSearchViewSetGroup(SnippetViewSetGroup):
    items = (SynonymViewSet, LearnedPhrasingViewSet)
    menu_label = _("Help search")
    # Not "help-…": Wagtail's sidebar opens every submenu whose name starts another's path,
    # so "help-search" would open the "help" menu with it.
    menu_name = "search-admin"
    menu_icon = "search"
    menu_order = 250
    # Menu items returned by this hook join the group (the query tester, a host's own tools).
    submenu_hook = "register_help_search_menu_item"


register_snippet(HelpSearchViewSetGroup)


@hooks.register("register_help_search_menu_item")
def register_query_tester_menu_item():
    return PermissionMenuItem(
        _("Query tester"),
        reverse("helpcenter_search_admin:query_tester"),
        name="search-query-tester",
        icon_name="search",
        order=200,
        permission=PERMISSION,
    )
