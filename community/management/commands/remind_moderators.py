"""Mail the forum moderators about queue items waiting longer than REVIEW_REMINDER_HOURS.

Run it from cron (say every hour). An item is reminded of once: it is marked by a log entry.
"""

from django.core.management.base import BaseCommand
from wagtail.models import ModelLogEntry

from community import moderation, notices


class Command(BaseCommand):
    help = "E-mail moderators about forum posts waiting for review too long."

    def handle(self, *args, **options):
        overdue = list(moderation.overdue())
        reminded = set(
            ModelLogEntry.objects.filter(
                action="community.reminder", object_id__in=[str(post.pk) for post in overdue]
            ).values_list("object_id", flat=True)
        )
        due = [post for post in overdue if str(post.pk) not in reminded
               or self._changed_since_reminder(post)]
        sent = notices.remind_staff(due)
        for post in due[:sent]:
            moderation.record(post, "community.reminder", None)
        self.stdout.write(f"reminded: {sent}")

    @staticmethod
    def _changed_since_reminder(post) -> bool:
        last = (ModelLogEntry.objects.filter(action="community.reminder", object_id=str(post.pk))
                .order_by("-timestamp").values_list("timestamp", flat=True).first())
        return last is not None and last < post.state_changed_at
