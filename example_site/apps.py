from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExampleSiteConfig(AppConfig):
    name = "example_site"
    label = "example_site"
    verbose_name = _("Demo shop")
    default_auto_field = "django.db.models.BigAutoField"
