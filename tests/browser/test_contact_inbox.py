"""An editor works through the contact inbox in the Wagtail admin."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactform.models import Deflection, Submission
from helpcenter.models import OutgoingMail

from .conftest import MOBILE

# contact_page, mail_server, store_submission, suggestion_for
pytest_plugins = ["tests.contactform.fixtures"]

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox(contact_page, store_submission, mail_server, make_article, suggestion_for):
    parcel = make_article(
        "Where is my parcel?", short_answer="Follow the tracking link in your shipping e-mail."
    )
    earlier = store_submission(
        contact_page, message="Can I pay by invoice?\nI would like to order two frames."
    )
    Submission.objects.filter(pk=earlier.pk).update(
        status=Submission.Status.ANSWERED, created_at=timezone.now() - timedelta(days=12)
    )
    store_submission(
        contact_page,
        name="Bo Builder",
        email="bo@example.com",
        message="How do I send my glasses back?",
        topic="Returns",
    )
    store_submission(
        contact_page,
        name="Spam Bot",
        email="bot@example.net",
        message="Cheap pills",
        spam_reason="honeypot",
    )
    mail_server.stop()  # the team notification of Ann's new message fails
    latest = store_submission(
        contact_page,
        message="Where is my parcel? <b>It was sent a week ago</b>\nOrder 4711, thanks!",
        suggestions=[suggestion_for(parcel, 0.72)],
        opened=[parcel.pk],
    )
    OutgoingMail.objects.filter(submission=latest).update(
        status=OutgoingMail.Status.FAILED, next_attempt_at=None
    )
    mail_server.start()
    mail_server.envelopes.clear()
    for _ in range(3):
        Deflection.objects.create(page=contact_page, article=parcel, article_title=parcel.title)
    return {"latest": latest, "earlier": earlier}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name=re.compile("Sign in")).click()


def test_an_editor_works_through_the_inbox(
    live_server, open_page, screenshot, editor, inbox, mail_server
):
    page = open_page()
    log_in(page, live_server, "editor")

    menu = page.get_by_role("button", name=re.compile(r"Inbox \(2\)"))
    expect(menu).to_be_visible()
    menu.click()
    page.get_by_role("link", name=re.compile(r"^Contact messages \(2\)")).click()
    expect(page.get_by_role("heading", name=re.compile("Contact messages"))).to_be_visible()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(4)
    screenshot(page, "contact-inbox-list")

    page.get_by_role("link", name="New", exact=True).click()
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Spam Bot")).to_have_count(0)
    screenshot(page, "contact-inbox-filtered-new")

    page.get_by_role("link", name="Ann Example").click()
    expect(page.get_by_role("heading", name="Ann Example", exact=True)).to_be_visible()
    message = page.locator("[data-ci-message]")
    expect(message).to_contain_text("<b>It was sent a week ago</b>")
    expect(message.locator("b")).to_have_count(0)
    expect(message.locator("br")).to_have_count(1)
    history = page.locator("[data-ci-history] li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Can I pay by invoice?")
    expect(page.get_by_text("opened", exact=True)).to_be_visible()
    expect(page.locator("[data-ci-mail='contactform.team']")).to_contain_text("Failed")
    screenshot(page, "contact-inbox-detail")

    page.get_by_label("New status").select_option("open")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Status changed to “Open”.")).to_be_visible()
    expect(page.locator("[data-ci-status]")).to_have_text("Open")

    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The e-mail was sent.")).to_be_visible()
    expect(page.locator("[data-ci-mail='contactform.team']")).to_contain_text("Sent")
    assert len(mail_server.to("team@klarsicht.example")) == 1
    screenshot(page, "contact-inbox-detail-after")

    history.nth(1).get_by_role("link").click()
    expect(page.locator("[data-ci-message]")).to_contain_text("Can I pay by invoice?")

    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Contact deflection rate").click()
    expect(page.locator("[data-deflection-total]")).to_contain_text("50% deflected")
    screenshot(page, "contact-report-deflection-rate")
    page.goto(live_server.url + "/admin/contact-reports/content-gaps/")
    expect(page.get_by_role("cell", name="Returns")).to_be_visible()
    screenshot(page, "contact-report-content-gaps")

    mobile = open_page(viewport=MOBILE)
    log_in(mobile, live_server, "editor")
    mobile.goto(live_server.url + f"/admin/contact/messages/inspect/{inbox['latest'].pk}/")
    expect(mobile.locator("[data-ci-history] li")).to_have_count(2)
    screenshot(mobile, "contact-inbox-detail-mobile")
    mobile.locator("[data-ci-mail='contactform.team']").scroll_into_view_if_needed()
    screenshot(mobile, "contact-inbox-detail-mobile-emails")
    mobile.locator("[data-ci-history]").scroll_into_view_if_needed()
    screenshot(mobile, "contact-inbox-detail-mobile-history")
