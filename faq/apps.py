from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    name = "faq"
    label = "faq"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpcenter.checks import ensure_search_not_shadowed

        ensure_search_not_shadowed()  # before anything imports the project's own 'search'
        from . import signal_handlers

        signal_handlers.connect()
        self.register_personal_data()
        self.register_timeline()
        if apps.is_installed("search"):
            self.register_search_source()

    def register_personal_data(self):
        """Erasure reaches the comments of "Was this helpful?" (see helpcenter.erasure)."""
        from helpcenter.erasure import PersonalDataStore, register

        from .erasure import erase_feedback_comments, forget_feedback_authors

        register(
            PersonalDataStore(
                name="faq", erase=erase_feedback_comments, purge=forget_feedback_authors
            )
        )

    def register_timeline(self):
        """Comments left while signed in join the customer timeline (helpcenter.timeline)."""
        from helpcenter.timeline import register

        from .timeline import SOURCE

        register(SOURCE)

    def register_search_source(self):
        """Let the help search find articles (see search.registry)."""
        from search.registry import SearchSource, register

        from .conf import app_settings
        from .listings import live_articles_in_language
        from .popularity import scores

        register(
            SearchSource(
                name="articles",
                model_label=app_settings.ARTICLE_MODEL.lower(),
                label=_("Help articles"),
                popularity=scores,
                fallback_queryset=live_articles_in_language,
                fallback_fields=("title", "keywords", "short_answer"),
                completions=True,
            )
        )
