"""Background delivery of the mail outbox (django-tasks).

`deliver_mail` sends one mail. When the attempt fails and the backend can defer (the database
backend, `manage.py db_worker`), it enqueues itself again for the mail's `next_attempt_at`;
otherwise (the immediate backend) the mail waits, PENDING, for `manage.py send_mail_outbox`,
which a cron job runs every few minutes.

Mail tasks go to the queue `HELPCENTER_MAIL_QUEUE`; each SMTP conversation is bounded by
Django's `EMAIL_TIMEOUT` (docs/architecture.md, "Workers and queues").
"""

from django_tasks import task

from . import outbox
from .conf import app_settings


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one mail if it is due; returns its status afterwards."""
    from .models import OutgoingMail

    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return "gone"
    if outbox.deliver(mail) == "retry":
        retry_later(mail)
    return mail.status


@task()
def send_due_mail() -> int:
    """Deliver every pending mail whose time has come; returns how many were sent."""
    return outbox.deliver_due()


def retry_later(mail) -> bool:
    """Enqueue the next attempt for `next_attempt_at` when the task backend can defer."""
    if not deliver_mail.get_backend().supports_defer:
        return False
    deliver_mail.using(run_after=mail.next_attempt_at, queue_name=app_settings.MAIL_QUEUE).enqueue(
        mail.pk
    )
    return True
