"""What members do for moderation on the forum page: flag a post; correct a thread's title
(the asker, regulars and moderators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import flags, posting
from .forms import TitleForm
from .views import _login_first, find_post, find_thread, thread_url


def flag(page, request, pk: int):
    """Flag a post with a reason ("other" needs a few words)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = find_post(page, pk)
    back = f"{thread_url(page, request, post.thread)}#post-{post.pk}"
    if not request.user.is_authenticated:
        return _login_first(page, request, back)
    try:
        hidden = flags.flag(post, request.user, request.POST.get("reason", ""),
                            request.POST.get("text", "")[:2000])
    except flags.FlagRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    messages.success(request, _("Thank you. The post is hidden until a moderator has looked at "
                                "it.") if hidden else
                     _("Thank you. A moderator will look at this post."))
    return redirect(back)


def retitle(page, request, pk: int):
    """POST a new title for a thread."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    thread = find_thread(page, request, pk)
    if not request.user.is_authenticated:
        return _login_first(page, request, thread_url(page, request, thread))
    if not posting.can_retitle(thread, request.user):
        raise PermissionDenied
    form = TitleForm(request.POST)
    if form.is_valid():
        posting.retitle(thread, request.user, form.cleaned_data["title"])
        messages.success(request, _("The title was changed."))
    else:
        messages.error(request, " ".join(form.errors.get("title", [])))
    return redirect(thread_url(page, request, thread))
