"""Following threads and boards, the member's list of subscriptions, one-click unsubscribe.

Following and the list are forum-page routes (login, CSRF). The unsubscribe address in every
mail (`community/urls.py`) works without a login and, for RFC 8058's one-click POST from a mail
program, without a CSRF token: the signed token in the address is what it trusts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from helpcenter.links import local_redirect_target

from . import subscriptions
from .members import profile_of
from .models import Board, Subscription, Thread, forum_page_model

LEVELS = {choice.value for choice in Subscription.Level}


def _member_post(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or request.path)
    return None


def _back(request, fallback: str) -> str:
    return local_redirect_target(request, request.POST.get("next", ""), fallback)


def follow_thread(page, request, pk: int):
    """POST `follow=1` follows the thread, `follow=0` stops following it."""
    if refused := _member_post(request):
        return refused
    thread = Thread.objects.visible().filter(pk=pk, board__locale=page.locale).first()
    if thread is None:
        raise Http404("No such thread")
    if request.POST.get("follow") == "0":
        subscriptions.unfollow(request.user, thread=thread)
        messages.success(request, _("You no longer follow this thread."))
    else:
        subscriptions.remember_language(request.user)
        subscriptions.follow_thread(request.user, thread)
        messages.success(request, _("You follow this thread: replies come by e-mail."))
    return redirect(_back(request, page.forum_url(request) + thread.url_part))


def follow_board(page, request, slug: str):
    """POST `level` = new_threads, everything, or off."""
    if refused := _member_post(request):
        return refused
    board = Board.objects.filter(locale=page.locale, slug=slug).first()
    if board is None:
        raise Http404("No such board")
    level = request.POST.get("level", "")
    if level in LEVELS:
        subscriptions.remember_language(request.user)
        subscriptions.follow_board(request.user, board, level)
        messages.success(request, _("You follow %(board)s.") % {"board": board.name})
    else:
        subscriptions.unfollow(request.user, board=board)
        messages.success(request, _("You no longer follow %(board)s.") % {"board": board.name})
    return redirect(_back(request, page.forum_url(request, "board", board.slug)))


def manage(page, request):
    """The member's subscriptions: threads and boards they follow, and mention mails."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    profile = profile_of(request.user)
    if request.method == "POST":
        profile.mention_mails = request.POST.get("mention_mails") == "on"
        profile.save(update_fields=["mention_mails"])
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect(page.forum_url(request, "subscriptions"))
    followed = Subscription.objects.filter(member=request.user, active=True)
    return page.render(request, template="community/subscriptions.html", context_overrides={
        "thread_subscriptions": followed.filter(thread__state="approved")
        .select_related("thread__board").order_by("-thread__last_activity_at"),
        "board_subscriptions": followed.filter(board__isnull=False).select_related("board"),
        "profile": profile,
        "levels": Subscription.Level.choices,
    })


@csrf_exempt
def unsubscribe(request, token: str):
    """GET: a page that asks to confirm; POST (the button, or a mail program's one-click
    request with `List-Unsubscribe=One-Click`): turn the subscription off."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    found = subscriptions.read_token(token)
    if found is None:
        return _unsubscribe_page(request, {"invalid": True}, status=400)
    member, subscription = found
    context = {"subscription": subscription, "token": token}
    if request.method == "POST":
        subscriptions.unsubscribe(member, subscription)
        context["done"] = True
    return _unsubscribe_page(request, context)


def _unsubscribe_page(request, context: dict, status: int = 200):
    from faq.listings import help_center_of

    language = translation.get_language()
    forum = forum_page_model().objects.live().filter(locale__language_code=language).first()
    context.update({"forum": forum, "help_center": help_center_of(forum) if forum else None})
    return render(request, "community/unsubscribe.html", context, status=status)
