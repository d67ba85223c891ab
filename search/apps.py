from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Help search")
    default_auto_field = "django.db.models.BigAutoField"

    def __init__(self, app_name, app_module):
        from .checks import ensure_haystack_connections

        ensure_haystack_connections()
        super().__init__(app_name, app_module)

    def ready(self):
        from . import checks, signal_handlers  # noqa: F401  (checks registers the system checks)

        signal_handlers.connect()
        self.register_personal_data()

    def register_personal_data(self):
        """Erasure reaches the search log (see helpcenter.erasure)."""
        from helpcenter.erasure import PersonalDataStore, register

        from .analytics import erase_person

        register(PersonalDataStore(name="search", erase=erase_person))
