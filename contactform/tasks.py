"""Background delivery of contact notifications (django-tasks).

`deliver_notification` sends one notification. When the attempt fails and the backend can defer
(the database backend, `manage.py db_worker`), it enqueues itself again for the notification's
`next_attempt_at`; otherwise (the immediate backend) the notification waits, PENDING, for
`manage.py send_contact_notifications`, which a cron job runs every few minutes.

Mail tasks go to the queue `HELPCENTER_CONTACT_MAIL_QUEUE`; each SMTP conversation is bounded by
Django's `EMAIL_TIMEOUT` (docs/architecture.md, "Workers and queues").
"""

from django_tasks import task

from . import notifications
from .conf import app_settings


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one notification if it is due; returns its status afterwards."""
    from .models import Notification

    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return "gone"
    if notifications.deliver(notification) == "retry":
        retry_later(notification)
    return notification.status


@task()
def send_due_notifications() -> int:
    """Deliver every pending notification whose time has come; returns how many were sent."""
    return notifications.deliver_due()


def retry_later(notification) -> bool:
    """Enqueue the next attempt for `next_attempt_at` when the task backend can defer."""
    if not deliver_notification.get_backend().supports_defer:
        return False
    deliver_notification.using(
        run_after=notification.next_attempt_at, queue_name=app_settings.MAIL_QUEUE
    ).enqueue(notification.pk)
    return True
