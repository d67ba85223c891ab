"""The community forum in a real browser: sign up with e-mail verification, ask with suggestions
while typing, answer, accept, find the solved thread in the list and the help search; the same
question without JavaScript; a draft that survives a reload."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from community import posting
from community.models import MemberProfile, Thread

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.contactform.fixtures", "tests.community.fixtures"]

TITLE = "My frame slides down my nose when I read"
TEXT = "Whenever I look down at a book the frame slides down my nose. What can I do?"
PASSWORD = "Brille-2026-klar"  # noqa: S105 - a test account


@pytest.fixture
def community(forum, board, make_article, make_member):
    """A forum with a solved thread and an article about slipping frames, both indexed."""
    make_article(title="My glasses keep slipping down my nose – what can I do?",
                 short_answer="Have the temples adjusted, or choose ear grips for the frame.")
    asker, helper = make_member("Lena M."), make_member("Jonas W.")
    solved = posting.start_thread(board, asker, "Frame keeps sliding down my nose",
                                  "My frame slides down my nose all day long.")
    posting.accept(posting.reply(solved, helper, "Silicone ear grips fixed it for me."), asker)
    return forum


def member_with_password(display_name, email, trust_level=0):
    user = get_user_model().objects.create_user(email.split("@")[0], email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    MemberProfile.objects.create(user=user, display_name=display_name, trust_level=trust_level)
    return user


def log_in(page, base, email):
    page.goto(f"{base}/en/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


SIGN_UP = {"en": ("Sign Up", "Verify Your Email Address", "Confirm"),
           "de": ("Registrieren", "Bestätige deine E-Mail-Adresse", "Bestätigen")}


def sign_up(page, base, email, mail_server, language="en"):
    sign_up_label, verify_heading, confirm_label = SIGN_UP[language]
    page.goto(f"{base}/{language}/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name=sign_up_label).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(verify_heading)
    [mail] = mail_server.to(email)
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.get_content()).group(0)
    page.goto(link)
    page.get_by_role("button", name=confirm_label).click()


def mail_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def on_live_server(base, url):
    """A link from a mail (the Wagtail site's host) on the test's live server."""
    return base + "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_ask_answer_accept_and_find_it(community, live_server, open_page, mail_server,
                                       screenshot, settings):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0  # see test_moderation.py
    base = live_server.url
    asker = open_page()
    sign_up(asker, base, "new.customer@example.com", mail_server)

    asker.goto(base + community.url)
    asker.get_by_role("link", name="Ask the community").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Ask the community")
    asker.get_by_label("Title").fill(TITLE)
    asker.get_by_label("Details").press_sequentially(TEXT[:40], delay=5)
    suggestions = asker.locator("[data-hc-suggest-list] li")
    expect(suggestions.filter(has_text="Frame keeps sliding down my nose")).to_be_visible()
    expect(suggestions.filter(
        has_text="My glasses keep slipping down my nose – what can I do?")).to_be_visible()
    expect(suggestions.filter(has_text="Solved thread").first).to_be_visible()
    expect(suggestions.filter(has_text="Help article").first).to_be_visible()
    asker.reload()  # the draft survives
    expect(asker.get_by_label("Title")).to_have_value(TITLE)
    expect(asker.get_by_label("Details")).to_have_value(TEXT[:40])
    asker.get_by_label("Details").fill(TEXT)
    screenshot(asker, "community-compose-1280")
    asker.get_by_role("button", name="Post", exact=True).click()
    expect(asker.get_by_role("heading", level=1)).to_have_text(TITLE)
    thread = Thread.objects.get(title=TITLE)
    assert thread.author.email == "new.customer@example.com"

    helper_user = member_with_password("Priya S.", "priya@example.com")
    helper = open_page()
    log_in(helper, base, "priya@example.com")
    helper.goto(base + community.url + thread.url_part)
    helper.get_by_role("textbox", name="Your answer").fill(
        "Ask for **silicone ear grips**; they stop it.")
    helper.get_by_role("button", name="Post your answer").click()
    expect(helper.locator(".hc-post__body strong", has_text="silicone ear grips")).to_be_visible()

    # The asker follows their thread: the reply arrives by mail, with a one-click unsubscribe.
    [reply_mail] = [m for m in mail_server.to("new.customer@example.com")
                    if m["Subject"] == f"New reply: {TITLE}"]
    assert "silicone ear grips" in mail_text(reply_mail)
    assert reply_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    thread_link = re.search(r"https?://\S+#post-\d+", mail_text(reply_mail)).group(0)
    unsubscribe = re.search(r"<(\S+)>", reply_mail["List-Unsubscribe"]).group(1)

    asker.goto(base + community.url)  # meanwhile, elsewhere; then the link in the mail
    asker.goto(on_live_server(base, thread_link))
    answer = asker.locator("article.hc-post", has_text="silicone ear grips")
    answer.get_by_role("button", name="Accept as answer").click()
    expect(asker.locator(".hc-thread__meta")).to_contain_text("Solved")
    expect(asker.locator("#answer")).to_contain_text("silicone ear grips")
    expect(asker.get_by_role("button", name="Stop following")).to_be_visible()
    screenshot(asker, "community-thread-solved-1280")
    thread.refresh_from_db()
    assert thread.accepted_post.author == helper_user
    [accepted_mail] = mail_server.to("priya@example.com")
    assert accepted_mail["Subject"] == f"Your answer was accepted: {TITLE}"

    asker.goto(on_live_server(base, unsubscribe))
    expect(asker.get_by_role("heading", level=1)).to_have_text("Stop these e-mails?")
    asker.get_by_role("button", name="Unsubscribe").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    screenshot(asker, "community-unsubscribed-1280")
    asker.goto(base + community.url + "subscriptions/")
    expect(asker.get_by_text("You follow no threads.")).to_be_visible()
    screenshot(asker, "community-subscriptions-1280")

    asker.goto(base + community.url + "?tab=solved")
    row = asker.locator(".hc-thread-row--solved", has_text=TITLE)
    expect(row).to_be_visible()
    screenshot(asker, "community-list-1280")
    asker.goto(base + "/en/search/?q=frame+slides+down+nose+reading")
    result = asker.locator(".hc-results li", has_text=TITLE)
    expect(result).to_contain_text("Community")
    filters = asker.get_by_role("navigation", name="Filter by source")
    filters.get_by_role("link", name="Community").click()
    expect(asker.locator(".hc-results li")).to_have_count(2)  # both threads, no article
    screenshot(asker, "community-search-1280")


def test_without_javascript_post_shows_suggestions_first(community, live_server, browser,
                                                         screenshot):
    member_with_password("Tom B.", "tom@example.com")
    context = browser.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "tom@example.com")
        page.goto(live_server.url + community.url + "new/")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Details").fill(TEXT)
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.get_by_text("Frame keeps sliding down my nose")).to_be_visible()
        expect(page.get_by_label("Details")).to_have_value(TEXT)
        screenshot(page, "community-compose-nojs-375")
        assert not Thread.objects.filter(title=TITLE).exists()
        page.get_by_role("button", name="Post anyway").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "375"])
def test_forum_pages_fit_the_screen(community, live_server, open_page, screenshot, viewport):
    page = open_page(viewport=viewport)
    thread = Thread.objects.get(title="Frame keeps sliding down my nose")
    for name, url in (("list", community.url), ("thread", community.url + thread.url_part)):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width)
        screenshot(page, f"community-{name}-{viewport['width']}")


@pytest.fixture
def german_community(community, help_center, locale_de, make_member):
    """The forum in German, with a board and a solved thread."""
    from community.models import Board
    from tests.helpers import publish_page

    publish_page(help_center.copy_for_translation(locale_de))
    forum = publish_page(community.copy_for_translation(locale_de))
    board = Board.objects.create(name="Fassung & Sitz", slug="fassung", locale=locale_de)
    asker, helper = make_member("Lena D."), make_member("Jonas D.")
    solved = posting.start_thread(board, asker, "Brille rutscht beim Lesen",
                                  "Meine Brille rutscht beim Lesen ständig.")
    posting.accept(posting.reply(solved, helper, "Ohrpolster aus Silikon helfen."), asker)
    return forum


GERMAN_TITLE = "Meine Brille rutscht beim Lesen nach unten"


def test_in_german_sign_up_ask_answer_accept(german_community, live_server, open_page,
                                              mail_server, screenshot, settings):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0  # see test_moderation.py
    base = live_server.url
    asker = open_page(locale="de-DE")
    sign_up(asker, base, "neu@example.com", mail_server, language="de")
    asker.goto(base + german_community.url)
    asker.get_by_role("link", name="Community fragen").click()
    asker.get_by_label("Titel").fill(GERMAN_TITLE)
    asker.get_by_label("Details").press_sequentially("Beim Lesen rutscht meine Brille", delay=5)
    expect(asker.locator("[data-hc-suggest-list] li").filter(
        has_text="Brille rutscht beim Lesen")).to_be_visible()
    asker.get_by_label("Details").fill("Beim Lesen rutscht meine Brille ständig nach unten.")
    screenshot(asker, "community-compose-de-1280")
    asker.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(asker.get_by_role("heading", level=1)).to_have_text(GERMAN_TITLE)
    thread = Thread.objects.get(title=GERMAN_TITLE)

    member_with_password("Petra S.", "petra@example.com")
    helper = open_page(locale="de-DE")
    helper.goto(f"{base}/de/accounts/login/")
    helper.locator("input[name=login]").fill("petra@example.com")
    helper.locator("input[name=password]").fill(PASSWORD)
    helper.get_by_role("button", name="Anmeldung").click()
    helper.goto(base + german_community.url + thread.url_part)
    helper.get_by_role("textbox", name="Ihre Antwort").fill("Die Bügelenden warm anpassen lassen.")
    helper.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(helper.locator(".hc-post__body", has_text="Bügelenden")).to_be_visible()

    [reply_mail] = [m for m in mail_server.to("neu@example.com")
                    if m["Subject"].startswith("Neue Antwort")]
    assert "Die Bügelenden warm anpassen lassen." in mail_text(reply_mail)
    asker.reload()
    asker.locator("article.hc-post", has_text="Bügelenden").get_by_role(
        "button", name="Als Antwort akzeptieren").click()
    expect(asker.locator(".hc-thread__meta")).to_contain_text("Gelöst")
    screenshot(asker, "community-thread-solved-de-1280")
    [accepted_mail] = mail_server.to("petra@example.com")
    assert accepted_mail["Subject"].startswith("Ihre Antwort wurde akzeptiert")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "375"])
def test_member_pages_fit_the_screen_in_both_languages(german_community, community, live_server,
                                                       open_page, screenshot, viewport):
    from community import subscriptions as following

    member = member_with_password("Tom B.", "tom@example.com")
    for forum, language in ((community, "en"), (german_community, "de")):
        thread = Thread.objects.filter(board__locale=forum.locale).first()
        following.follow_thread(member, thread)
        page = open_page(viewport=viewport, locale=f"{language}-DE")
        log_in(page, live_server.url, "tom@example.com")
        for name, url in (("list", forum.url), ("thread", forum.url + thread.url_part),
                          ("board", forum.url + f"boards/{thread.board.slug}/"),
                          ("subscriptions", forum.url + "subscriptions/"),
                          ("account", forum.url + "account/")):
            page.goto(live_server.url + url)
            assert page.locator("h1").count() == 1
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (name, language, width)
            screenshot(page, f"community-{name}-{language}-{viewport['width']}")
