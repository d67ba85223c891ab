"""The forum: boards editors manage, threads and posts members write, votes and member profiles.

Threads and posts are plain Django models, not pages: a forum holds far more of them than an
editor's page tree should. The forum page (one per language) is the Wagtail page that serves them.
"""

import hashlib

import swapper
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from .member_routes import MemberRoutesMixin

swapper.set_app_prefix("wagtailcore", "wagtail")
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")
MODERATE_PERMISSION = "community.moderate_forum"


class ForumPageMixin(MemberRoutesMixin, RoutablePageMixin, models.Model):
    """The community forum of one language: thread lists, threads, the composer, profiles.

    Override `get_context` to add to what the forum pages show, or a route to change the flow
    (community/views.py does the work).
    """

    intro = models.CharField(
        _("introduction"),
        max_length=255,
        blank=True,
        help_text=_("Shown above the thread list."),
    )

    forum_panels = [FieldPanel("intro")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from faq.listings import help_center_of

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("help_center", help_center_of(self))
        context.setdefault("forum", self)
        return context

    def forum_url(self, request=None, name: str = "", *args, **kwargs) -> str:
        """The address of one of this page's routes (`name` "" is the thread list)."""
        url = self.get_url(request) or self.url or "/"
        if not name:
            return url
        return url + self.reverse_subpage(name, args=args, kwargs=kwargs)

    @path("", name="threads")
    def threads_view(self, request):
        from . import views

        return views.thread_list(self, request)

    @path("boards/<slug:slug>/", name="board")
    def board_view(self, request, slug):
        from . import views

        return views.thread_list(self, request, board_slug=slug)

    @path("new/", name="compose")
    def compose_view(self, request):
        from . import views

        return views.compose(self, request)

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-\w]*)/$", name="thread")
    def thread_view(self, request, pk, slug):
        from . import views

        return views.thread_page(self, request, int(pk), slug)

    @path("<int:pk>/", name="thread_short")
    def thread_short_view(self, request, pk):
        from . import views

        return views.thread_page(self, request, pk, None)

    @path("<int:pk>/reply/", name="reply")
    def reply_view(self, request, pk):
        from . import views

        return views.reply(self, request, pk)

    @path("<int:pk>/actions/<slug:action>/", name="thread_action")
    def thread_action_view(self, request, pk, action):
        from . import action_views

        return action_views.thread_action(self, request, pk, action)

    @path("<int:pk>/promote/", name="promote")
    def promote_view(self, request, pk):
        from . import action_views

        return action_views.promote(self, request, pk)

    @path("posts/<int:pk>/edit/", name="edit")
    def edit_view(self, request, pk):
        from . import views

        return views.edit_post(self, request, pk)

    @path("posts/<int:pk>/delete/", name="delete")
    def delete_view(self, request, pk):
        from . import views

        return views.delete_post(self, request, pk)

    @path("posts/<int:pk>/accept/", name="accept")
    def accept_view(self, request, pk):
        from . import views

        return views.accept(self, request, pk)

    @path("posts/<int:pk>/vote/", name="vote")
    def vote_view(self, request, pk):
        from . import views

        return views.vote(self, request, pk)

    @path("<int:pk>/title/", name="retitle")
    def retitle_view(self, request, pk):
        from . import moderation_views

        return moderation_views.retitle(self, request, pk)

    @path("posts/<int:pk>/flag/", name="flag")
    def flag_view(self, request, pk):
        from . import moderation_views

        return moderation_views.flag(self, request, pk)

    @path("posts/<int:pk>/history/", name="history")
    def history_view(self, request, pk):
        from . import views

        return views.history(self, request, pk)

    @path("members/<int:pk>/", name="member")
    def member_view(self, request, pk):
        from . import views

        return views.member(self, request, pk)

    @path("profile/", name="profile")
    def profile_view(self, request):
        from . import views

        return views.edit_profile(self, request)

    @path("deflect/", name="deflect")
    def deflect_view(self, request):
        from . import views

        return views.deflect(self, request)


class ForumPage(ForumPageMixin, Page):  # noqa: DJ008 (Page has __str__)
    template = "community/forum_page.html"
    parent_page_types = ["helpcenter.HelpCenterPage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = Page.content_panels + ForumPageMixin.forum_panels

    class Meta:
        verbose_name = _("community forum page")
        verbose_name_plural = _("community forum pages")


class PostState(models.TextChoices):
    """What the public sees of a post or thread; moderation (community.moderation) moves between
    them. Only APPROVED is public; DELETED is soft and a moderator may restore it."""

    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden after flags")
    SPAM = "spam", _("Held as spam")
    DELETED = "deleted", _("Deleted")


class ReviewReason(models.TextChoices):
    """Why a post waits in the review queue."""

    NONE = "", _("None")
    FIRST_POST = "first-post", _("A new member's first post")
    LINKS = "links", _("More links than the member's trust level allows")
    WATCHED_WORD = "watched-word", _("A watched word")
    FLAGS = "flags", _("Flagged by the community")
    SPAM = "spam", _("Marked as spam by a moderator")
    SPAM_SIGNAL = "spam-signal", _("Caught by a spam signal")


class Board(models.Model):
    """A section of the forum in one language, e.g. "Frames & fit"."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    description = models.CharField(_("description"), max_length=255, blank=True)
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.ForeignKey(
        PAGE_MODEL,
        verbose_name=_("knowledge base category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the help topic this board is about."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("locale"),
        FieldPanel("order"),
        FieldPanel("category"),
    ]

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["locale", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="community_board_slug_unique")
        ]

    def __str__(self):
        return self.name


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(state=PostState.APPROVED)

    def searchable(self):
        """Visible threads the help search shows: not duplicates, not answered by a live article
        (the article is found instead)."""
        return self.visible().filter(
            duplicate_of__isnull=True, duplicate_of_article__isnull=True
        ).exclude(article_links__article__live=True)

    def in_language(self, language_code: str):
        return self.filter(board__locale__language_code=language_code)


class Thread(models.Model):
    """A question (or a discussion) and its replies; the question is its first post."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        DISCUSSION = "discussion", _("Discussion")

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="threads"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PostState.choices, default=PostState.APPROVED,
        db_index=True,
    )
    locked = models.BooleanField(_("locked"), default=False)
    lock_reason = models.CharField(
        _("reason for closing"), max_length=255, blank=True,
        help_text=_("Shown on the thread while it is closed."),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of thread"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    duplicate_of_article = models.ForeignKey(
        PAGE_MODEL, verbose_name=_("duplicate of article"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    left_out_of_reports = models.BooleanField(
        _("left out of the recurring questions report"), default=False,
    )
    accepted_post = models.ForeignKey(
        "Post",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    vote_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="forum_thread")

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["state", "-last_activity_at"], name="community_thread_latest"),
            models.Index(fields=["board", "state", "-last_activity_at"],
                         name="community_thread_board"),
        ]
        permissions = [
            ("moderate_forum", _("Can moderate the community forum")),
            ("view_recurring_questions", _("Can see the recurring forum questions")),
        ]

    def __str__(self):
        return self.title

    @property
    def solved(self) -> bool:
        return self.accepted_post_id is not None

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of_id or self.duplicate_of_article_id)

    @property
    def url_part(self) -> str:
        return f"{self.pk}-{self.slug}/" if self.slug else f"{self.pk}/"

    @property
    def url(self) -> str:
        """The thread's address on its language's forum page ("" without a live forum page)."""
        from .links import thread_url

        return thread_url(self) or ""


class ThreadArticle(models.Model):
    """A knowledge-base article that answers a thread: promoted from it, or linked to it."""

    class Origin(models.TextChoices):
        PROMOTED = "promoted", _("Written from the thread")
        LINKED = "linked", _("Linked to an existing article")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="article_links"
    )
    article = models.ForeignKey(
        PAGE_MODEL, verbose_name=_("article"), on_delete=models.CASCADE,
        related_name="source_threads",
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("thread answered by an article")
        verbose_name_plural = _("threads answered by articles")
        constraints = [
            models.UniqueConstraint(fields=["thread", "article"],
                                    name="community_thread_article_unique")
        ]

    def __str__(self):
        return f"{self.thread_id} → {self.article_id}"


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(state=PostState.APPROVED)

    def replies(self):
        return self.filter(is_question=False)


class Post(models.Model):
    """A thread's question or one reply, written in Markdown and stored rendered as well."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    is_question = models.BooleanField(_("is the question"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=PostState.choices, default=PostState.APPROVED,
        db_index=True,
    )
    source = models.TextField(_("text (Markdown)"))
    html = models.TextField(_("text (HTML)"), editable=False)
    vote_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    edit_count = models.PositiveIntegerField(_("edits"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # The mails about this post (helpcenter.outbox): deleted with it.
    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="forum_post")
    review_reason = models.CharField(
        _("why it is reviewed"), max_length=20, choices=ReviewReason.choices, blank=True,
        default=ReviewReason.NONE,
    )
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)

    objects = PostQuerySet.as_manager()
    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="forum_post")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "state", "created_at"], name="community_post_thread"),
            models.Index(fields=["author", "state"], name="community_post_author"),
        ]

    def __str__(self):
        return self.source[:60]

    @property
    def visible(self) -> bool:
        return self.state == PostState.APPROVED


class PostRevision(models.Model):
    """A post's text (and for a question its title) before an edit."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    source = models.TextField(_("text (Markdown)"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One member found one post helpful."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="community_one_vote_per_member")
        ]

    def __str__(self):
        return f"{self.member_id} → {self.post_id}"


AVATAR_COLOURS = ["#1d4ed8", "#047857", "#b45309", "#9333ea", "#be123c", "#0e7490", "#4d7c0f"]


class MemberProfile(models.Model):
    """What the forum shows of a member: a display name (never the login or e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="forum_profile",
    )
    display_name = models.CharField(_("display name"), max_length=40, unique=True)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    language = models.CharField(
        _("e-mail language"), max_length=12, blank=True,
        help_text=_("The language the forum writes to the member in (the last one they used)."),
    )
    mention_mails = models.BooleanField(_("e-mail me when mentioned"), default=True)
    trust_level = models.PositiveSmallIntegerField(
        _("trust level"), default=0, help_text=_("0 new, 1 member, 2 regular (community.trust)")
    )
    silenced_until = models.DateTimeField(_("read-only until"), null=True, blank=True)
    banned = models.BooleanField(_("banned"), default=False)
    sanction_reason = models.CharField(_("why restricted"), max_length=500, blank=True)
    mails = GenericRelation("helpcenter.OutgoingMail", related_query_name="forum_member")

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    @property
    def initials(self) -> str:
        words = [word for word in self.display_name.split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in words[:2]) or self.display_name[:1]
        return letters.upper() or "?"

    @property
    def avatar_colour(self) -> str:
        digest = hashlib.blake2b(self.display_name.encode(), digest_size=2).digest()
        return AVATAR_COLOURS[int.from_bytes(digest) % len(AVATAR_COLOURS)]


def forum_page_model() -> type[Page]:
    from django.apps import apps

    from .conf import app_settings

    return apps.get_model(app_settings.PAGE_MODEL)


from .moderation_models import Flag, WatchedWord  # noqa: E402, F401 - models of this app
from .subscription_models import Subscription  # noqa: E402, F401 - a model of this app
