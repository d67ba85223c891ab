from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpCenterConfig(AppConfig):
    name = "helpcenter"
    label = "helpcenter"
    verbose_name = _("Help center")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks

        checks.ensure_search_not_shadowed()
        from .erasure import PersonalDataStore, erase_log_entry_labels, register

        register(PersonalDataStore(name="helpcenter", erase=erase_log_entry_labels))
