"""An agent answers a customer from the inbox and reads the customer's timeline."""

import re

import pytest
from playwright.sync_api import expect

from contactform.models import SavedReply

from .conftest import MOBILE
from .test_contact_inbox import log_in

# contact_page, mail_server, store_submission, suggestion_for
pytest_plugins = ["tests.contactform.fixtures"]

pytestmark = pytest.mark.browser


@pytest.fixture
def conversation(contact_page, store_submission, make_article, suggestion_for, locale_en):
    parcel = make_article(
        "Where is my parcel?", short_answer="Follow the tracking link in your shipping e-mail."
    )
    SavedReply.objects.create(
        locale=locale_en,
        title="Greeting",
        text="Hello {first_name}, thank you for your message {reference}.",
    )
    submission = store_submission(
        contact_page,
        name="Anna-Lena Example",
        message="Where is my parcel? It was sent a week ago.",
        suggestions=[suggestion_for(parcel, 0.72)],
    )
    return submission


def test_an_agent_answers_with_blocks_and_a_saved_reply_and_keeps_a_note(
    live_server, open_page, screenshot, editor, conversation, mail_server
):
    mail_server.envelopes.clear()
    page = open_page()
    log_in(page, live_server, "editor")
    page.goto(live_server.url + f"/admin/contact/messages/inspect/{conversation.pk}/")
    body = page.get_by_label("Reply or internal note")
    expect(body).to_be_visible()
    screenshot(page, "service-desk-composer")

    page.get_by_label("Saved reply").select_option(label="Greeting")
    page.get_by_role("button", name="Insert saved reply").click()
    expect(body).to_have_value(
        f"Hello Anna-Lena, thank you for your message {conversation.reference}."
    )
    page.get_by_role("button", name=re.compile("^Insert Where is my parcel")).click()
    expect(body).to_have_value(re.compile(r"message #HC-\d+\.\n\nWhere is my parcel\?\nFollow"))
    body.press("End")
    body.type("\n\nBest wishes, Mia")
    screenshot(page, "service-desk-composer-filled")
    page.get_by_role("button", name="Send reply to the customer").click()
    expect(page.get_by_text("Your reply was sent to the customer.")).to_be_visible()

    page.get_by_label("Reply or internal note").fill("Courier says Tuesday.")
    page.get_by_role("button", name="Add as internal note").click()
    expect(page.get_by_text("Your internal note was added.")).to_be_visible()
    entries = page.locator("[data-ci-entries] li")
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_contain_text("internal: the customer never sees this")
    expect(page.locator("[data-ci-status]")).to_have_text("Answered")
    screenshot(page, "service-desk-conversation")

    (mail,) = mail_server.to("ann@example.com")
    text = mail.get_content()
    assert "Where is my parcel?\nFollow the tracking link" in text
    assert "Best wishes, Mia" in text and "Courier" not in text
    assert conversation.reference in mail["Subject"]
    assert mail["In-Reply-To"] and mail["References"]

    page.get_by_role("link", name="Contact record").click()
    timeline = page.locator("[data-ci-timeline] li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Courier says Tuesday.")
    expect(timeline.nth(0)).to_contain_text("internal")
    expect(timeline.nth(1)).to_contain_text("Reply by")
    expect(timeline.nth(2)).to_contain_text("Where is my parcel? It was sent a week ago.")
    screenshot(page, "service-desk-timeline")
    page.get_by_role("link", name="Internal notes").click()
    expect(timeline).to_have_count(1)

    mobile = open_page(viewport=MOBILE)
    log_in(mobile, live_server, "editor")
    mobile.goto(live_server.url + f"/admin/contact/messages/inspect/{conversation.pk}/")
    mobile.locator("[data-ci-composer]").scroll_into_view_if_needed()
    screenshot(mobile, "service-desk-composer-mobile")
    mobile.goto(live_server.url + f"/admin/contact/contacts/inspect/{conversation.contact_id}/")
    screenshot(mobile, "service-desk-timeline-mobile")
