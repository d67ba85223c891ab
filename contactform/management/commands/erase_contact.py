from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from contactform.models import normalise_email
from contactform.retention import erase
from helpcenter.erasure import MIN_TEXT_LENGTH, describe


class Command(BaseCommand):
    help = (
        "Right to erasure: delete everything the help center keeps about an e-mail address: "
        "contact messages, e-mail records, the contact record and their admin history, and "
        "search-log queries, feedback comments and history labels holding the address, the "
        "names the person gave or the --also texts."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address (any case).")
        parser.add_argument(
            "--also",
            action="append",
            default=[],
            metavar="TEXT",
            help=f"Another text that identifies the person (street, phone number; at least "
            f"{MIN_TEXT_LENGTH} characters); may be given more than once.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be deleted; delete nothing."
        )

    def handle(self, *args, email: str, also=(), dry_run=False, **options):
        email = normalise_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not an e-mail address.") from None
        too_short = [text for text in also if len(text.strip()) < MIN_TEXT_LENGTH]
        if too_short:
            raise CommandError(
                f"--also needs at least {MIN_TEXT_LENGTH} characters: {', '.join(too_short)}"
            )
        counts = erase(email, also=also, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        listed = describe(counts)
        self.stdout.write(f"{verb} for {email}: {listed}.")
        if not any(counts.values()):
            self.stdout.write("Nothing was stored for this address.")
