"""System checks of the contact form (docs/contactform.md#system-checks)."""

from django.conf import global_settings

from contactform.checks import check_mail_settings
from tests.helpers import run_check

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def ids(messages):
    return [message.id for message in messages]


def test_complete_mail_settings_pass(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Shop <service@shop.example>"
    settings.CSRF_FAILURE_VIEW = "contactform.views.csrf_failure"

    assert check_mail_settings(None) == []


def test_djangos_default_sender_is_reported(settings):
    settings.DEFAULT_FROM_EMAIL = global_settings.DEFAULT_FROM_EMAIL

    (warning,) = check_mail_settings(None)

    assert warning.id == "contactform.W001"
    assert "Set DEFAULT_FROM_EMAIL" in warning.hint


def test_a_contact_form_sender_of_its_own_is_enough(settings):
    settings.DEFAULT_FROM_EMAIL = global_settings.DEFAULT_FROM_EMAIL
    settings.HELPCENTER_CONTACT_FROM_EMAIL = "Shop <service@shop.example>"

    assert check_mail_settings(None) == []


def test_missing_mail_timeout_is_reported_for_smtp_only(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_TIMEOUT = None

    (warning,) = check_mail_settings(None)
    assert warning.id == "contactform.W002"
    assert warning.hint == "Set EMAIL_TIMEOUT = 10 (seconds)."

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert check_mail_settings(None) == []


def test_djangos_csrf_failure_page_is_reported(settings):
    settings.CSRF_FAILURE_VIEW = global_settings.CSRF_FAILURE_VIEW

    assert ids(check_mail_settings(None)) == ["contactform.W003"]
    assert "contactform.views.csrf_failure" in check_mail_settings(None)[0].hint


def test_contactform_without_modeladmin_is_an_error(tmp_path):
    tail = "INSTALLED_APPS = [app for app in INSTALLED_APPS if app != 'wagtail_modeladmin']\n"

    result = run_check(tmp_path, tail)

    assert result.returncode != 0
    assert "(contactform.E001) contactform needs wagtail_modeladmin" in result.stderr
    assert "HINT: Add 'wagtail_modeladmin' to INSTALLED_APPS." in result.stderr


# The e-mail channel's mailbox --------------------------------------------------------------------


MAILBOX = {
    "HOST": "imap.example.com",
    "USER": "service",
    "PASSWORD": "secret",
    "PAGE": 3,
}


def test_no_mailbox_is_fine(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = None
    assert check_mailbox_settings(None) == []


def test_a_complete_mailbox_passes(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = {**MAILBOX, "PORT": 993, "SECURITY": "ssl"}
    assert check_mailbox_settings(None) == []


def test_a_broken_mailbox_setting_is_an_error_naming_each_problem(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = {
        "HOST": "imap.example.com",
        "SECURITY": "tls",
        "PORT": "99999",
        "PAGE": "contact",
    }

    (error,) = check_mailbox_settings(None)

    assert error.id == "contactform.E002"
    for problem in (
        "USER is missing",
        "PASSWORD is missing",
        "SECURITY must be one of",
        "PORT must be a number",
        "PAGE must be the id",
    ):
        assert problem in error.msg


def test_a_mailbox_setting_that_is_not_a_dict_is_an_error(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = "imap://service:secret@imap.example.com"
    assert ids(check_mailbox_settings(None)) == ["contactform.E002"]


def test_an_unencrypted_mailbox_across_the_network_is_a_warning(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = {**MAILBOX, "SECURITY": "none"}
    assert ids(check_mailbox_settings(None)) == ["contactform.W004"]
    settings.HELPCENTER_CONTACT_MAILBOX = {**MAILBOX, "SECURITY": "none", "HOST": "127.0.0.1"}
    assert check_mailbox_settings(None) == []


def test_a_maximum_of_attempts_that_is_no_positive_number_is_an_error(settings):
    from contactform.checks import check_mailbox_settings

    settings.HELPCENTER_CONTACT_MAILBOX = {**MAILBOX, "PORT": 993}
    for wrong in (0, "5", 2.5, None):
        settings.HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS = wrong
        assert ids(check_mailbox_settings(None)) == ["contactform.E003"], wrong
    settings.HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS = 1
    assert check_mailbox_settings(None) == []
