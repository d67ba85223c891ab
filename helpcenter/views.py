"""Error pages in the help-center layout, for the host project's URL conf::

    handler404 = "helpcenter.views.page_not_found"
    handler500 = "helpcenter.views.server_error"

Both speak the language of the URL prefix (LocaleMiddleware has activated it).
"""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .templatetags.helpcenter_tags import help_homes


@requires_csrf_token
def page_not_found(request, exception=None):
    """An unknown address: search box, help home and contact page of the active language."""
    template = loader.get_template("helpcenter/404.html")
    context = {"translations": help_homes(request)}
    return HttpResponseNotFound(template.render(context, request))


@requires_csrf_token
def server_error(request):
    """A server error: rendered without the request (no context processors, no database)."""
    template = loader.get_template("helpcenter/500.html")
    return HttpResponseServerError(template.render({"help_center": None, "page": None}))
