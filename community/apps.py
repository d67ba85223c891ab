from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import notices, notifications, signal_handlers

        signal_handlers.connect()
        notifications.register()
        notices.register_mail_kinds()
        self.register_personal_data()
        self.register_timeline()
        if apps.is_installed("faq"):
            from faq.listings import article_model

            from .wagtail_hooks import add_source_threads_panel

            add_source_threads_panel(article_model())
        if apps.is_installed("search"):
            self.register_search_source()

    def register_personal_data(self):
        """Erasure and the retention purge reach the forum (see helpcenter.erasure)."""
        from helpcenter.erasure import register

        from .privacy import STORE

        register(STORE)

    def register_timeline(self):
        """A member's threads and posts join their customer timeline (helpcenter.timeline)."""
        from helpcenter.timeline import register

        from .timeline import SOURCE

        register(SOURCE)

    def register_search_source(self):
        """Let the help search find threads (see search.registry); the contact form suggests
        solved threads after the articles (`suggested="after"`), the composer asks for both."""
        from search.registry import SearchSource, register

        from .composer import THREADS
        from .ranking import (
            answering_threads,
            fallback_threads,
            thread_popularity,
            thread_weights,
        )

        register(
            SearchSource(
                name=THREADS,
                model_label="community.thread",
                label=_("Community"),
                popularity=thread_popularity,
                fallback_queryset=fallback_threads,
                fallback_fields=("title",),
                suggested="after",
                weights=thread_weights,
                answers=answering_threads,
            )
        )
