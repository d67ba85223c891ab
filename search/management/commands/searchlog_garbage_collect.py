from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from search import learning
from search.analytics import garbage_collect
from search.conf import app_settings


class Command(BaseCommand):
    help = (
        "Delete search log rows (daily searches, clicks, unused queries) past the retention, "
        "and learned phrasings that faded (HELPCENTER_SEARCH_LEARN_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Keep this many days instead of HELPCENTER_SEARCH_LOG_RETENTION_DAYS.",
        )

    def handle(self, *args, days: int | None = None, **options):
        if days is None:
            days = app_settings.SEARCH_LOG_RETENTION_DAYS
        if days < 0:
            raise CommandError("--days must not be negative.")
        deleted = garbage_collect(days)
        rows = ngettext("%(count)d search log row", "%(count)d search log rows", deleted)
        age = ngettext("%(count)d day", "%(count)d days", days)
        self.stdout.write(
            f"Deleted {rows % {'count': deleted}} older than {age % {'count': days}}."
        )
        faded = learning.fade()
        if faded:
            self.stdout.write(
                ngettext("%(count)d learned phrasing faded.",
                         "%(count)d learned phrasings faded.", faded) % {"count": faded}
            )
