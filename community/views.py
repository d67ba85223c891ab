"""The forum over HTTP. `ForumPageMixin`'s routes call these functions.

Reading is open to everyone; writing needs a login (Django's LOGIN_URL). Every form is a POST
with Django's CSRF protection; the rules (who may edit, accept, ...) live in `posting`, which
raises PermissionDenied (403) or ForumError (a message, and the member's text shown again).
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from helpcenter import spam, visitors

from . import composer, flags, listings, posting, promotion, subscriptions, thread_actions
from .conf import app_settings
from .forms import DeflectionForm, EditForm, ProfileForm, ReplyForm, ThreadForm
from .markup import quote
from .members import display_name, is_moderator, profile_of
from .models import Board, Flag, MemberProfile, Post, PostState, Thread
from .moderation import ForumRefusal, check_may_write
from .structured_data import thread_json_ld

AUTHOR_SEES = (PostState.PENDING, PostState.HIDDEN, PostState.SPAM)  # "awaiting review"
VIEWED_SESSION_KEY = "community_viewed"
MAX_REMEMBERED_VIEWS = 200
POST_ANYWAY = "post_anyway"


def _render(page, request, template: str, context: dict, status: int = 200):
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    return response


def _login_first(page, request, next_url: str | None = None):
    return redirect_to_login(next_url or request.get_full_path())


# Thread lists ----------------------------------------------------------------------------------


def thread_list(page, request, board_slug: str | None = None):
    board = None
    if board_slug is not None:
        board = Board.objects.filter(locale=page.locale, slug=board_slug).first()
        if board is None:
            raise Http404("No such board")
    tab = request.GET.get("tab", "latest")
    tab = tab if tab in listings.TABS else "latest"
    threads = listings.thread_page(page.locale, tab, board, request.GET.get("page") or 1)
    return _render(page, request, "community/forum_page.html", {
        "boards": listings.boards_in(page.locale),
        "board": board,
        "board_level": subscriptions.board_level(request.user, board) if board else "",
        "tab": tab,
        "tabs": tab_labels(),
        "threads_page": threads,
    })


def tab_labels():
    return [
        ("latest", _("Latest")),
        ("unanswered", _("Unanswered")),
        ("solved", _("Solved")),
        ("top", _("Top")),
    ]


# A thread --------------------------------------------------------------------------------------


def find_thread(page, request, pk: int) -> Thread:
    thread = (
        Thread.objects.filter(pk=pk, board__locale=page.locale)
        .select_related("board", "author__forum_profile")
        .annotate(answered_in_id=promotion.answering_article_id())
        .first()
    )
    if thread is None or not (
        thread.state == PostState.APPROVED or is_moderator(request.user)
        or (thread.author_id == request.user.pk and thread.state in AUTHOR_SEES)
    ):
        raise Http404("No such thread")
    return thread


def thread_url(page, request, thread: Thread) -> str:
    return page.forum_url(request) + thread.url_part


def thread_page(page, request, pk: int, slug: str | None):
    try:
        thread = find_thread(page, request, pk)
    except Http404:
        thread = Thread.objects.filter(pk=pk, board__locale=page.locale,
                                       merged_into__isnull=False).first()
        if thread is None:
            raise
    if thread.merged_into_id:
        return redirect(thread_url(page, request, thread.merged_into), permanent=True)
    if (slug or "") != thread.slug and request.method in ("GET", "HEAD"):
        target = thread_url(page, request, thread)
        if request.GET:
            target += "?" + request.GET.urlencode()
        return redirect(target, permanent=True)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = ReplyForm(initial={"text": _quoted_text(thread, request.GET.get("quote"))})
    count_view(thread, request)
    return render_thread(page, request, thread, form)


def _quoted_text(thread: Thread, post_id) -> str:
    if not (post_id or "").isdigit():
        return ""
    post = (
        thread.posts.visible().filter(pk=int(post_id)).select_related("author__forum_profile")
        .first()
    )
    return quote(display_name(post.author), post.source) if post else ""


def count_view(thread: Thread, request) -> None:
    """The first view of a thread in a customer's session adds one, atomically."""
    if not visitors.counts_as_customer(request):
        return
    viewed = request.session.get(VIEWED_SESSION_KEY, [])
    if thread.pk in viewed:
        return
    Thread.objects.filter(pk=thread.pk).update(view_count=F("view_count") + 1)
    request.session[VIEWED_SESSION_KEY] = (viewed + [thread.pk])[-MAX_REMEMBERED_VIEWS:]


def render_thread(page, request, thread: Thread, form: ReplyForm, status: int = 200,
                  error: str = ""):
    order = request.GET.get("order", "votes")
    order = order if order in listings.REPLY_ORDERS else "votes"
    question = listings.question_of(thread)
    accepted = listings.accepted_answer(thread)
    user = request.user
    replies = listings.reply_page(thread, order, request.GET.get("page") or 1, viewer=user)
    url = thread_url(page, request, thread)
    canonical = request.build_absolute_uri(url)
    if replies.number > 1:
        canonical += f"?page={replies.number}"
    posts = [question, accepted, *replies.object_list]
    voted = listings.voted_post_ids(user, posts)
    moderator = is_moderator(user)
    for post in filter(None, posts):
        post.voted = post.pk in voted
        post.can_edit = posting.can_edit(post, user)
        post.can_delete = posting.can_delete(post, user)
        post.can_vote = (user.is_authenticated and post.visible and post.author_id != user.pk
                         and not post.voted)
        post.can_flag = flags.can_flag(post, user)
        post.sees_hidden = moderator or post.author_id == user.pk
    return _render(page, request, "community/thread.html", {
        "thread": thread,
        "question": question,
        "accepted": accepted,
        "replies_page": replies,
        "order": order,
        "form": form,
        "error": error,
        "can_accept": posting.can_accept(thread, user),
        "following": subscriptions.follows(user, thread),
        "can_retitle": posting.can_retitle(thread, user),
        "flag_reasons": Flag.Reason.choices,
        "restriction": restriction_of(user),
        "is_moderator": moderator,
        "can_promote": promotion.can_promote(thread, user),
        "answered_in": promotion.answering_article(thread),
        "canonical_answer": thread_actions.canonical_answer(thread),
        "thread_url": url,
        "canonical_url": canonical,
        "json_ld": thread_json_ld(
            thread, question, accepted, replies.object_list, canonical.split("?")[0],
            lambda user_id: request.build_absolute_uri(page.forum_url(request, "member", user_id)),
        ),
    }, status=status)


def restriction_of(user) -> str:
    """Why a silenced or banned member cannot write ("" when they can)."""
    if not user.is_authenticated:
        return ""
    try:
        check_may_write(user)
    except ForumRefusal as refusal:
        return str(refusal)
    return ""


def _tell_if_waiting(request, post_or_thread) -> None:
    if post_or_thread.state == PostState.PENDING:
        messages.info(request, _("Thank you! Your post is awaiting review by a moderator; "
                                 "others will see it once it is approved."))


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _not_posted(page, request, message: str, text: str, status: int, back_url: str):
    """A post that could not be stored: why, and the member's text to copy."""
    return _render(page, request, "community/not_posted.html", {
        "reason": message, "unsent_text": text, "back_url": back_url,
    }, status=status)


def _rate_limited(scope: str, user, seconds: int) -> bool:
    return not spam.member_allowed(scope, user, 1, seconds)


def reply(page, request, pk: int):
    if refused := _post_only(request):
        return refused
    thread = Thread.objects.filter(pk=pk, board__locale=page.locale).select_related("board").first()
    if thread is None:
        raise Http404("No such thread")
    back_url = thread_url(page, request, thread)
    if not request.user.is_authenticated:
        return _login_first(page, request, back_url)
    form = ReplyForm(request.POST)
    text = request.POST.get("text", "")[: app_settings.POST_MAX_LENGTH * 2].replace("\x00", "")
    if thread.state != PostState.APPROVED:
        return _not_posted(page, request, _("This thread has been removed, so it takes no new "
                                            "replies."), text, 409, page.forum_url(request))
    if not form.is_valid():
        return render_thread(page, request, thread, form, status=400)
    if _rate_limited("forum-reply", request.user, app_settings.REPLY_INTERVAL_SECONDS):
        return _not_posted(page, request, _("You are replying very fast. Please wait a few "
                                            "seconds and send your reply again."),
                           text, 429, back_url)
    try:
        post = posting.reply(thread, request.user, form.cleaned_data["text"],
                             spam_signal=spam.honeypot_filled(form.cleaned_data["website"]))
    except posting.ForumError as error:
        return _not_posted(page, request, str(error), text, 409, back_url)
    _tell_if_waiting(request, post)
    return redirect(_post_location(page, request, thread, post))


def _post_location(page, request, thread: Thread, post: Post) -> str:
    """Where a new reply is: the last page of the thread in time order."""
    count = thread.posts.replies().filter(
        state__in=[PostState.APPROVED, PostState.DELETED], pk__lte=post.pk
    ).count()
    number = max(1, math.ceil(count / app_settings.REPLIES_PER_PAGE))
    return f"{thread_url(page, request, thread)}?order=time&page={number}#post-{post.pk}"


# Composing -------------------------------------------------------------------------------------


def compose(page, request):
    if not request.user.is_authenticated:
        return _login_first(page, request)
    if request.method == "POST":
        return _post_thread(page, request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    board = Board.objects.filter(locale=page.locale, slug=request.GET.get("board", "")).first()
    form = ThreadForm(page.locale, initial={"board": board})
    return render_composer(page, request, form)


def render_composer(page, request, form: ThreadForm, status: int = 200, suggestions=None):
    return _render(page, request, "community/compose.html", {
        "form": form,
        "suggestions": suggestions,
        "has_boards": form.fields["board"].queryset.exists(),
        "composer_strings": composer_strings(),
    }, status=status)


def _post_thread(page, request):
    form = ThreadForm(page.locale, request.POST)
    if not form.is_valid():
        return render_composer(page, request, form, status=400)
    data = form.cleaned_data
    if request.POST.get("action") != POST_ANYWAY and not data["suggestions_seen"]:
        found = composer.suggestions_for(data["title"], data["text"], page.locale.language_code)
        if found:
            return render_composer(page, request, form, suggestions=found)
    if _rate_limited("forum-thread", request.user, app_settings.THREAD_INTERVAL_SECONDS):
        messages.error(request, _("You have just started a thread. Please wait a few seconds "
                                  "and post again; your text is still here."))
        return render_composer(page, request, form, status=429)
    try:
        thread = posting.start_thread(data["board"], request.user, data["title"], data["text"],
                                      kind=data["kind"],
                                      spam_signal=spam.honeypot_filled(data["website"]))
    except posting.ForumError as error:
        messages.error(request, str(error))
        return render_composer(page, request, form, status=409)
    _tell_if_waiting(request, thread)
    return redirect(thread_url(page, request, thread))


def composer_strings() -> dict:
    """The texts the composer's script shows, translated on the server."""
    return {
        "loading": _("Looking for answers…"),
        "none": _("No similar threads or articles yet. Keep writing, or post your question."),
        "found": _("These might already answer your question:"),
        "helped": _("This answers my question"),
        "thanks": _("Great, glad it helped! You don't need to post. Your draft is kept."),
        "article": _("Help article"),
        "thread": _("Solved thread"),
        "draft_restored": _("Your unsent draft was restored."),
    }


def deflect(page, request):
    """A suggestion answered the member's question: count it once and say thanks."""
    if refused := _post_only(request):
        return refused
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    form = DeflectionForm(request.POST)
    answer = composer.find_answer(form.cleaned_data["kind"], form.cleaned_data["pk"]) \
        if form.is_valid() else None
    if answer is None:
        if wants_json:
            return JsonResponse({"error": _("This answer is no longer available.")}, status=400)
        return redirect(page.forum_url(request, "compose"))
    if spam.address_allowed("forum-deflect", request, 60, 3600):
        composer.record_deflection(page, answer, request)
    thanks = composer_strings()["thanks"]
    if wants_json:
        return JsonResponse({"ok": True, "message": thanks})
    messages.success(request, thanks)
    return redirect(answer.url or page.forum_url(request))


# Changing posts --------------------------------------------------------------------------------


def find_post(page, pk: int) -> Post:
    post = (
        Post.objects.filter(pk=pk, thread__board__locale=page.locale)
        .select_related("thread__board", "author__forum_profile").first()
    )
    if post is None:
        raise Http404("No such post")
    return post


def edit_post(page, request, pk: int):
    post = find_post(page, pk)
    if not request.user.is_authenticated:
        return _login_first(page, request)
    if not posting.can_edit(post, request.user):
        raise PermissionDenied
    thread = post.thread
    if request.method == "POST":
        form = EditForm(request.POST, is_question=post.is_question)
        if form.is_valid():
            posting.edit_post(post, request.user, form.cleaned_data["text"],
                              form.cleaned_data.get("title"))
            thread.refresh_from_db(fields=["title", "slug"])
            return redirect(f"{thread_url(page, request, thread)}#post-{post.pk}")
        status = 400
    else:
        form = EditForm(initial={"text": post.source, "title": thread.title},
                        is_question=post.is_question)
        status = 200
    return _render(page, request, "community/edit.html",
                   {"form": form, "post": post, "thread": thread,
                    "thread_url": thread_url(page, request, thread)}, status=status)


def delete_post(page, request, pk: int):
    if refused := _post_only(request):
        return refused
    post = find_post(page, pk)
    if not request.user.is_authenticated:
        return _login_first(page, request)
    posting.delete_post(post, request.user)  # PermissionDenied: 403
    if post.is_question:
        messages.success(request, _("Your thread was deleted."))
        return redirect(page.forum_url(request))
    messages.success(request, _("Your reply was deleted."))
    return redirect(thread_url(page, request, post.thread))


def accept(page, request, pk: int):
    if refused := _post_only(request):
        return refused
    post = find_post(page, pk)
    if not request.user.is_authenticated:
        return _login_first(page, request)
    try:
        accepted = posting.accept(post, request.user)  # PermissionDenied: 403
    except posting.ForumError as error:
        messages.error(request, str(error))
        accepted = False
    else:
        messages.success(request, _("Marked as the answer. Thank you!") if accepted
                         else _("This reply is no longer marked as the answer."))
    return redirect(f"{thread_url(page, request, post.thread)}#post-{post.pk}")


def vote(page, request, pk: int):
    if refused := _post_only(request):
        return refused
    post = find_post(page, pk)
    back = f"{thread_url(page, request, post.thread)}#post-{post.pk}"
    if not request.user.is_authenticated:
        return _login_first(page, request, back)
    counted = posting.vote(post, request.user)
    if request.headers.get("X-Requested-With") == "fetch":
        post.refresh_from_db(fields=["vote_count"])
        return JsonResponse({"counted": counted, "votes": post.vote_count})
    if not counted:
        messages.info(request, _("Your vote for this post was already counted."))
    return redirect(back)


def history(page, request, pk: int):
    """A post's earlier versions, for moderators."""
    post = find_post(page, pk)
    if not request.user.is_authenticated:
        return _login_first(page, request)
    if not is_moderator(request.user):
        raise PermissionDenied
    return _render(page, request, "community/history.html", {
        "post": post,
        "thread": post.thread,
        "thread_url": thread_url(page, request, post.thread),
        "revisions": post.revisions.select_related("edited_by__forum_profile"),
    })


# Members ---------------------------------------------------------------------------------------


def member(page, request, pk: int):
    profile = MemberProfile.objects.filter(user_id=pk).select_related("user").first()
    if profile is None:
        raise Http404("No such member")
    return _render(page, request, "community/member.html", {
        "profile": profile,
        "is_self": request.user.is_authenticated and request.user.pk == pk,
        **listings.member_activity(profile.user, page.locale),
    })


def edit_profile(page, request):
    if not request.user.is_authenticated:
        return _login_first(page, request)
    profile = profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect(page.forum_url(request, "member", request.user.pk))
    return _render(page, request, "community/profile_form.html", {"form": form},
                   status=400 if form.errors else 200)
