from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchForumConfig(AppConfig):
    name = "tests.benchmarks.forum"
    label = "bench_forum"
    verbose_name = _("Benchmark forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search.registry import SearchSource, register

        from .models import ForumPost

        register(
            SearchSource(
                name="forum",
                model_label="bench_forum.forumpost",
                label=_("Forum posts"),
                popularity=ForumPost.popularity,
                fallback_queryset=ForumPost.in_language,
                fallback_fields=("title", "body"),
            )
        )
