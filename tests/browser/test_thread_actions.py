"""Thread actions and promotion in a real browser: a moderator merges two threads and the old
address lands on the merged one; an editor turns a solved thread into an article, publishes it,
and the thread names it. Screenshots at 1280 and 375 px."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from community import posting
from community.models import Thread, ThreadArticle
from faq.models import ArticlePage

from .conftest import DESKTOP, MOBILE
from .test_community import PASSWORD, log_in, member_with_password

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.contactform.fixtures", "tests.community.fixtures"]


@pytest.fixture
def two_threads(forum, board, make_member):
    first = posting.start_thread(board, make_member("Lena M."), "Temples pinch behind my ears",
                                 "The temples pinch after an hour of reading.")
    second = posting.start_thread(board, make_member("Jonas W."), "Temples press behind the ears",
                                  "After a while the temples press behind my ears.")
    posting.reply(second, make_member("Kai P."), "An optician can widen the temples warm.")
    return first, second


def test_a_moderator_merges_two_threads(forum, two_threads, live_server, open_page, screenshot):
    first, second = two_threads
    moderator = member_with_password("Mod Maria", "maria@example.com")
    moderator.groups.add(Group.objects.get(name="Forum moderators"))
    base = live_server.url
    page = open_page()
    log_in(page, base, "maria@example.com")
    page.goto(base + forum.url + first.url_part)
    tools = page.get_by_role("navigation", name="Thread actions")
    expect(tools).to_be_visible()
    screenshot(page, "thread-moderator-tools-desktop")
    tools.get_by_role("link", name="Merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge this thread into another")
    page.get_by_label("Merge into thread (number or address)").fill("not a thread")
    page.get_by_role("button", name="Merge threads").click()
    expect(page.get_by_text("There is no thread with this number or address.")).to_be_visible()
    page.set_viewport_size(MOBILE)
    screenshot(page, "thread-merge-form-mobile")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Merge into thread (number or address)").fill(
        base + forum.url + second.url_part)
    page.get_by_label("Reason").fill("Same question")
    page.get_by_role("button", name="Merge threads").click()
    expect(page).to_have_url(base + forum.url + second.url_part)
    expect(page.get_by_text("The threads are merged.")).to_be_visible()
    expect(page.get_by_text("The temples pinch after an hour of reading.")).to_be_visible()

    visitor = open_page(viewport=MOBILE)
    visitor.goto(base + forum.url + first.url_part)
    expect(visitor).to_have_url(base + forum.url + second.url_part)
    expect(visitor.get_by_text("The temples pinch after an hour of reading.")).to_be_visible()
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"]
    screenshot(visitor, "thread-merged-mobile")
    assert Thread.objects.get(pk=first.pk).merged_into_id == second.pk


def test_an_editor_promotes_a_solved_thread_and_publishes_it(
        forum, board, make_member, make_category, django_user_model, live_server, open_page,
        screenshot):
    asker, helper = make_member("Lena M."), make_member("Jonas W.")
    thread = posting.start_thread(
        board, asker, "Can I swap the nose pads myself?",
        "My pads are yellow. Mail me at lena@example.com, order 88812345.")
    posting.accept(posting.reply(
        thread, helper, "Yes. Pull the old pad off the pin and press the new one on until it "
        "clicks. @Lena M. the opticians also do it for free."), asker)
    make_category("Frames")
    editor = django_user_model.objects.create_user("eddie", "eddie@example.com", PASSWORD)
    editor.groups.add(Group.objects.get(name="Moderators"))
    base = live_server.url
    page = open_page()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(base + forum.url + thread.url_part)
    page.get_by_role("link", name="Turn into a help article").click()
    page.get_by_label("Knowledge base category").select_option(label="Frames")
    screenshot(page, "thread-promote-form-desktop")
    page.get_by_role("button", name="Create draft article").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.get_by_text("This draft was written from a forum thread.")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Can I swap the nose pads myself?")
    screenshot(page, "article-from-thread-admin")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").get_by_text(re.compile("published"))).to_be_visible()

    article = ArticlePage.objects.get()
    assert article.live
    assert "lena@example.com" not in article.short_answer + str(article.body.raw_data)
    for viewport, name in ((DESKTOP, "desktop"), (MOBILE, "mobile")):
        visitor = open_page(viewport=viewport)
        visitor.goto(base + forum.url + thread.url_part)
        notice = visitor.get_by_text("Answered in our help center:")
        expect(notice).to_be_visible()
        visitor.get_by_role("link", name="Can I swap the nose pads myself?").click()
        expect(visitor).to_have_url(base + article.url)
        visitor.go_back()
        screenshot(visitor, f"thread-answered-in-help-center-{name}")


def test_an_editor_links_a_recurring_question_to_an_article(
        forum, board, make_member, make_article, editor, settings, live_server, open_page,
        screenshot):
    settings.HELPCENTER_SEARCH_SEMANTIC = False
    from search import encoders

    encoders.reset()
    article = make_article("Nose pads press on my nose",
                           short_answer="An optician bends the pad arms so pads press less.")
    for title, text in [("My nose pads press after a week", "They leave red marks on my nose."),
                        ("Pads press on my nose", "Nose pads leave marks after wearing.")]:
        posting.start_thread(board, make_member(), title, text)
    editor.set_password(PASSWORD)
    editor.save()
    base = live_server.url
    page = open_page()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.goto(base + "/admin/recurring-questions/")
    row = page.get_by_role("row").filter(has_text="Pads press on my nose")
    expect(row).to_contain_text("0 of 2")
    expect(row).to_contain_text(re.compile(r"Nose pads press on my nose \(\d+%\)"))
    screenshot(page, "recurring-questions-report")
    row.get_by_role("button", name="Link to the article").click()
    expect(page.get_by_text("2 threads now point to “Nose pads press on my nose”.")).to_be_visible()
    assert ThreadArticle.objects.filter(article=article).count() == 2
    encoders.reset()
