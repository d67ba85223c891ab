from django.core.management.base import BaseCommand, CommandError

from contactform.conf import app_settings
from contactform.retention import purge
from helpcenter.erasure import describe


class Command(BaseCommand):
    help = (
        "Delete contact messages (with their e-mail records and admin history) older than the "
        "retention period, the contacts left without messages, and the contact-form texts the "
        "search log kept as long."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Delete messages received more than DAYS days ago "
            "(default: HELPCENTER_CONTACT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be deleted; delete nothing."
        )

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = app_settings.RETENTION_DAYS if older_than is None else older_than
        if days is None or days < 0:
            raise CommandError("--older-than must be a number of days, 0 or more.")
        counts, (oldest, newest) = purge(days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        listed = describe(counts)
        self.stdout.write(f"{verb} what is older than {days} days: {listed}.")
        if oldest:
            self.stdout.write(f"Messages received from {oldest:%Y-%m-%d} to {newest:%Y-%m-%d}.")
