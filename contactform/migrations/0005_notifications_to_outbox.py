from django.db import migrations

KINDS = {"team": "contactform.team", "auto_reply": "contactform.auto_reply"}


def copy_to_outbox(apps, schema_editor):
    """Every recorded notification becomes a mail of the shared outbox, with its state."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Notification = apps.get_model("contactform", "Notification")
    OutgoingMail = apps.get_model("helpcenter", "OutgoingMail")
    content_type, _ = ContentType.objects.get_or_create(app_label="contactform", model="submission")
    batch = []
    for notification in Notification.objects.order_by("pk").iterator():
        kind = KINDS.get(notification.kind, f"contactform.{notification.kind}")
        batch.append(
            OutgoingMail(
                kind=kind,
                content_type_id=content_type.pk,
                object_id=notification.submission_id,
                recipients=notification.recipients,
                key=f"{kind}:{notification.submission_id}",
                status=notification.status,
                attempts=notification.attempts,
                last_error=notification.last_error,
                next_attempt_at=notification.next_attempt_at,
                created_at=notification.created_at,
                sent_at=notification.sent_at,
            )
        )
        if len(batch) >= 500:
            _save(OutgoingMail, batch)
    _save(OutgoingMail, batch)


def _save(OutgoingMail, batch):
    OutgoingMail.objects.bulk_create(batch)
    batch.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("contactform", "0004_conversations"),
        ("helpcenter", "0002_outgoing_mail"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
