from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from contactform.models import normalise_email
from contactform.retention import erase


class Command(BaseCommand):
    help = (
        "Right to erasure: delete the contact messages, e-mail records and contact record of "
        "an e-mail address, and search-log rows that contain it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address (any case).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be deleted; delete nothing."
        )

    def handle(self, *args, email: str, dry_run=False, **options):
        email = normalise_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not an e-mail address.") from None
        result = erase(email, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} for {email}: {result.submissions} contact messages, "
            f"{result.notifications} notifications, {result.contacts} contact record, "
            f"{result.search_queries} search-log queries."
        )
        if not (result.submissions or result.contacts or result.search_queries):
            self.stdout.write("Nothing was stored for this address.")
