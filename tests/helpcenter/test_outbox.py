"""The shared mail outbox (helpcenter.outbox) on its own: store, dedupe, skip, resend, report.

The contact form's notifications (tests/contactform/test_notifications.py) cover retries,
backoff, failure and the cron command through the same outbox.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from helpcenter import outbox
from helpcenter.models import OutgoingMail
from tests.contactform.fixtures import mail_server  # noqa: F401 - fixture
from tests.helpers import client_for

KIND = "tests.greeting"


def greeting(mail):
    group = mail.about
    if group.name == "quiet":
        raise outbox.Skip("This group asked for no mail.")
    return EmailMessage(
        subject=f"Hello {group.name}", body="Welcome.", to=mail.recipients.split(", ")
    )


@pytest.fixture
def kind(monkeypatch):
    monkeypatch.setitem(
        outbox._kinds, KIND, outbox.MailKind(KIND, "Greeting", greeting, may_resend=None)
    )


@pytest.mark.django_db(transaction=True)
def test_a_stored_mail_is_sent_after_commit_and_only_once_per_key(kind, mail_server):  # noqa: F811
    group = Group.objects.create(name="readers")
    with transaction.atomic():
        first = outbox.store(KIND, about=group, recipients=["a@example.com"], key="greet:1")
        again = outbox.store(KIND, about=group, recipients=["a@example.com"], key="greet:1")
        assert mail_server.envelopes == []  # nothing before commit

    assert again.pk == first.pk
    assert OutgoingMail.objects.count() == 1
    assert [m["Subject"] for m in mail_server.to("a@example.com")] == ["Hello readers"]
    first.refresh_from_db()
    assert first.status == OutgoingMail.Status.SENT and first.sent_at is not None
    assert list(outbox.about(group)) == [first]


@pytest.mark.django_db(transaction=True)
def test_a_builder_may_skip_and_a_vanished_object_skips(kind, mail_server):  # noqa: F811
    quiet = Group.objects.create(name="quiet")
    gone = Group.objects.create(name="gone")
    with transaction.atomic():
        skipped = outbox.store(KIND, about=quiet, recipients=["q@example.com"])
        orphan = outbox.store(KIND, about=gone, recipients=["g@example.com"])
        gone.delete()

    skipped.refresh_from_db()
    orphan.refresh_from_db()
    assert skipped.status == orphan.status == OutgoingMail.Status.SKIPPED
    assert skipped.last_error == "This group asked for no mail."
    assert "no longer exists" in orphan.last_error
    assert mail_server.envelopes == []


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(LookupError):
        outbox.store("tests.unknown", recipients=["a@example.com"])


@pytest.mark.django_db(transaction=True)
def test_the_report_lists_mail_and_staff_can_resend(kind, mail_server, django_user_model):  # noqa: F811
    group = Group.objects.create(name="readers")
    mail = outbox.store(KIND, about=group, recipients=["a@example.com"], skip_reason="Held back")
    editor = django_user_model.objects.create_user("editor", password="x")  # noqa: S106
    editor.groups.add(Group.objects.get(name="Editors"))
    client = client_for(editor)

    page = client.get(reverse("helpcenter_admin:outgoing_mail"), {"status": "skipped"})
    assert page.status_code == 200
    assert "a@example.com" in page.text and "Held back" in page.text and "Greeting" in page.text

    response = client.post(reverse("helpcenter_admin:resend_mail", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    assert len(mail_server.to("a@example.com")) == 1
    # Sent mail is not sent twice.
    client.post(reverse("helpcenter_admin:resend_mail", args=[mail.pk]))
    assert len(mail_server.to("a@example.com")) == 1
