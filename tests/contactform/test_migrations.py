"""Upgrading keeps every e-mail: contactform 0005 moves notifications into the shared outbox."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("contactform", "0004_conversations"), ("helpcenter", "0003_staff_see_outgoing_mail")]
AFTER = [("contactform", "0005_notifications_to_outbox")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_migrations():
    """Later tests need every table: migrate forward to the newest migrations when done (AFTER
    is not the newest once an app adds another migration)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_notifications_become_outbox_mails_with_their_state():
    old = migrate(BEFORE)
    Contact = old.get_model("contactform", "Contact")
    Submission = old.get_model("contactform", "Submission")
    Notification = old.get_model("contactform", "Notification")
    contact = Contact.objects.create(email="ann@example.com")
    submission = Submission.objects.create(
        contact=contact, name="Ann", email="ann@example.com", message="Where is my parcel?"
    )
    created = timezone.now() - timedelta(days=3)
    sent = Notification.objects.create(
        submission=submission, kind="team", recipients="team@example.com", status="sent"
    )
    Notification.objects.filter(pk=sent.pk).update(created_at=created)
    Notification.objects.create(
        submission=submission,
        kind="auto_reply",
        recipients="ann@example.com",
        status="failed",
        attempts=6,
        last_error="SMTPServerDisconnected: down",
    )

    new = migrate(AFTER)

    OutgoingMail = new.get_model("helpcenter", "OutgoingMail")
    mails = {mail.kind: mail for mail in OutgoingMail.objects.all()}
    assert set(mails) == {"contactform.team", "contactform.auto_reply"}
    team, reply = mails["contactform.team"], mails["contactform.auto_reply"]
    assert (team.status, team.recipients, team.object_id) == (
        "sent",
        "team@example.com",
        submission.pk,
    )
    assert team.created_at == created
    assert team.key == f"contactform.team:{submission.pk}"
    assert (reply.status, reply.attempts, reply.last_error) == (
        "failed",
        6,
        "SMTPServerDisconnected: down",
    )
    assert team.content_type.model == "submission"
