from django import template

from ..members import display_name

register = template.Library()


@register.inclusion_tag("community/includes/member.html", takes_context=True)
def forum_member(context, user, size="small"):
    """A member's avatar (initials) and display name, linked to their profile."""
    forum = context.get("forum") or context.get("page")
    profile = getattr(user, "forum_profile", None) if user is not None else None
    url = forum.forum_url(context.get("request"), "member", user.pk) if profile and forum else ""
    name = display_name(user)
    return {
        "name": name,
        "initials": profile.initials if profile else (name[:1].upper() or "?"),
        "colour": profile.avatar_colour if profile else "#6b7280",
        "url": url,
        "size": size,
    }


@register.simple_tag(takes_context=True)
def forum_url(context, name="", *args):
    """The address of a forum route: {% forum_url "thread_short" thread.pk %}."""
    forum = context.get("forum") or context.get("page")
    return forum.forum_url(context.get("request"), name, *args)


@register.simple_tag
def query_with(request, **changes):
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def login_url(context):
    """LOGIN_URL with this page as `next` (the suite relies on nothing but Django auth)."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.shortcuts import resolve_url

    request = context.get("request")
    next_url = request.get_full_path() if request else ""
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
