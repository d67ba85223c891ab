"""Safe bases for the suite's wagtail-modeladmin admins.

wagtail-modeladmin's own views admit any logged-in user to an object's history, answer a
malformed id or an unknown list parameter with a server error and hand any search text to the
database. `HelpCenterModelAdmin` uses the views below instead; a feature app's `ModelAdmin`
subclasses it (and their views subclass these ones).
"""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import DeleteView, EditView, HistoryView, IndexView, InspectView

from .exports import SpreadsheetSafeExportMixin
from .ids import parse_id

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10


def capped_search(text: str) -> str:
    """An admin search as the database sees it: few words, a bounded length."""
    return " ".join(text[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS])


class HelpCenterIndexView(SpreadsheetSafeExportMixin, IndexView):
    """The listing: an unknown filter parameter sends back to the plain list, searches are
    capped, exports are spreadsheet-safe."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(request, _("That filter is not valid; showing the whole list."))
            return redirect(self.index_url)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, capped_search(search_term))


class ObjectFromURLMixin:
    """A malformed id in the URL ("abc", "1e5") is a missing object, not a server error."""

    def __init__(self, model_admin, instance_pk):
        numeric = isinstance(model_admin.model._meta.pk, models.IntegerField)
        if numeric and parse_id(unquote(instance_pk)) is None:  # before the database sees it
            raise Http404(_("No such object."))
        try:
            super().__init__(model_admin, instance_pk)
        except (ValueError, TypeError, OverflowError, ValidationError) as error:
            raise Http404(_("No such object.")) from error


class HelpCenterHistoryView(ObjectFromURLMixin, HistoryView):
    """An object's history is as private as the object: it needs the inspect permission."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class HelpCenterInspectView(ObjectFromURLMixin, InspectView):
    pass


class HelpCenterEditView(ObjectFromURLMixin, EditView):
    pass


class HelpCenterDeleteView(ObjectFromURLMixin, DeleteView):
    pass


class HelpCenterModelAdmin(ModelAdmin):
    """A `ModelAdmin` whose views check permissions on every URL and never fail on bad input."""

    index_view_class = HelpCenterIndexView
    inspect_view_class = HelpCenterInspectView
    history_view_class = HelpCenterHistoryView
    edit_view_class = HelpCenterEditView
    delete_view_class = HelpCenterDeleteView
