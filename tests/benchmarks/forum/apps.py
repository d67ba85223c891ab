from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchForumConfig(AppConfig):
    """The benchmark's view of the community forum for Wagtail's database search backend (the
    help search finds threads through the community app's own search source)."""

    name = "tests.benchmarks.forum"
    label = "bench_forum"
    verbose_name = _("Benchmark forum")
    default_auto_field = "django.db.models.BigAutoField"
