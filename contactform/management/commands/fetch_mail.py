import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from contactform.conf import app_settings
from contactform.mailbox import MailboxError, fetch_new_mail

PROGRESS_EVERY = 25


class Command(BaseCommand):
    help = (
        "Read new e-mail from the IMAP mailbox HELPCENTER_CONTACT_MAILBOX: each becomes a "
        "conversation on its contact page, or joins the conversation it answers (run it from "
        "cron every few minutes)."
    )

    def handle(self, *args, verbosity=1, **options):
        if app_settings.MAILBOX is None:
            raise CommandError(
                "HELPCENTER_CONTACT_MAILBOX is not set: there is no mailbox to read."
            )
        started = time.monotonic()
        done = []

        def report(outcome):
            done.append(outcome)
            if verbosity >= 2:
                self.stdout.write(f"UID {outcome.uid}: {outcome.status}")
            elif verbosity == 1 and len(done) % PROGRESS_EVERY == 0:
                self.stdout.write(f"{len(done)} e-mails read …")

        try:
            counts = fetch_new_mail(report=report)
        except (MailboxError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        total = sum(counts.values())
        rate = total / seconds if seconds > 0 else 0.0
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items()))
        self.stdout.write(
            f"Read {total} e-mails in {seconds:.1f} s ({rate:.1f} mails/s)"
            + (f"; {summary}." if summary else ".")
        )
        if counts.get("failed"):
            self.stderr.write(
                f"{counts['failed']} e-mails could not be stored; they stay unseen and are tried "
                f"again next run, {app_settings.MAILBOX_MAX_ATTEMPTS} times at most (see the log)."
            )
        if counts.get("kept-raw"):
            self.stderr.write(
                f"{counts['kept-raw']} e-mails failed {app_settings.MAILBOX_MAX_ATTEMPTS} times "
                "and were kept as they came: each is a new conversation in the inbox with the "
                "whole e-mail attached (message.eml) and a note."
            )
