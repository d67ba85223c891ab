"""System checks of the contact form; see docs/contactform.md#system-checks."""

from django.apps import apps
from django.conf import global_settings, settings
from django.core.checks import Error, Tags, Warning, register

CSRF_FAILURE_VIEW = "contactform.views.csrf_failure"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.compatibility)
def check_modeladmin_installed(app_configs, **kwargs):
    if apps.is_installed("wagtail_modeladmin"):
        return []
    return [
        Error(
            "contactform needs wagtail_modeladmin for its inbox and reports in the admin.",
            hint="Add 'wagtail_modeladmin' to INSTALLED_APPS.",
            id="contactform.E001",
        )
    ]


@register(Tags.compatibility)
def check_mail_settings(app_configs, **kwargs):
    from .notifications import from_email

    problems = []
    if from_email() == global_settings.DEFAULT_FROM_EMAIL:
        problems.append(
            Warning(
                "The contact form's e-mails would come from Django's 'webmaster@localhost' "
                "(DEFAULT_FROM_EMAIL), which mail servers reject.",
                hint="Set DEFAULT_FROM_EMAIL to your service address, e.g. "
                "'Example Shop <service@example.com>'.",
                id="contactform.W001",
            )
        )
    if settings.EMAIL_BACKEND == SMTP_BACKEND and settings.EMAIL_TIMEOUT is None:
        problems.append(
            Warning(
                "EMAIL_TIMEOUT is not set, so a mail server that stops answering holds a "
                "worker (or a request) for ever.",
                hint="Set EMAIL_TIMEOUT = 10 (seconds).",
                id="contactform.W002",
            )
        )
    if settings.CSRF_FAILURE_VIEW == global_settings.CSRF_FAILURE_VIEW:
        problems.append(
            Warning(
                "A customer whose contact form expired sees Django's bare 403 page and loses "
                "the message.",
                hint=f"Set CSRF_FAILURE_VIEW = {CSRF_FAILURE_VIEW!r}.",
                id="contactform.W003",
            )
        )
    return problems


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


@register(Tags.compatibility)
def check_mailbox_settings(app_configs, **kwargs):
    """The e-mail channel's mailbox (`HELPCENTER_CONTACT_MAILBOX`), when one is set."""
    from .conf import app_settings
    from .mailbox import problems

    value = app_settings.MAILBOX
    if value is None:
        return []
    messages = []
    found = problems(value)
    if found:
        messages.append(
            Error(
                "HELPCENTER_CONTACT_MAILBOX is not usable: " + "; ".join(found) + ".",
                hint="See docs/contactform.md, 'E-mail channel'.",
                id="contactform.E002",
            )
        )
    elif value.get("SECURITY", "ssl") == "none" and value["HOST"] not in LOOPBACK_HOSTS:
        messages.append(
            Warning(
                "The mailbox's password and mail would cross the network unencrypted "
                "(SECURITY 'none').",
                hint="Set SECURITY to 'ssl' (port 993) or 'starttls'.",
                id="contactform.W004",
            )
        )
    attempts = app_settings.MAILBOX_MAX_ATTEMPTS
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        messages.append(
            Error(
                f"HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS must be a whole number from 1 on, "
                f"not {attempts!r}: a mail that cannot be stored would be tried for ever.",
                hint="Leave it unset (5) or set a number such as 5.",
                id="contactform.E003",
            )
        )
    return messages
