from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactFormConfig(AppConfig):
    name = "contactform"
    label = "contactform"
    verbose_name = _("Contact form")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from helpcenter.erasure import register

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import Attachment
        from .notifications import register_mail_kinds
        from .retention import STORE
        from .signal_handlers import delete_attachment_file

        register(STORE)
        register_mail_kinds()
        post_delete.connect(delete_attachment_file, sender=Attachment)
