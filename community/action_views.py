"""Thread actions and promotion over HTTP, for moderators (and editors, for promotion).

`<id>/actions/<action>/` shows the action's form (GET) and does it (POST, CSRF); pin and unpin
are a single button on the thread. The rules live in `thread_actions` and `promotion`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import promotion, thread_actions
from .action_forms import CloseForm, DuplicateForm, MergeForm, MoveForm, PromoteForm
from .members import is_moderator
from .models import Thread
from .posting import ForumError
from .views import _login_first, _render, find_thread, thread_url

TITLES = {
    "close": gettext_lazy("Close this thread"),
    "move": gettext_lazy("Move this thread"),
    "merge": gettext_lazy("Merge this thread into another"),
    "duplicate": gettext_lazy("Mark as a duplicate"),
    "promote": gettext_lazy("Turn this thread into a help article"),
}
BUTTONS = {
    "close": gettext_lazy("Close thread"),
    "move": gettext_lazy("Move thread"),
    "merge": gettext_lazy("Merge threads"),
    "duplicate": gettext_lazy("Mark as duplicate"),
    "promote": gettext_lazy("Create draft article"),
}
BUTTON_ACTIONS = ("reopen", "pin", "unpin")


def _form_for(action: str, thread: Thread, data=None):
    if action == "close":
        return CloseForm(data, initial={"reason": thread.lock_reason})
    if action == "move":
        return MoveForm(thread, data)
    if action == "merge":
        return MergeForm(data)
    if action == "duplicate":
        return DuplicateForm(thread, data)
    raise Http404("No such action")


def _do(action: str, thread: Thread, user, data: dict) -> str:
    """Run the action; returns what to tell the moderator."""
    reason = data.get("reason", "")
    if action == "close":
        thread_actions.close(thread, user, reason)
        return _("The thread is closed.")
    if action == "reopen":
        thread_actions.reopen(thread, user)
        return _("The thread is open again.")
    if action in ("pin", "unpin"):
        thread_actions.pin(thread, user, action == "pin")
        return _("The thread is pinned.") if action == "pin" else _("The thread is unpinned.")
    if action == "move":
        thread_actions.move(thread, user, data["board"], reason)
        return _("The thread moved to “%(board)s”.") % {"board": data["board"].name}
    if action == "merge":
        thread_actions.merge(thread, data["target"], user, reason)
        return _("The threads are merged.")
    thread_actions.mark_duplicate(thread, user, of_thread=data.get("target"),
                                  of_article=data.get("article"), reason=reason)
    return _("The thread is marked as a duplicate.")


def _action_page(page, request, thread: Thread, action: str, form, status: int = 200):
    return _render(page, request, "community/thread_action.html", {
        "thread": thread,
        "action": action,
        "heading": TITLES[action],
        "button": BUTTONS[action],
        "form": form,
        "thread_url": thread_url(page, request, thread),
    }, status=status)


def thread_action(page, request, pk: int, action: str):
    if action == "promote" or (action not in TITLES and action not in BUTTON_ACTIONS):
        raise Http404("No such action")
    if not request.user.is_authenticated:
        return _login_first(page, request)
    if not is_moderator(request.user):
        raise PermissionDenied
    thread = find_thread(page, request, pk)
    if action in BUTTON_ACTIONS:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form, data = None, {}
    elif request.method == "POST":
        form = _form_for(action, thread, request.POST)
        if not form.is_valid():
            return _action_page(page, request, thread, action, form, status=400)
        data = form.cleaned_data
    elif request.method in ("GET", "HEAD"):
        return _action_page(page, request, thread, action, _form_for(action, thread))
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    try:
        done = _do(action, thread, request.user, data)
    except ForumError as error:
        if form is None:
            messages.error(request, str(error))
            return redirect(thread_url(page, request, thread))
        form.add_error(None, str(error))
        return _action_page(page, request, thread, action, form, status=400)
    messages.success(request, done)
    target = data.get("target") if action == "merge" else thread
    target.refresh_from_db()
    return redirect(thread_url(page, request, target))


def promote(page, request, pk: int):
    """A solved thread becomes a draft article in a category the user chooses."""
    if not request.user.is_authenticated:
        return _login_first(page, request)
    thread = find_thread(page, request, pk)
    if not promotion.can_promote(thread, request.user):
        raise PermissionDenied
    categories = promotion.categories_for(thread)
    if request.method == "POST":
        form = PromoteForm(categories, request.POST)
        if form.is_valid():
            return _promoted(page, request, thread, form.cleaned_data["category"])
        status = 400
    elif request.method in ("GET", "HEAD"):
        form, status = PromoteForm(categories), 200
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return _action_page(page, request, thread, "promote", form, status=status)


def _promoted(page, request, thread: Thread, category):
    if not promotion.may_add_to(category, request.user):
        raise PermissionDenied
    article = promotion.promote(thread, category, request.user)
    messages.success(request, _("A draft article was created from this thread. Personal data "
                                "was removed automatically; please check the text before "
                                "publishing."))
    if article.permissions_for_user(request.user).can_edit() and \
            request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    return redirect(thread_url(page, request, thread))
