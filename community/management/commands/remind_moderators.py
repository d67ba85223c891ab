"""Mail the forum moderators about queue items waiting longer than REVIEW_REMINDER_HOURS.

Run it from cron (say every hour): the outbox's key makes it one reminder per post and waiting
spell, however often it runs.
"""

from django.core.management.base import BaseCommand

from community import moderation, notices


class Command(BaseCommand):
    help = "E-mail moderators about forum posts waiting for review too long."

    def handle(self, *args, **options):
        sent = notices.remind_staff(list(moderation.overdue()))
        self.stdout.write(f"overdue: {sent}")
