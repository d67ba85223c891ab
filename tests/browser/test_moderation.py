"""Moderation in a real browser: a new member's post with three links waits in the queue and a
moderator approves it in context; three members flag a post and it is hidden."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from community import posting
from community.models import Post, PostState

from .conftest import MOBILE
from .test_community import PASSWORD, log_in, member_with_password

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.contactform.fixtures", "tests.community.fixtures"]

LINKS = ("Try these shops: https://frames-a.example, https://frames-b.example and "
         "https://frames-c.example")


def admin_log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_new_members_post_with_three_links_waits_and_a_moderator_approves_it(
    forum, thread, live_server, open_page, screenshot, settings
):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0  # only the links hold this one
    base, url = live_server.url, forum.url + thread.url_part
    member_with_password("Nina N.", "nina@example.com")
    newcomer = open_page()
    log_in(newcomer, base, "nina@example.com")
    newcomer.goto(base + url)
    newcomer.get_by_role("textbox", name="Your answer").fill(LINKS)
    newcomer.get_by_role("button", name="Post your answer").click()
    expect(newcomer.get_by_text("Your post is awaiting review")).to_be_visible()
    expect(newcomer.locator("article.hc-post", has_text="frames-a.example")).to_contain_text(
        "Awaiting review")
    visitor = open_page()
    visitor.goto(base + url)
    expect(visitor.locator("article.hc-post", has_text="frames-a.example")).to_have_count(0)

    moderator = member_with_password("Mod M.", "mod@example.com", trust_level=1)
    moderator.groups.add(Group.objects.get(name="Forum moderators"))
    staff = open_page()
    admin_log_in(staff, base, "mod")
    expect(staff.get_by_role("link", name="Review queue (1)")).to_be_visible()
    staff.get_by_role("link", name="Review queue (1)").click()
    expect(staff.locator(".mq-item")).to_have_count(1)
    screenshot(staff, "moderation-queue-1280")
    mobile = open_page(viewport=MOBILE)
    admin_log_in(mobile, base, "mod")
    mobile.goto(base + "/admin/forum-review/")
    screenshot(mobile, "moderation-queue-375")
    staff.get_by_role("link", name="Review in context").click()
    current = staff.locator(".mq-post--current")
    expect(current).to_contain_text("frames-b.example")
    expect(staff.locator(".mq-post").first).to_contain_text("They leave marks")  # the question
    screenshot(staff, "moderation-review-1280")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("The post was approved and is public.")).to_be_visible()
    assert Post.objects.get(source=LINKS).state == PostState.APPROVED

    visitor.reload()
    expect(visitor.locator("article.hc-post", has_text="frames-a.example")).to_be_visible()


def test_three_members_flag_a_post_and_it_is_hidden(forum, thread, answerer, live_server,
                                                    open_page, screenshot):
    base, url = live_server.url, forum.url + thread.url_part
    posting.reply(thread, answerer, "Buy our cheap frames now!")
    for number in range(3):
        member_with_password(f"Flagger {number}", f"flagger{number}@example.com", trust_level=1)
        page = open_page()
        log_in(page, base, f"flagger{number}@example.com")
        page.goto(base + url)
        post = page.locator("article.hc-post", has_text="Buy our cheap frames now!")
        post.get_by_text("Flag", exact=True).click()
        post.get_by_label("Spam").check()
        if number == 0:
            screenshot(page, "community-flag-1280")
        post.get_by_role("button", name="Send flag").click()
        expected = ("The post is hidden until a moderator" if number == 2
                    else "A moderator will look at this post")
        expect(page.get_by_text(expected)).to_be_visible()
    visitor = open_page(viewport=MOBILE)
    visitor.goto(base + url)
    expect(visitor.get_by_text("Buy our cheap frames now!")).to_have_count(0)
    expect(visitor.get_by_text("flagged by the community and is hidden")).to_be_visible()
    screenshot(visitor, "community-hidden-post-375")
