from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactFormConfig(AppConfig):
    name = "contactform"
    label = "contactform"
    verbose_name = _("Contact form")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from helpcenter import erasure, timeline

        from . import checks, customer_replies  # noqa: F401  (checks registers the checks)
        from .models import Attachment
        from .notifications import register_mail_kinds
        from .replies import register_mail_kind
        from .retention import STORE
        from .signal_handlers import delete_attachment_file
        from .timeline import SOURCE

        erasure.register(STORE)
        timeline.register(SOURCE)
        register_mail_kinds()
        register_mail_kind()
        customer_replies.register_mail_kind()
        post_delete.connect(delete_attachment_file, sender=Attachment)
