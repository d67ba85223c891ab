"""An agent reads a conversation that came by e-mail: the customer's HTML mail as escaped text,
their reply, the notes on what was not kept, and the attachments as downloads."""

import re
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from contactform.models import Submission

from .conftest import MOBILE

# contact_page, mail_server; dovecot, mailbox (a real IMAP server)
pytest_plugins = ["tests.contactform.fixtures", "tests.contactform.imap"]

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_conversation(mailbox, mail_server, settings):
    settings.HELPCENTER_CONTACT_ATTACHMENT_MAX_BYTES = 50_000
    first = EmailMessage()
    first["From"] = "Ann Example <ann@example.com>"
    first["Subject"] = "Scratched lens on my new glasses"
    first["Message-ID"] = "<first@mail.example.com>"
    first.set_content("My new glasses arrived with a scratch. <script>alert(1)</script>")
    first.add_alternative(
        "<p>My new glasses arrived with a <b>scratch</b>.</p><script>alert(1)</script>",
        subtype="html",
    )
    first.add_attachment(
        b"\x89PNG fake photo", maintype="image", subtype="png", filename="../../lens photo.png"
    )
    first.add_attachment(b"x" * 60_000, maintype="video", subtype="mp4", filename="video.mp4")
    mailbox.append(bytes(first))
    call_command("fetch_mail", stdout=StringIO())
    submission = Submission.objects.get()
    reply = EmailMessage()
    reply["From"] = "ann@example.com"
    reply["Subject"] = f"Re: Scratched lens {submission.reference}"
    reply.set_content("Here is the receipt as well.")
    reply.add_attachment(
        b"%PDF-1.4 receipt", maintype="application", subtype="pdf", filename="receipt.pdf"
    )
    mailbox.append(bytes(reply))
    colleague = EmailMessage()
    colleague["From"] = "Bob Colleague <bob@example.org>"
    colleague["Subject"] = "Re: Scratched lens on my new glasses"
    colleague["References"] = "<first@mail.example.com>"
    colleague.set_content("I am Ann's colleague: the glasses are at our front desk.")
    mailbox.append(bytes(colleague))
    call_command("fetch_mail", stdout=StringIO())
    return submission


def test_an_agent_reads_an_email_conversation_and_downloads_an_attachment(
    live_server, open_page, screenshot, mail_conversation, django_user_model
):
    django_user_model.objects.create_superuser("agent", "agent@example.com", "correct-horse")
    page = open_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(live_server.url + reverse("contact_messages_modeladmin_index"))
    expect(page.get_by_text(mail_conversation.reference)).to_be_visible()
    page.goto(
        live_server.url
        + reverse("contact_messages_modeladmin_inspect", args=[mail_conversation.pk])
    )
    expect(page.locator("[data-ci-reference]")).to_have_text(mail_conversation.reference)
    expect(page.locator("[data-ci-message]")).to_contain_text("<script>alert(1)</script>")
    entries = page.locator("[data-ci-entry]")
    expect(entries.filter(has_text="Here is the receipt as well.")).to_have_count(1)
    expect(entries.filter(has_text="“video.mp4”")).to_contain_text("internal")
    # A reply from another address says who sent it; the customer's own reply does not.
    sender = entries.locator("[data-ci-sender]")
    expect(sender).to_have_text(["· from Bob Colleague <bob@example.org>"])
    sender.scroll_into_view_if_needed()
    screenshot(page, "mail-conversation-other-sender")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "mail-conversation-desktop")
    # The team heard of the customer's reply; the mail is listed with the conversation's own.
    notice = page.locator('[data-ci-mail="contactform.customer_reply"]').first
    expect(notice).to_contain_text("Customer reply notification")
    expect(notice).to_contain_text("team@klarsicht.example")
    notice.scroll_into_view_if_needed()
    screenshot(page, "mail-conversation-mails")

    with page.expect_download() as download:
        page.get_by_role("link", name="lens photo.png").click()
    assert download.value.suggested_filename == "lens photo.png"
    assert open(download.value.path(), "rb").read() == b"\x89PNG fake photo"

    phone = open_page(viewport=MOBILE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    expect(phone.get_by_role("link", name="receipt.pdf")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"] + 1, f"the detail scrolls sideways ({width}px)"
    screenshot(phone, "mail-conversation-mobile")
