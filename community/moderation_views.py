"""What members do for moderation on the forum page: flag a post."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import flags
from .views import _login_first, find_post, thread_url


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
