"""Absolute links for places without a request to take the host from: e-mails, feeds, the API."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Page, Site


def absolute_url(location: Page | str, *, site: Site | None = None) -> str:
    """The absolute URL of a page, or of a path on `site` or in the admin.

    A page's URL comes from its Wagtail `Site` (Settings > Sites: hostname and port); a path
    from `site`'s root URL when given, else from ``WAGTAILADMIN_BASE_URL`` (links into the
    admin). An absolute URL is returned as it is, and "" when no base is known (a page outside
    every site, no ``WAGTAILADMIN_BASE_URL``): a mail then leaves the link out.
    """
    if not isinstance(location, str):  # a page of any page model (WAGTAIL_PAGE_MODEL)
        return location.get_full_url() or ""
    if not location or urlsplit(location).scheme:
        return location
    base = site.root_url if site is not None else get_admin_base_url()
    return base.rstrip("/") + location if base else ""


def local_redirect_target(request, target: str, fallback: str) -> str:
    """`target` (a "next" or "to" parameter) when it stays on this site, else `fallback`: no open
    redirects."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
