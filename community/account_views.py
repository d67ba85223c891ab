"""A member's own data: download it as JSON, or delete the account (community.privacy)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import privacy
from .conf import app_settings


def account(page, request):
    """The page with "Download your data" and "Delete your account"."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    error = ""
    if request.method == "POST":
        if _confirmed(request):
            privacy.delete_account(request.user)
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect(page.forum_url(request))
        error = _("The password is not right. Your account was not deleted.")
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    response = page.render(request, template="community/account.html", context_overrides={
        "error": error,
        "keeps_posts": app_settings.DELETED_MEMBER_POSTS != privacy.REMOVE,
        "needs_password": request.user.has_usable_password(),
    })
    response.status_code = 400 if error else 200
    return response


def _confirmed(request) -> bool:
    if request.user.has_usable_password():
        return request.user.check_password(request.POST.get("password", ""))
    return request.POST.get("confirm") == "on"


def export(page, request):
    """Everything the forum keeps about the member, as a JSON download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    data = privacy.export_member(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="forum-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response
