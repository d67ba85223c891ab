"""The forum in the Wagtail admin: editors manage boards (Snippets > Boards, per-role rights)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from helpcenter.snippets import HelpCenterSnippetViewSet

from .models import Board


class BoardViewSet(HelpCenterSnippetViewSet):
    model = Board
    icon = "group"
    menu_label = _("Forum boards")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "locale", "order", "description"]
    list_filter = ["locale"]
    ordering = ["locale", "order", "name"]


register_snippet(BoardViewSet)
