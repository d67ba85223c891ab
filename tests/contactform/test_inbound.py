"""Hostile and broken mail through the real IMAP server: header injection, a 10 MB body, lying
charsets, multiparts nested 100 deep, HTML with scripts, attachment names that climb folders.
Each is stored (with a note where something could not be read), never crashes the run, and is
shown escaped; attachments are downloads for agents only."""

import base64
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contactform.inbound import html_to_text, read_mail, safe_filename
from contactform.models import Attachment, ConversationEntry, Submission
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def head(subject=b"Hello", sender=b"Ann Example <ann@example.com>", extra=b"") -> bytes:
    return (
        b"From: " + sender + b"\r\nTo: service@klarsicht.example\r\nSubject: " + subject + b"\r\n"
        b"Message-ID: <" + base64.b32encode(subject + extra)[:40] + b"@mail.example.com>\r\n"
        b"MIME-Version: 1.0\r\n" + extra
    )


@pytest.fixture
def fetch(django_capture_on_commit_callbacks):
    def run():
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("fetch_mail", stdout=out)
        return out.getvalue()

    return run


def notes_of(submission) -> str:
    return "\n".join(
        submission.entries.filter(kind=ConversationEntry.Kind.NOTE).values_list("body", flat=True)
    )


def test_header_injection_stays_in_one_line_and_reaches_nobody_else(mailbox, fetch, mail_server):
    mailbox.append(
        head(
            subject=b"=?utf-8?q?Hi=0D=0ABcc=3A_victim=40example=2Enet?=",
            sender=b"=?utf-8?q?Ann=0D=0ABcc=3A_victim=40example=2Enet?= <ann@example.com>",
            extra=b"Content-Type: text/plain\r\n",
        )
        + b"\r\nMy question\r\n"
    )

    fetch()

    submission = Submission.objects.get()
    assert submission.name == "Ann Bcc: victim@example.net"
    assert submission.message.splitlines()[0] == "Hi Bcc: victim@example.net"
    recipients = {address for envelope in mail_server.envelopes for address in envelope.rcpt_tos}
    assert recipients == {"team@klarsicht.example", "support@klarsicht.example"}
    (team,) = mail_server.to("team@klarsicht.example")
    assert team["Bcc"] is None and "\n" not in str(team["Reply-To"])


def test_a_ten_megabyte_body_is_stored_shortened_with_a_note(mailbox, fetch):
    line = b"All work and no play makes Jack a dull boy. " * 20 + b"\r\n"
    body = line * (10 * 1024 * 1024 // len(line) + 1)
    mailbox.append(head(extra=b"Content-Type: text/plain; charset=us-ascii\r\n") + b"\r\n" + body)

    assert "new: 1" in fetch()

    submission = Submission.objects.get()
    assert len(submission.message) <= 100_000 + 10
    assert "shortened" in notes_of(submission)
    assert mailbox.count("UNSEEN") == 0


def test_lying_and_unknown_charsets_are_decoded_with_a_fallback(mailbox, fetch):
    unknown = (
        head(
            subject=b"=?x-klingon?q?Gr=C3=BC=C3=9Fe?=",
            extra=b"Content-Type: text/plain; "
            b"charset=x-klingon\r\nContent-Transfer-Encoding: 8bit\r\n",
        )
        + b"\r\nGr\xc3\xbc\xc3\x9fe aus M\xc3\xbcnchen\r\n"
    )
    lying = (
        head(
            subject=b"Latin",
            sender=b"bo@example.com",
            extra=b"Content-Type: text/plain; "
            b"charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n",
        )
        + b"\r\nStra\xdfe und Gr\xfc\xdfe\r\n"
    )
    mailbox.append(unknown, lying)

    fetch()

    messages = dict(Submission.objects.values_list("email", "message"))
    assert messages["ann@example.com"] == "Grüße\n\nGrüße aus München"
    assert messages["bo@example.com"] == "Latin\n\nStraße und Grüße"


def test_multiparts_nested_a_hundred_deep_are_read_to_a_limit_with_a_note(mailbox, fetch):
    body = b"Content-Type: text/plain\r\n\r\nTop level text\r\n"
    for depth in range(100):
        boundary = f"b{depth}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\r\n\r\n--'
            + boundary
            + b"\r\n"
            + body
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    mailbox.append(head() + body)

    assert "new: 1" in fetch()

    submission = Submission.objects.get()
    assert "nested deeper than 20 levels" in notes_of(submission)
    assert mailbox.count("UNSEEN") == 0


def test_html_with_scripts_becomes_text_shown_escaped_in_the_admin(mailbox, fetch, admin_user):
    html = (
        b"<html><head><style>p{color:red}</style><script>alert('stolen')</script></head><body>"
        b"<p>Hello <b>team</b>,</p><p>my glasses &lt;script&gt;broke&lt;/script&gt;"
        b'<img src=x onerror="alert(1)"></p><div>Thanks</div></body></html>'
    )
    mailbox.append(head(extra=b"Content-Type: text/html; charset=utf-8\r\n") + b"\r\n" + html)

    fetch()

    submission = Submission.objects.get()
    assert submission.message == (
        "Hello\n\nHello team,\n\nmy glasses <script>broke</script>\n\nThanks"
    )
    page = client_for(admin_user).get(
        reverse("contact_messages_modeladmin_inspect", args=[submission.pk])
    )
    html_shown = page.content.decode()
    assert "my glasses &lt;script&gt;broke&lt;/script&gt;" in html_shown
    assert "alert(" not in html_shown and "onerror" not in html_shown


def test_attachments_are_kept_under_safe_names_for_agents_only(
    mailbox, fetch, admin_user, admin_only_user, settings
):
    settings.HELPCENTER_CONTACT_ATTACHMENT_MAX_BYTES = 1000
    message = EmailMessage()
    message["From"] = "ann@example.com"
    message["Subject"] = "Photos"
    message["Message-ID"] = "<photos@mail.example.com>"
    message.set_content("See the attached files.")
    message.add_attachment(
        b"root:x:0:0", maintype="text", subtype="plain", filename="../../../etc/passwd"
    )
    message.add_attachment(
        b"[boot]",
        maintype="application",
        subtype="octet-stream",
        filename="..\\..\\windows\\win.ini",
    )
    message.add_attachment(
        b"<script>alert(1)</script>", maintype="text", subtype="html", filename="invoice.html"
    )
    message.add_attachment(b"x" * 2000, maintype="image", subtype="png", filename="huge.png")
    mailbox.append(bytes(message))

    fetch()

    submission = Submission.objects.get()
    files = {item.filename: item for item in Attachment.objects.filter(submission=submission)}
    assert set(files) == {"passwd", "win.ini", "invoice.html"}
    for item in files.values():
        assert item.file.name.startswith("contactform/attachments/")
        assert ".." not in item.file.name and item.filename not in item.file.name
    assert "“huge.png” (2.0\xa0KB) was not kept" in notes_of(submission)

    url = reverse("contactform_attachment", args=[files["invoice.html"].pk])
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    detail = client_for(admin_user).get(
        reverse("contact_messages_modeladmin_inspect", args=[submission.pk])
    )
    assert f'href="{url}" download' in detail.content.decode()

    refused = client_for(admin_only_user).get(url, follow=True)
    assert refused.redirect_chain and b"<script>" not in refused.content
    missing = reverse("contactform_attachment", args=["9999"])
    assert client_for(admin_user).get(missing, follow=True).status_code == 404
    bogus = missing.replace("9999", "abc")
    assert client_for(admin_user).get(bogus, follow=True).status_code == 404


def test_a_reply_keeps_its_attachments_on_its_entry(mailbox, fetch, admin_user):
    first = EmailMessage()
    first["From"], first["Subject"], first["Message-ID"] = "ann@example.com", "Hi", "<a@x.example>"
    first.set_content("Question")
    mailbox.append(bytes(first))
    fetch()
    reply = EmailMessage()
    reply["From"], reply["Subject"], reply["In-Reply-To"] = (
        "ann@example.com",
        "Re: Hi",
        "<a@x.example>",
    )
    reply.set_content("Here is the photo")
    reply.add_attachment(b"PNG", maintype="image", subtype="png", filename="photo.png")
    mailbox.append(bytes(reply))

    fetch()

    entry = ConversationEntry.objects.get(kind=ConversationEntry.Kind.CUSTOMER)
    assert [item.filename for item in entry.attachments.all()] == ["photo.png"]
    detail = (
        client_for(admin_user)
        .get(reverse("contact_messages_modeladmin_inspect", args=[entry.submission_id]))
        .content.decode()
    )
    assert "Here is the photo" in detail and "photo.png" in detail


def test_garbage_is_stored_with_a_note_and_the_run_goes_on(mailbox, fetch):
    mailbox.append(b"\x00\xff\xfe garbage without any header\r\n", head() + b"\r\nfine\r\n")

    output = fetch()

    assert "new: 2" in output
    garbage = Submission.objects.get(email="")
    assert "no valid sender" in notes_of(garbage)


@pytest.fixture
def attachment_file(mailbox, fetch):
    """(storage, name) of the file of an e-mail's attachment."""
    message = EmailMessage()
    message["From"], message["Subject"] = "ann@example.com", "File"
    message.set_content("see file")
    message.add_attachment(b"secret", maintype="text", subtype="plain", filename="a.txt")
    mailbox.append(bytes(message))
    fetch()
    attachment = Attachment.objects.get()
    assert attachment.file.storage.exists(attachment.file.name)
    return attachment.file.storage, attachment.file.name


def test_erasing_a_conversation_deletes_its_attachment_files(
    attachment_file, django_capture_on_commit_callbacks
):
    storage, name = attachment_file
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_contact", "ann@example.com", stdout=StringIO())

    assert not Attachment.objects.exists()
    assert not storage.exists(name)


def test_a_dry_run_of_erasure_or_purge_keeps_the_files(
    attachment_file, django_capture_on_commit_callbacks
):
    storage, name = attachment_file
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_contact", "ann@example.com", "--dry-run", stdout=StringIO())
        call_command(
            "purge_contact_submissions", "--older-than", "0", "--dry-run", stdout=StringIO()
        )

    assert Attachment.objects.get().file.name == name
    assert storage.exists(name)


def test_the_purge_deletes_attachment_files_a_failed_store_left_behind(
    attachment_file, django_capture_on_commit_callbacks, monkeypatch
):
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from contactform.models import attachment_path

    storage, kept = attachment_file
    # The tests' storage is Django's InMemoryStorage, which dates its files with this `now`.
    with monkeypatch.context() as patch:
        patch.setattr("django.core.files.storage.memory.now",
                      lambda: timezone.now() - timedelta(days=2))
        old = storage.save(attachment_path(None, ""), ContentFile(b"Ann's photo"))
    fresh = storage.save(attachment_path(None, ""), ContentFile(b"Ann's receipt"))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_contact_submissions", "--older-than", "365", stdout=out)

    assert "attachment files without a message: 1" in out.getvalue()
    assert not storage.exists(old)
    # Written a moment ago, its row may still be on its way; the attachment's own file stays.
    assert storage.exists(fresh) and storage.exists(kept)


# Without a server: the pieces ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/absolute/path.txt", "path.txt"),
        ("..", "attachment"),
        ("", "attachment"),
        (".htaccess", "htaccess"),
        ("re\x00port\r\n.pdf", "report .pdf"),
        ('a<b>c:"d|e?.txt', "abcde.txt"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_html_to_text_drops_scripts_styles_and_attributes():
    text = html_to_text(
        "<style>.a{}</style><script>evil()</script><ul><li>one</li><li>two &amp; three</li></ul>"
        '<a href="javascript:alert(1)">link</a>'
    )
    assert text == "one\n\ntwo & three\nlink"


def test_a_mail_without_message_id_gets_a_stable_key():
    raw = b"From: ann@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    assert read_mail(raw).key == read_mail(raw).key
    assert read_mail(raw).key != read_mail(raw + b"more").key


def test_a_ten_megabyte_html_mail_is_read_to_the_text_limit():
    html = b"<html><body>" + b"<p>Lens <b>scratched</b> again.</p>" * 300_000 + b"</body></html>"
    raw = b"From: ann@example.com\r\nContent-Type: text/html\r\n\r\n" + html

    mail = read_mail(raw)

    assert len(mail.text) == 100_000
    assert mail.text.startswith("Lens scratched again.")
    assert any("shortened" in note for note in mail.notes)


@pytest.mark.parametrize(
    "role, allowed",
    [("admin_user", True), ("editor", True), ("admin_only_user", False), (None, False)],
    ids=["superuser", "editor", "admin-without-inbox", "anonymous"],
)
def test_who_may_download_an_attachment(request, contact_page, store_submission, role, allowed):
    from django.core.files.base import ContentFile
    from django.test import Client

    attachment = Attachment(
        submission=store_submission(contact_page),
        filename="receipt.pdf",
        content_type="application/pdf",
        size=7,
    )
    attachment.file.save("attachment", ContentFile(b"%PDF-1."), save=True)
    client = client_for(request.getfixturevalue(role)) if role else Client()

    response = client.get(reverse("contactform_attachment", args=[attachment.pk]), follow=True)

    assert (
        (b"".join(response.streaming_content) == b"%PDF-1.")
        if allowed
        else (response.redirect_chain and not getattr(response, "streaming", False))
    )
