from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils.translation import ngettext

from helpcenter.models import OutgoingMail
from helpcenter.outbox import deliver_due, retry_failed


class Command(BaseCommand):
    help = (
        "Send the outgoing mails whose next attempt is due (run it from cron every few minutes "
        "when the task backend cannot defer, and after a mail outage)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Attempt every pending mail now, whatever its next attempt time.",
        )
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Also send the mails that failed (they start over with full retries).",
        )

    def handle(self, *args, now=False, failed=False, **options):
        if failed:
            reopened = retry_failed()
            self.stdout.write(
                ngettext(
                    "Reopened %(count)d failed mail.", "Reopened %(count)d failed mails.", reopened
                )
                % {"count": reopened}
            )
        sent = deliver_due(force=now or failed)
        self.stdout.write(
            ngettext("Sent %(count)d mail.", "Sent %(count)d mails.", sent) % {"count": sent}
        )
        left = dict(
            OutgoingMail.objects.filter(
                status__in=[OutgoingMail.Status.PENDING, OutgoingMail.Status.FAILED]
            )
            .values_list("status")
            .annotate(count=Count("pk"))
            .order_by()
        )
        self.stdout.write(
            f"Still pending: {left.get(OutgoingMail.Status.PENDING, 0)}; "
            f"failed: {left.get(OutgoingMail.Status.FAILED, 0)}."
        )
