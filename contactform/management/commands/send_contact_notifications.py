from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils.translation import ngettext

from contactform.models import Notification
from contactform.notifications import deliver_due, retry_failed


class Command(BaseCommand):
    help = (
        "Send the contact notifications whose next attempt is due (run it from cron every few "
        "minutes when the task backend cannot defer, and after a mail outage)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Attempt every pending notification now, whatever its next attempt time.",
        )
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Also send the notifications that failed (they start over with full retries).",
        )

    def handle(self, *args, now=False, failed=False, **options):
        if failed:
            reopened = retry_failed()
            self.stdout.write(
                ngettext("Reopened %(count)d failed notification.",
                         "Reopened %(count)d failed notifications.", reopened)
                % {"count": reopened}
            )
        sent = deliver_due(force=now or failed)
        self.stdout.write(
            ngettext(
                "Sent %(count)d contact notification.",
                "Sent %(count)d contact notifications.",
                sent,
            )
            % {"count": sent}
        )
        left = dict(
            Notification.objects.filter(
                status__in=[Notification.Status.PENDING, Notification.Status.FAILED]
            )
            .values_list("status")
            .annotate(count=Count("pk"))
            .order_by()
        )
        self.stdout.write(
            f"Still pending: {left.get(Notification.Status.PENDING, 0)}; "
            f"failed: {left.get(Notification.Status.FAILED, 0)}."
        )
