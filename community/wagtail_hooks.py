"""The forum in the Wagtail admin: editors manage boards and watched words (snippets, per-role
rights); moderators work through the review queue (menu item with a count, dashboard panel)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet

from helpcenter.permissions import PermissionMenuItem
from helpcenter.snippets import HelpCenterSnippetViewSet

from . import admin_urls, moderation
from .admin_views import SECTION_LABELS
from .models import MODERATE_PERMISSION, Board, WatchedWord


class BoardViewSet(HelpCenterSnippetViewSet):
    model = Board
    icon = "group"
    menu_label = _("Forum boards")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "locale", "order", "description"]
    list_filter = ["locale"]
    ordering = ["locale", "order", "name"]


register_snippet(BoardViewSet)


class WatchedWordViewSet(HelpCenterSnippetViewSet):
    model = WatchedWord
    icon = "warning"
    menu_label = _("Watched words")
    list_display = ["phrase", "action", "created_at"]
    list_filter = ["action"]
    ordering = ["phrase"]


register_snippet(WatchedWordViewSet)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("forum-review/", include(admin_urls, namespace="community_moderation"))]


class ReviewQueueMenuItem(PermissionMenuItem):
    """The review queue, with the number of waiting items after its label."""

    def render_component(self, request):
        component = super().render_component(request)
        if waiting := moderation.waiting_count():
            component.label = f"{self.label} ({waiting})"
        return component


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Review queue"), reverse("community_moderation:queue"), name="forum-review-queue",
        icon_name="warning", order=305, permission=MODERATE_PERMISSION,
    )


class ReviewQueuePanel(Component):
    """The dashboard's "Forum review" panel: what waits, by section, for moderators."""

    name = "forum_review_queue"
    order = 120
    template_name = "community/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"sections": [(key, label, moderation.queue(key).count())
                             for key, label in SECTION_LABELS.items() if key]}


@hooks.register("construct_homepage_panels")
def add_review_queue_panel(request, panels):
    if request.user.has_perm(MODERATE_PERMISSION):
        panels.append(ReviewQueuePanel())


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in [
        ("approve", _("Approve post"), _("Post approved")),
        ("reject", _("Reject post"), _("Post rejected")),
        ("spam", _("Mark post as spam"), _("Post held as spam")),
        ("delete", _("Delete post"), _("Post deleted")),
        ("restore", _("Restore post"), _("Post restored")),
        ("ignore_flags", _("Ignore flags"), _("Flags ignored")),
        ("edit", _("Edit post"), _("Post edited by a moderator")),
        ("silence", _("Make member read-only"), _("Member made read-only")),
        ("ban", _("Ban member"), _("Member banned")),
        ("lift", _("Let member write again"), _("Member may write again")),
    ]:
        actions.register_action(f"community.{action}", label, message)
