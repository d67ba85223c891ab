"""Addresses outside the forum page: the one-click unsubscribe link of the forum's mails.

Include it in the host project's URLs (inside `i18n_patterns`, so the page speaks the
member's language)::

    path("community-mail/", include("community.urls")),
"""

from django.urls import path

from . import subscription_views

app_name = "community"

urlpatterns = [
    path("unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
]
