"""The forum page's routes for a member's own things: following, subscriptions, their data."""

from wagtail.contrib.routable_page.models import path


class MemberRoutesMixin:
    """Routes of `ForumPageMixin` (community/subscription_views.py, community/account_views.py
    do the work)."""

    @path("<int:pk>/follow/", name="follow_thread")
    def follow_thread_view(self, request, pk):
        from . import subscription_views

        return subscription_views.follow_thread(self, request, pk)

    @path("boards/<slug:slug>/follow/", name="follow_board")
    def follow_board_view(self, request, slug):
        from . import subscription_views

        return subscription_views.follow_board(self, request, slug)

    @path("subscriptions/", name="subscriptions")
    def subscriptions_view(self, request):
        from . import subscription_views

        return subscription_views.manage(self, request)

    @path("account/", name="account")
    def account_view(self, request):
        from . import account_views

        return account_views.account(self, request)

    @path("account/export/", name="export")
    def export_view(self, request):
        from . import account_views

        return account_views.export(self, request)
