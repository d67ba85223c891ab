"""Snippet admin pieces the suite's apps share."""

from wagtail.snippets.views.chooser import (
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .exports import SpreadsheetSafeExportMixin
from .ids import parse_id


class SafeIdChosenView(SnippetChosenView):
    """A malformed id in the chooser's URL is a missing snippet, not a server error."""

    def get_object(self, pk):
        if parse_id(pk) is None:
            raise self.model.DoesNotExist
        return super().get_object(pk)


class SafeIdChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return super().get_objects([pk for pk in pks if parse_id(pk) is not None])


class SafeIdChooserViewSet(SnippetChooserViewSet):
    """The chooser of a snippet whose URLs anyone with admin access may type ids into.

    Use it as ``chooser_viewset_class`` of a ``SnippetViewSet``.
    """

    chosen_view_class = SafeIdChosenView
    chosen_multiple_view_class = SafeIdChosenMultipleView


class SpreadsheetSafeIndexView(SpreadsheetSafeExportMixin, IndexView):
    pass


class HelpCenterSnippetViewSet(SnippetViewSet):
    """The base of the suite's snippet admins: exports never hand a spreadsheet a formula and
    the chooser turns malformed ids into 404s."""

    index_view_class = SpreadsheetSafeIndexView
    chooser_viewset_class = SafeIdChooserViewSet
