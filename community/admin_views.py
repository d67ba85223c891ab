"""The forum's review queue in the Wagtail admin (registered in wagtail_hooks.py).

One queue for posts awaiting approval, flagged posts and posts held as spam; each item is
reviewed in context (the thread around the post), with the actions of `community.moderation`,
one by one or in bulk. A member's page shows their trust level, their history and the audit log,
and lets a moderator silence or ban them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry

from helpcenter.ids import parse_id
from helpcenter.permissions import PermissionRequiredMixin

from . import moderation, trust
from .forms import PostTextField
from .models import MODERATE_PERMISSION, Flag, MemberProfile, Post, PostState

ITEMS_PER_PAGE = 25
CONTEXT_POSTS = 3
LOG_LIMIT = 50
REASON_MAX_LENGTH = 500
MAX_SILENCE_DAYS = 365
SECTION_LABELS = {
    "": gettext_lazy("Everything"),
    "pending": gettext_lazy("Awaiting approval"),
    "flagged": gettext_lazy("Flagged"),
    "spam": gettext_lazy("Held as spam"),
}


def post_or_404(pk, queryset=Post.objects) -> Post:
    found = queryset.filter(pk=parse_id(pk)).first() if parse_id(pk) else None
    if found is None:
        raise Http404("No such post")
    return found


def _reason(request) -> str:
    return " ".join(request.POST.get("reason", "").replace("\x00", "").split())[
        :REASON_MAX_LENGTH
    ]


class ModerationView(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission = MODERATE_PERMISSION
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items,
                 {"url": reverse("community_moderation:queue"), "label": _("Review queue")}]
        if self.page_title != items[-1]["label"]:
            items.append({"url": "", "label": self.page_title})
        return items


class QueueView(ModerationView, TemplateView):
    template_name = "community/admin/queue.html"
    page_title = gettext_lazy("Review queue")

    def get_context_data(self, **kwargs):
        section = self.request.GET.get("show", "")
        section = section if section in SECTION_LABELS else ""
        items = moderation.queue(section).annotate(
            open_flag_count=Count("flags", filter=Q(flags__state=Flag.State.OPEN))
        )
        page = Paginator(items, ITEMS_PER_PAGE).get_page(self.request.GET.get("p") or 1)
        return super().get_context_data(
            section=section,
            sections=[(key, label, moderation.queue(key).count())
                      for key, label in SECTION_LABELS.items()],
            page_obj=page,
            bulk_actions=[("approve", _("Approve")), ("spam", _("Mark as spam")),
                          ("delete", _("Delete")), ("reject", _("Reject"))],
            **kwargs,
        )


class ReviewView(ModerationView, TemplateView):
    """One post in the thread around it, its flags, its author, and the actions."""

    template_name = "community/admin/review.html"
    page_title = gettext_lazy("Review a post")

    def get_context_data(self, pk, **kwargs):
        post = post_or_404(pk, Post.objects.select_related("thread__board",
                                                           "author__forum_profile"))
        thread = post.thread
        others = thread.posts.exclude(pk=post.pk).select_related("author__forum_profile")
        before = list(others.filter(created_at__lte=post.created_at)
                      .order_by("-created_at", "-pk")[:CONTEXT_POSTS])[::-1]
        after = list(others.filter(created_at__gt=post.created_at)[:CONTEXT_POSTS])
        question = None if post.is_question else thread.posts.filter(is_question=True).first()
        if question is not None and question in before:
            question = None
        return super().get_context_data(
            post=post,
            thread=thread,
            question=question,
            before=before,
            after=after,
            flags=post.flags.select_related("member__forum_profile"),
            author_level=trust.level_of(post.author) if post.author_id else None,
            log_entries=thread_log(thread.pk),
            public_url=thread.url,
            **kwargs,
        )


def thread_log(thread_pk: int):
    """Log entries of the thread's posts and of the thread itself (lock, move, ...)."""
    on_thread = Q(content_type__app_label="community", content_type__model="thread",
                  object_id=str(thread_pk))
    return (ModelLogEntry.objects.filter(Q(data__thread=thread_pk) | on_thread)
            .select_related("user").order_by("-timestamp")[:LOG_LIMIT])


class ActView(ModerationView, View):
    """POST: one action on one post; back to the queue's next item."""

    def post(self, request, pk):
        post = post_or_404(pk, Post.objects.select_related("thread", "author"))
        action = request.POST.get("action", "")
        if done := perform(post, action, request):
            messages.success(request, done)
            return redirect(_next_url(request))
        return redirect("community_moderation:review", post.pk)

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])


def perform(post: Post, action: str, request) -> str:
    """Run `action` on `post`; the message to show, or "" after an error message."""
    user, reason = request.user, _reason(request)
    if action == "edit":
        field = PostTextField()
        try:
            source = field.clean(request.POST.get("text", ""))
        except Exception as error:  # noqa: BLE001 - a ValidationError: shown to the moderator
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return ""
        moderation.edit(post, user, source)
        return _("The post was changed.")
    if error := _invalid(action, request):
        messages.error(request, error)
        return ""
    if action == "restore" and post.state not in (PostState.DELETED, PostState.REJECTED,
                                                  PostState.SPAM):
        messages.error(request, _("Only a deleted, rejected or spam post can be restored."))
        return ""
    function = moderation.ACTIONS[action]
    done = function(post, user, reason) if action in ("reject", "delete") else function(post, user)
    if not done:
        messages.warning(request, _("Nothing changed: the post is already %(state)s.")
                         % {"state": post.get_state_display().lower()})
        return ""
    return {
        "approve": _("The post was approved and is public."),
        "reject": _("The post was rejected; its author is told why."),
        "spam": _("The post and its author's other waiting posts are held as spam."),
        "delete": _("The post was deleted. It can be restored."),
        "restore": _("The post is public again."),
        "ignore": _("The flags were ignored."),
    }[action]


def _invalid(action: str, request) -> str:
    """What is wrong with an action asked for ("" if nothing)."""
    if action not in moderation.ACTIONS:
        return _("Please choose an action.")
    if action in moderation.NEEDS_REASON and not _reason(request):
        return _("Please give the author a reason for the rejection.")
    return ""


def _next_url(request) -> str:
    following = moderation.queue().first()
    if following is not None and request.POST.get("next") != "queue":
        return reverse("community_moderation:review", args=[following.pk])
    return reverse("community_moderation:queue")


class BulkView(ModerationView, View):
    """POST: one action on the chosen queue items."""

    def post(self, request):
        action = request.POST.get("action", "")
        ids = [pk for pk in map(parse_id, request.POST.getlist("ids")) if pk is not None]
        posts = list(Post.objects.filter(pk__in=ids[:ITEMS_PER_PAGE * 4])
                     .select_related("thread", "author"))
        if not posts:
            messages.error(request, _("Please choose one or more posts."))
            return redirect("community_moderation:queue")
        if error := _invalid(action, request):
            messages.error(request, error)
            return redirect("community_moderation:queue")
        done = sum(1 for post in posts if perform(post, action, request))
        if done:
            messages.success(request, ngettext("%(count)d post done.", "%(count)d posts done.",
                                               done) % {"count": done})
        return redirect("community_moderation:queue")

    def get(self, request):
        return HttpResponseNotAllowed(["POST"])


class MemberView(ModerationView, TemplateView):
    """A member as moderators see them: level, history, audit log, silence and ban."""

    template_name = "community/admin/member.html"
    page_title = gettext_lazy("Forum member")

    def member_profile(self, pk) -> MemberProfile:
        pk = parse_id(pk)
        profile = pk and MemberProfile.objects.filter(user_id=pk).select_related("user").first()
        if profile is None:
            raise Http404("No such member")
        return profile

    def get_context_data(self, pk, **kwargs):
        profile = self.member_profile(pk)
        posts = Post.objects.filter(author_id=pk)
        return super().get_context_data(
            profile=profile,
            level=trust.level_of(profile.user),
            counts={state.label: posts.filter(state=state).count() for state in PostState},
            upheld_flags=trust.upheld_flags_against(profile.user),
            silenced=bool(profile.silenced_until and profile.silenced_until > timezone.now()),
            recent_posts=posts.select_related("thread").order_by("-created_at")[:20],
            log_entries=ModelLogEntry.objects.filter(Q(data__member=pk) | Q(
                object_id=str(profile.pk), content_type__model="memberprofile"
            )).select_related("user").order_by("-timestamp")[:LOG_LIMIT],
            **kwargs,
        )

    def post(self, request, pk):
        profile = self.member_profile(pk)
        action, reason = request.POST.get("action", ""), _reason(request)
        if action == "lift":
            moderation.lift(profile, request.user)
            messages.success(request, _("The member may write again."))
        elif action in ("silence", "ban") and not reason:
            messages.error(request, _("Please tell the member why."))
        elif action == "silence":
            days = parse_id(request.POST.get("days", ""))
            if not days or days > MAX_SILENCE_DAYS:
                messages.error(request, _("Please give a number of days from 1 to %(max)d.")
                               % {"max": MAX_SILENCE_DAYS})
            else:
                until = timezone.now() + dt.timedelta(days=days)
                moderation.silence(profile, request.user, until, reason)
                messages.success(request, _("The member is read-only and was told why."))
        elif action == "ban":
            moderation.ban(profile, request.user, reason)
            messages.success(request, _("The member is banned and was told why."))
        else:
            messages.error(request, _("Please choose an action."))
        return redirect("community_moderation:member", pk)
