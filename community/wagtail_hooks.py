"""The forum in the Wagtail admin: editors manage boards and watched words (snippets, per-role
rights); moderators work through the review queue (menu item with a count, dashboard panel);
thread actions are logged, articles list the threads they answer, and the recurring questions
report groups similar threads."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet

from helpcenter.permissions import PermissionMenuItem
from helpcenter.snippets import HelpCenterSnippetViewSet

from . import admin_urls, moderation, promotion, recurring_urls, recurring_views, thread_actions
from .admin_views import SECTION_LABELS
from .models import MODERATE_PERMISSION, Board, ThreadArticle, WatchedWord


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


class SourceThreadsPanel(Panel):
    """On an article's edit page: the forum threads it was written from or linked to, and, on
    a draft written from a thread, the reminder to check it for personal data."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "community/admin/source_threads_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            pk = getattr(self.instance, "pk", None)
            self.links = list(
                ThreadArticle.objects.filter(article_id=pk)
                .select_related("thread__board").order_by("-created_at")
            ) if pk else []

        def is_shown(self):
            return bool(self.links)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["links"] = self.links
            context["check_personal_data"] = not self.instance.first_published_at and any(
                link.origin == ThreadArticle.Origin.PROMOTED for link in self.links
            )
            return context


def add_source_threads_panel(article_model) -> None:
    """Show `SourceThreadsPanel` first on the article editor (CommunityConfig.ready calls this;
    a host whose article model sets its own `edit_handler` adds the panel itself)."""
    if "edit_handler" in article_model.__dict__:
        return
    panels = article_model.content_panels
    if not any(isinstance(panel, SourceThreadsPanel) for panel in panels):
        article_model.content_panels = [
            SourceThreadsPanel(heading=_("Forum threads")), *panels
        ]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("recurring-questions/", include(recurring_urls, namespace="community_recurring"))]


@hooks.register("register_reports_menu_item")
def register_recurring_questions_report():
    return PermissionMenuItem(
        _("Recurring forum questions"),
        reverse("community_recurring:report"),
        name="recurring-forum-questions",
        icon_name="help",
        order=1600,
        permission=recurring_views.REPORT_PERMISSION,
    )


@hooks.register("register_permissions")
def register_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="community",
                                     codename="view_recurring_questions")


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
    for action, label, message in [
        (thread_actions.CLOSE, _("Close thread"), _("Thread closed")),
        (thread_actions.REOPEN, _("Reopen thread"), _("Thread reopened")),
        (thread_actions.PIN, _("Pin thread"), _("Thread pinned")),
        (thread_actions.UNPIN, _("Unpin thread"), _("Thread unpinned")),
        (thread_actions.MOVE, _("Move thread"), _("Thread moved to another board")),
        (thread_actions.MERGE, _("Merge threads"), _("Threads merged")),
        (thread_actions.DUPLICATE, _("Mark thread as duplicate"), _("Thread marked as duplicate")),
        (promotion.PROMOTE, _("Turn thread into article"), _("Draft article written from thread")),
        (promotion.LINK_ARTICLE, _("Link thread to article"), _("Thread linked to an article")),
        (recurring_views.DISMISS, _("Leave thread out of the recurring questions"),
         _("Thread left out of the recurring questions")),
    ]:
        actions.register_action(action, label, message)
