"""The contact form in a real browser: answers while typing, deflection, sending, the inbox."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community import posting
from community.links import thread_url
from contactform.models import ContactPage, Deflection, Submission
from faq.importer import ArticleImporter
from faq.models import ArticlePage
from search.suggestions import suggest

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.community.fixtures"]  # forum, board, asker, answerer

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "example_site/demo_content/articles.jsonl"
QUESTION = "I just moved house. Can I still change the delivery address of my order?"
EXPECTED = "Can I change my delivery address after ordering?"


@pytest.fixture
def contact_site(help_center, settings):
    """The demo's English articles, indexed, and a contact page linked from the help center."""
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 1
    records = [json.loads(line) for line in DEMO_ARTICLES.open(encoding="utf-8")]
    report = ArticleImporter().run(
        (number, record) for number, record in enumerate(records, 1) if record["locale"] == "en"
    )
    assert not report.errors
    page = help_center.add_child(instance=ContactPage(
        title="Contact us", slug="contact", recipients="service@klarsicht.example",
        intro="<p>Our service team answers every message by e-mail.</p>",
        topics="Order & delivery\nReturns & refunds",
        privacy_url="https://klarsicht.example/privacy",
        business_hours=[{"type": "hours", "value": {
            "days": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "17:00"}}],
    ))
    page.save_revision().publish()
    page.refresh_from_db()
    help_center.refresh_from_db()
    help_center.contact_page = page
    help_center.save_revision().publish()
    # Open the index once, as a running site has, so the first customer's search is not the
    # one that pays for it (searches are bounded by a time limit).
    suggest(QUESTION, "en")
    return page


def open_contact_page(open_page, live_server, help_center, viewport=DESKTOP):
    page = open_page(viewport=viewport)
    page.goto(live_server.url + help_center.url)
    page.get_by_role("link", name="Contact us").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    return page


def test_a_customer_finds_the_answer_while_typing_and_says_so(
    live_server, open_page, screenshot, help_center, contact_site
):
    article = ArticlePage.objects.get(title=EXPECTED)
    page = open_contact_page(open_page, live_server, help_center)
    message = page.get_by_label("How can we help?")
    expect(message).to_be_focused()
    screenshot(page, "contact-desktop")

    message.press_sequentially(QUESTION, delay=15)
    panel = page.get_by_role("complementary", name="Answers that might help")
    expect(panel.get_by_role("status")).to_have_text(re.compile(r"[123] answers? might help"))
    first = panel.get_by_role("listitem").first
    expect(first.get_by_role("heading")).to_have_text(EXPECTED)

    show = first.get_by_role("button", name=re.compile("^(Show|Hide) answer"))
    show.click()
    expect(show).to_have_attribute("aria-expanded", "true")
    expect(first.get_by_text("Moved recently or spotted a typo")).to_be_visible()
    assert page.locator("input[name=opened]").input_value() == str(article.pk)
    screenshot(page, "contact-answer-open-desktop")

    first.get_by_role("button", name=re.compile("^This answers my question")).click()
    thanks = first.get_by_text("Great, we're glad this answered your question!")
    expect(thanks).to_be_visible()
    expect(page.locator(".hc-suggestion__thanks")).to_be_focused()
    screenshot(page, "contact-deflected-desktop")

    expect(message).to_have_value(QUESTION)
    expect(page.get_by_role("button", name="Send message")).to_be_enabled()
    deflection = Deflection.objects.get()
    assert (deflection.article_id, deflection.page_id) == (article.pk, contact_site.pk)
    assert not Submission.objects.exists()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_a_solved_thread_is_suggested_after_the_articles_as_a_link_to_it(
    live_server, open_page, screenshot, help_center, contact_site, board, asker, answerer,
    viewport,
):
    thread = posting.start_thread(
        board, asker, "Changed my delivery address after moving house",
        "I moved house last week. Could I still change the delivery address of my order?")
    posting.accept(posting.reply(thread, answerer, "Yes: the order page lets you edit it "
                                 "until the glasses are shipped."), asker)
    page = open_contact_page(open_page, live_server, help_center, viewport=viewport)
    page.get_by_label("How can we help?").press_sequentially(QUESTION, delay=10)
    panel = page.get_by_role("complementary", name="Answers that might help")
    items = panel.get_by_role("listitem")
    link = panel.get_by_role("link", name=re.compile("^Changed my delivery address"))
    expect(link).to_be_visible()
    expect(items.first.get_by_role("heading")).to_have_text(EXPECTED)  # articles first
    expect(items.last).to_contain_text("Community")
    expect(items.last.get_by_role("button", name=re.compile("^Show answer"))).to_have_count(0)
    assert link.get_attribute("href") == thread_url(thread)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the contact page scrolls sideways ({width}px)"
    name = "desktop" if viewport is DESKTOP else "mobile"
    screenshot(page, f"contact-thread-suggestion-{name}")

    with page.expect_popup() as opened:
        link.click()
    expect(opened.value.get_by_role("heading", level=1)).to_have_text(thread.title)
    items.last.get_by_role("button", name=re.compile("^This answers my question")).click()
    expect(items.last.get_by_text("Great, we're glad this answered your question!")).to_be_visible()
    expect(page.get_by_label("How can we help?")).to_have_value(QUESTION)
    deflection = Deflection.objects.get()
    assert (deflection.source, deflection.article_id, deflection.article_title) == (
        "community", None, thread.title)


def test_a_customer_sends_the_form_and_the_team_sees_it_in_the_inbox(
    live_server, open_page, screenshot, help_center, contact_site, django_user_model
):
    page = open_contact_page(open_page, live_server, help_center, viewport=MOBILE)
    page.get_by_label("How can we help?").press_sequentially(
        "My new glasses pinch behind the ears. Can you adjust the temples for me?", delay=15
    )
    panel = page.get_by_role("complementary", name="Answers that might help")
    expect(panel.get_by_role("status")).to_have_text(re.compile("might help"))
    page.get_by_label("Your name").fill("Ann Example")
    page.get_by_label("Your e-mail address").fill("ann@example.com")
    page.get_by_label("Topic").select_option("Returns & refunds")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the contact page scrolls sideways ({width}px)"
    screenshot(page, "contact-filled-mobile")

    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your message has been sent"
    )
    submission = Submission.objects.get()
    expect(page.get_by_text("Your reference number is")).to_contain_text(submission.reference)
    screenshot(page, "contact-sent-mobile")
    assert submission.name == "Ann Example" and submission.topic == "Returns & refunds"
    assert submission.status == Submission.Status.NEW and submission.suggested_answers

    inbox = reverse("contact_messages_modeladmin_index")  # contactform/wagtail_hooks.py
    django_user_model.objects.create_superuser("admin", "admin@example.com", "correct-horse")
    admin = open_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.get_by_label("Username").fill("admin")
    admin.get_by_label("Password").fill("correct-horse")
    admin.get_by_role("button", name=re.compile("Sign in")).click()
    expect(admin).to_have_url(re.compile("/admin/$"))
    admin.goto(live_server.url + inbox)
    expect(admin.get_by_text("Ann Example").first).to_be_visible()
    expect(admin.get_by_text(re.compile("My new glasses pinch")).first).to_be_visible()
    screenshot(admin, "contact-form-sent-in-inbox")


def test_keyboard_users_reach_the_suggestions_right_after_the_message(
    live_server, open_page, screenshot, help_center, contact_site
):
    page = open_contact_page(open_page, live_server, help_center)
    page.keyboard.type(QUESTION, delay=15)
    panel = page.get_by_role("complementary", name="Answers that might help")
    expect(panel.get_by_role("listitem").first.get_by_role("heading")).to_have_text(EXPECTED)
    page.keyboard.press("Tab")
    show = panel.get_by_role("button", name=re.compile("^(Show|Hide) answer")).first
    expect(show).to_be_focused()
    page.keyboard.press("Enter")
    expect(show).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    helped = panel.get_by_role("button", name=re.compile("^This answers my question")).first
    expect(helped).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".hc-suggestion__thanks")).to_be_focused()
    assert Deflection.objects.count() == 1


def test_without_javascript_the_customer_sees_the_answers_first(
    live_server, browser, screenshot, contact_site
):
    for viewport, name in ((DESKTOP, "desktop"), (MOBILE, "mobile")):
        context = browser.new_context(java_script_enabled=False, viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + contact_site.url)
        page.get_by_label("How can we help?").fill(QUESTION)
        page.get_by_label("Your name").fill("Ben Example")
        page.get_by_label("Your e-mail address").fill(f"ben-{name}@example.com")
        page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
        page.get_by_role("button", name="Send message").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Before you send: these answers might help"
        )
        expect(page.get_by_role("link", name=EXPECTED).first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the suggestions step scrolls sideways ({width}px)"
        screenshot(page, f"contact-nojs-step-{name}")
        if name == "desktop":
            solved = re.compile(rf"^This solved it\W+{re.escape(EXPECTED)}")
            page.get_by_role("button", name=solved).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Great, we're glad this helped!"
            )
        else:
            page.get_by_role("button", name="Send anyway").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Thank you, your message has been sent"
            )
        context.close()
    assert Deflection.objects.count() == 1
    assert list(Submission.objects.values_list("email", flat=True)) == ["ben-mobile@example.com"]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_a_fast_sender_confirms_once_and_the_message_is_sent(
    live_server, open_page, screenshot, contact_site, settings, viewport
):
    """Autofill and paste within the minimum fill time: asked to confirm, never binned."""
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 60
    page = open_page(viewport=viewport)
    page.goto(live_server.url + contact_site.url)
    page.get_by_label("How can we help?").fill(QUESTION)
    page.get_by_label("Your name").fill("Fay Fast")
    page.get_by_label("Your e-mail address").fill("fay@example.com")
    page.get_by_role("button", name="Send message").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Your message has not been sent yet.")
    expect(alert).to_contain_text("press “Send message” once more")
    expect(page.get_by_label("How can we help?")).to_have_value(QUESTION)
    assert not Submission.objects.exists()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the form scrolls sideways ({width}px)"
    screenshot(page, f"contact-confirm-fast-{'phone' if viewport is MOBILE else 'desktop'}")

    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your message has been sent"
    )
    expect(page).to_have_url(re.compile(r"/en/contact/thanks/$"))
    submission = Submission.objects.get()
    assert (submission.status, submission.spam_reason) == (Submission.Status.NEW, "")


@pytest.fixture
def german_contact_page(help_center, locale_de, settings):
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 0
    german = help_center.copy_for_translation(locale_de)
    german.save_revision().publish()
    page = german.add_child(instance=ContactPage(
        title="Kontakt", slug="kontakt", recipients="service@klarsicht.example",
        locale=locale_de,
    ))
    page.save_revision().publish()
    return page


def test_the_thank_you_page_has_a_path_in_each_language(
    live_server, open_page, screenshot, contact_site, german_contact_page
):
    for viewport, name in ((DESKTOP, "desktop"), (MOBILE, "phone")):
        for url, locale, words, thanks in (
            (contact_site.url, "en-US", ("How can we help?", "Your name", "Your e-mail address",
                                         "Send message"), "Thank you, your message has been sent"),
            ("/de/kontakt/", "de-DE", ("Wie können wir helfen?", "Ihr Name",
                                       "Ihre E-Mail-Adresse", "Nachricht senden"),
             "Vielen Dank, Ihre Nachricht wurde gesendet"),
        ):
            expected = "thanks/" if locale == "en-US" else "danke/"
            page = open_page(viewport=viewport, locale=locale)
            page.goto(live_server.url + url + expected)
            expect(page).to_have_url(live_server.url + url)  # nothing sent yet: the form
            message, person, address, send = words
            page.get_by_label(message).fill(f"{QUESTION} ({name})")
            page.get_by_label(person).fill("Ann Example")
            page.get_by_label(address).fill(f"ann-{name}@example.com")
            page.get_by_role("button", name=send).click()
            heading = page.get_by_role("heading", level=1)
            expect(heading).not_to_have_text(re.compile("Contact us|Kontakt"))
            anyway = page.get_by_role("button", name=re.compile("Send anyway|Trotzdem senden"))
            if anyway.count():  # the suggestions step, when the answers had not shown yet
                anyway.click()
            expect(heading).to_have_text(thanks)
            expect(page).to_have_url(live_server.url + url + expected)
            screenshot(page, f"contact-thanks-{locale[:2]}-{name}")
