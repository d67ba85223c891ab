"""`fetch_mail` in a process of its own that dies (SIGKILL) right after the first mail is
stored and before it is marked seen: tests/contactform/test_mailbox.py runs it.

Environment: DJANGO_SETTINGS_MODULE, MAILIN_DATABASE_NAME (the test database), MAILIN_MAILBOX
(the HELPCENTER_CONTACT_MAILBOX value as JSON)."""

import json
import os
import signal

import django
from django.conf import settings


def main():
    settings.DATABASES["default"]["NAME"] = os.environ["MAILIN_DATABASE_NAME"]
    settings.HELPCENTER_CONTACT_MAILBOX = json.loads(os.environ["MAILIN_MAILBOX"])
    django.setup()
    from contactform.mailbox import fetch_new_mail

    def die(outcome):
        print(f"stored {outcome.status} {outcome.submission_id}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    fetch_new_mail(report=die)


if __name__ == "__main__":
    main()
