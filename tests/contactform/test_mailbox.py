"""The e-mail channel against a real IMAP server (Dovecot on loopback) and a real SMTP server:
new mail becomes a conversation, replies join theirs, machines get no automatic reply, a crash
between storing and "seen" neither loses nor doubles a mail."""

import hashlib
import imaplib
import json
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.db import connection

from contactform import notifications
from contactform.models import ConversationEntry, MailFailure, Submission
from helpcenter.models import OutgoingMail

from .imap import mail

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


# New mail --------------------------------------------------------------------------------------


def test_a_new_mail_becomes_a_conversation_and_the_team_is_told(
    mailbox, contact_page, mail_server, fetch
):
    raw = mail()
    mailbox.append(raw)

    output = fetch()

    submission = Submission.objects.get()
    assert submission.channel == Submission.Channel.EMAIL
    assert submission.page_id == contact_page.pk
    assert (submission.name, submission.email) == ("Ann Example", "ann@example.com")
    assert submission.message.startswith("Where is my order?\n\nMy order KS-1048")
    assert submission.message_id.endswith("@mail.example.com>")
    assert submission.contact.email == "ann@example.com"
    assert "Read 1 e-mails" in output and "new: 1" in output
    assert mailbox.count("UNSEEN") == 0 and mailbox.count("SEEN") == 1
    (team,) = mail_server.to("team@klarsicht.example")
    assert team["Subject"].strip().startswith(f"Contact {submission.reference}: Where is my order?")
    assert team["Message-ID"].startswith(f"<team.{submission.pk}.")
    assert team["In-Reply-To"] == submission.message_id


def test_a_second_run_finds_nothing_new(mailbox, fetch):
    mailbox.append(mail())
    fetch()

    assert "Read 0 e-mails" in fetch()
    assert Submission.objects.count() == 1


def test_two_different_mails_with_one_message_id_are_both_kept(mailbox, fetch):
    mailbox.append(
        mail("First question", Message_ID="<same@broken.example>"),
        mail("Second question", sender="bo@example.com", Message_ID="<same@broken.example>"),
    )
    mailbox.append(mail("First question", Message_ID="<same@broken.example>"))  # delivered again

    output = fetch()

    assert "new: 2" in output and "known: 1" in output
    second = Submission.objects.get(email="bo@example.com")
    assert second.message_id.endswith("@no-message-id>")
    assert "same Message-ID" in second.entries.get().body
    assert mailbox.count("UNSEEN") == 0


def test_suggested_answers_come_from_the_help_center(
    mailbox, make_article, django_capture_on_commit_callbacks, fetch
):
    with django_capture_on_commit_callbacks(execute=True):  # the index queue runs after commit
        article = make_article(
            title="My order has not arrived", short_answer="Orders arrive within five days."
        )
    mailbox.append(mail("My order has not arrived yet, where is it?"))

    fetch()

    submission = Submission.objects.get()
    assert [answer["id"] for answer in submission.suggested_answers][:1] == [article.pk]
    assert submission.suggested_answers[0]["url"].startswith("http://localhost/")


# Replies ---------------------------------------------------------------------------------------


def _answered_conversation(mailbox, fetch):
    mailbox.append(mail())
    fetch()
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.ANSWERED)
    return submission


def test_a_reply_with_the_reference_joins_the_conversation_and_reopens_it(mailbox, fetch):
    submission = _answered_conversation(mailbox, fetch)
    mailbox.append(
        mail("It came today, thanks!", subject=f"Re: Ihre Anfrage {submission.reference}")
    )

    assert "reply: 1" in fetch()

    assert Submission.objects.count() == 1
    submission.refresh_from_db()
    assert submission.status == Submission.Status.OPEN
    (entry,) = submission.entries.filter(kind=ConversationEntry.Kind.CUSTOMER)
    assert entry.channel == Submission.Channel.EMAIL
    assert "It came today, thanks!" in entry.body


def test_a_reply_to_our_automatic_reply_finds_its_conversation_by_in_reply_to(
    mailbox, contact_page, mail_server, fetch
):
    contact_page.auto_reply_enabled = True
    contact_page.save_revision().publish()
    mailbox.append(mail())
    fetch()
    submission = Submission.objects.get()
    (auto_reply,) = mail_server.to("ann@example.com")
    assert submission.reference in auto_reply["Subject"]

    mailbox.append(
        mail(
            "One more question",
            subject="Re: something else entirely",
            In_Reply_To=auto_reply["Message-ID"],
            References=f"{submission.message_id} {auto_reply['Message-ID']}",
        )
    )
    fetch()

    assert Submission.objects.count() == 1
    assert submission.entries.filter(body__contains="One more question").exists()


def test_a_stranger_quoting_a_reference_opens_a_conversation_of_their_own(mailbox, fetch):
    submission = _answered_conversation(mailbox, fetch)
    mailbox.append(
        mail("Let me in", sender="mallory@example.net", subject=f"Re: {submission.reference}")
    )

    fetch()

    assert Submission.objects.count() == 2
    assert not submission.entries.exists()


def test_a_forged_message_id_of_ours_leads_nowhere(mailbox, fetch):
    submission = _answered_conversation(mailbox, fetch)
    forged = f"<auto_reply.{submission.pk}.{'0' * 20}@klarsicht.example>"
    mailbox.append(mail("Let me in", sender="mallory@example.net", In_Reply_To=forged))

    fetch()

    assert Submission.objects.count() == 2


# No automatic reply to machines ------------------------------------------------------------------


BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
    b"To: service@klarsicht.example\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <bounce-1@mx.example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
    b"--B\r\nContent-Type: text/plain\r\n\r\nThe mail to nobody@example.org could not be "
    b"delivered.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; nobody@example.org\r\n"
    b"Action: failed\r\nStatus: 5.1.1\r\n--B--\r\n"
)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (BOUNCE, "bounce"),
        (mail(sender="bob@example.org", Auto_Submitted="auto-replied"), "Auto-Submitted"),
        (mail(sender="bob@example.org", Precedence="bulk"), "Precedence: bulk"),
        (mail(sender="Service <service@klarsicht.example>"), "our own address"),
    ],
    ids=["bounce", "auto-reply", "bulk", "our-own-auto-reply"],
)
def test_mail_written_by_a_machine_gets_no_automatic_reply(
    mailbox, contact_page, mail_server, settings, raw, reason, fetch
):
    settings.DEFAULT_FROM_EMAIL = "Klarsicht <service@klarsicht.example>"
    contact_page.auto_reply_enabled = True
    contact_page.save_revision().publish()
    mailbox.append(raw)

    fetch()

    submission = Submission.objects.get()
    auto_reply = OutgoingMail.objects.get(submission=submission, kind=notifications.AUTO_REPLY)
    assert auto_reply.status == OutgoingMail.Status.SKIPPED
    assert reason in auto_reply.last_error
    assert not [m for m in mail_server.messages if m["Auto-Submitted"]]
    assert submission.entries.get(kind=ConversationEntry.Kind.NOTE).body.startswith(
        "Written by a machine"
    )


def test_a_person_gets_the_automatic_reply(mailbox, contact_page, mail_server, fetch):
    contact_page.auto_reply_enabled = True
    contact_page.save_revision().publish()
    mailbox.append(mail())

    fetch()

    (reply,) = mail_server.to("ann@example.com")
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["In-Reply-To"] == Submission.objects.get().message_id


# Spam checks of the contact form ---------------------------------------------------------------


def test_the_same_text_again_is_a_duplicate_and_many_links_are_spam(mailbox, fetch):
    mailbox.append(mail("Same words"), mail("Same words"))
    mailbox.append(mail("http://a.example http://b.example http://c.example http://d.example"))

    output = fetch()

    assert "duplicate: 1" in output and "spam: 1" in output
    assert Submission.objects.filter(status=Submission.Status.SPAM).count() == 1
    assert mailbox.count("UNSEEN") == 0


# Crashes ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_between_storing_and_seen_neither_loses_nor_doubles(
    mailbox, contact_page, settings, fetch
):
    mailbox.append(mail("first"), mail("second"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.test",
        "MAILIN_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "MAILIN_MAILBOX": json.dumps(settings.HELPCENTER_CONTACT_MAILBOX),
    }
    killed = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.contactform.crash_fetch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert killed.returncode == -9, killed.stderr
    assert killed.stdout.startswith("stored new")
    assert Submission.objects.count() == 1  # stored, then killed
    assert mailbox.count("UNSEEN") == 2  # ... before it was marked seen

    output = fetch()

    assert "known: 1" in output and "new: 1" in output
    assert sorted(Submission.objects.values_list("message", flat=True)) == [
        "Where is my order?\n\nfirst",
        "Where is my order?\n\nsecond",
    ]
    assert mailbox.count("UNSEEN") == 0


POISON_TRIGGER = {
    # A database error for one mail only: the row of its attachment "invoice.pdf" is refused.
    "sqlite": [
        "CREATE TRIGGER refuse_invoice BEFORE INSERT ON contactform_attachment "
        "WHEN NEW.filename = 'invoice.pdf' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS "
        # An integrity error as SQLite's RAISE(ABORT) is (the default SQLSTATE would surface
        # as a ProgrammingError).
        "$$ BEGIN RAISE EXCEPTION 'disk I/O error' USING ERRCODE = 'check_violation'; END $$",
        "CREATE TRIGGER refuse_invoice BEFORE INSERT ON contactform_attachment FOR EACH ROW "
        "WHEN (NEW.filename = 'invoice.pdf') EXECUTE FUNCTION refuse_invoice()",
    ],
}


def mail_with_invoice(body="The invoice is attached; the amount is wrong.") -> bytes:
    message = EmailMessage()
    message["From"] = "Bo Example <bo@example.com>"
    message["To"] = "service@klarsicht.example"
    message["Subject"] = "Wrong invoice"
    message["Message-ID"] = make_msgid(domain="mail.example.com")
    message.set_content(body)
    message.add_attachment(
        b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="invoice.pdf"
    )
    return bytes(message)


@pytest.fixture
def poisoned_invoices():
    """Storing a mail with an "invoice.pdf" fails in the database, every time."""
    with connection.cursor() as cursor:
        for statement in POISON_TRIGGER[connection.vendor]:
            cursor.execute(statement)


def test_a_mail_that_keeps_failing_is_kept_as_it_came_after_the_last_attempt(
    mailbox, contact_page, mail_server, settings, poisoned_invoices, fetch
):
    settings.HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS = 3
    contact_page.auto_reply_enabled = True
    contact_page.save_revision().publish()
    raw = mail_with_invoice()
    mailbox.append(raw, mail("A question that stores fine"))

    first = fetch()

    assert "failed: 1" in first and "new: 1" in first
    assert "tried again next run, 3 times at most" in first
    failure = MailFailure.objects.get()
    assert (failure.attempts, failure.last_error) == (1, "IntegrityError")
    assert failure.digest == hashlib.sha256(crlf(raw)).hexdigest()  # nothing personal kept
    assert mailbox.count("UNSEEN") == 1

    assert "failed: 1" in fetch()
    mail_server.envelopes.clear()
    third = fetch()

    assert "kept-raw: 1" in third and "kept as they came" in third
    assert mailbox.count("UNSEEN") == 0
    assert not MailFailure.objects.exists()
    kept = Submission.objects.get(email="bo@example.com")
    assert kept.status == Submission.Status.NEW
    assert kept.message.startswith("Wrong invoice\n\nThe invoice is attached")
    (attachment,) = kept.attachments.all()
    assert (attachment.filename, attachment.content_type) == ("message.eml", "message/rfc822")
    with attachment.file.open("rb") as stored:
        assert stored.read() == crlf(raw)
    note = kept.entries.get(kind=ConversationEntry.Kind.NOTE).body
    assert "could not be stored in 3 attempts (last error: IntegrityError)" in note
    (team,) = mail_server.to("team@klarsicht.example")
    assert kept.reference in team["Subject"]
    assert not OutgoingMail.objects.filter(submission=kept, kind=notifications.AUTO_REPLY)
    assert mail_server.to("bo@example.com") == []

    assert "Read 0 e-mails" in fetch()


def test_a_mail_that_failed_once_and_then_stores_leaves_no_count_behind(
    mailbox, poisoned_invoices, fetch
):
    mailbox.append(mail_with_invoice())
    assert "failed: 1" in fetch()
    with connection.cursor() as cursor:
        table = " ON contactform_attachment" if connection.vendor == "postgresql" else ""
        cursor.execute("DROP TRIGGER refuse_invoice" + table)

    assert "new: 1" in fetch()

    assert Submission.objects.get().attachments.get().filename == "invoice.pdf"
    assert not MailFailure.objects.exists()


def crlf(raw: bytes) -> bytes:
    """The mail as the IMAP server keeps it (imaplib sends CRLF line ends)."""
    return re.sub(rb"\r?\n", b"\r\n", raw)


def test_a_mailbox_that_cannot_be_read_is_a_clear_error(mailbox, settings, fetch):
    settings.HELPCENTER_CONTACT_MAILBOX = {**settings.HELPCENTER_CONTACT_MAILBOX, "PASSWORD": "no"}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="127.0.0.1"):
        fetch()


def test_without_a_mailbox_the_command_says_so(settings, fetch):
    settings.HELPCENTER_CONTACT_MAILBOX = None
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not set"):
        fetch()


def test_the_task_fetches_too(mailbox):
    from contactform.mailbox import fetch_mail

    mailbox.append(mail())

    result = fetch_mail.enqueue()

    assert result.return_value == {"new": 1}
    assert Submission.objects.count() == 1


# Many mails ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_hundred_mails_in_one_run_with_progress_output(mailbox, fetch):
    mailbox.append(*(mail(f"Question number {n} about my order") for n in range(200)))

    output = fetch()

    assert "25 e-mails read" in output and "200 e-mails read" in output
    assert "Read 200 e-mails in" in output and "mails/s); new: 200." in output
    assert Submission.objects.count() == 200
    assert mailbox.count("UNSEEN") == 0


def test_a_mail_the_server_will_not_hand_over_is_kept_as_its_headers_after_the_last_attempt(
    mailbox, settings, monkeypatch, mail_server, fetch
):
    settings.HELPCENTER_CONTACT_MAILBOX_MAX_ATTEMPTS = 2
    mailbox.append(mail("The text the server will not give.", subject="Broken on the server"))
    real_uid = imaplib.IMAP4.uid

    def refusing(imap, command, *args):
        # Dovecot answers a mail it cannot read this way ("NO [SERVERBUG]").
        if command == "FETCH" and args[-1] == "(BODY.PEEK[])":
            return "NO", [b"[SERVERBUG] Internal error occurred."]
        return real_uid(imap, command, *args)

    monkeypatch.setattr(imaplib.IMAP4, "uid", refusing)

    assert "failed: 1" in fetch()
    assert (MailFailure.objects.get().attempts, mailbox.count("UNSEEN")) == (1, 1)

    second = fetch()

    assert "kept-raw: 1" in second
    assert mailbox.count("UNSEEN") == 0
    assert not MailFailure.objects.exists()
    kept = Submission.objects.get()
    assert (kept.email, kept.message) == ("ann@example.com", "Broken on the server")
    note = kept.entries.get(kind=ConversationEntry.Kind.NOTE).body
    assert "did not hand over this e-mail in 2 attempts (last error: FetchRefused)" in note
    assert "It stays in the mailbox, marked as read" in note
    (attachment,) = kept.attachments.all()
    with attachment.file.open("rb") as stored:
        assert b"Subject: Broken on the server" in stored.read()
    (team,) = mail_server.to("team@klarsicht.example")
    assert kept.reference in team["Subject"]
    assert "Read 0 e-mails" in fetch()
