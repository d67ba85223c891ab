import re

import pytest
from playwright.sync_api import expect

from faq.models import ArticlePage, ArticleStats

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser


@pytest.fixture
def knowledge_base(help_center, make_category, make_article):
    frames = make_category(
        "Frames & nose pads", description="Fit, care and spare parts.", icon="glasses"
    )
    make_category("Payment", description="Invoices, vouchers and refunds.", icon="card")
    article = make_article(
        "How do I replace the nose pads?",
        category=frames,
        short_answer="Order a pad set in your account and click the new pads onto the holders.",
        keywords="pads, spare parts",
        body=[
            {"type": "rich_text", "value": "<p>Nose pads wear out after a year or two.</p>"},
            {
                "type": "steps",
                "value": [
                    {"title": "Pull off the old pad", "text": "Hold the metal arm firmly."},
                    {"title": "Click on the new pad", "text": "You will hear a click."},
                ],
            },
            {"type": "callout", "value": {"kind": "tip", "text": "<p>Pads are free.</p>"}},
        ],
    )
    make_article("My frame slips down my nose", category=frames)
    return {"help_center": help_center, "category": frames, "article": article}


def test_visitor_browses_reads_and_votes_helpful(
    live_server, open_page, screenshot, knowledge_base
):
    page = open_page()
    page.goto(live_server.url + knowledge_base["help_center"].url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Search the help center")).to_be_visible()
    screenshot(page, "help-home-desktop")

    page.get_by_role("link", name=re.compile("Frames & nose pads")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frames & nose pads")
    screenshot(page, "category-desktop")

    page.get_by_role("link", name="How do I replace the nose pads?").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do I replace the nose pads?")
    expect(page.get_by_text("Click on the new pad")).to_be_visible()
    screenshot(page, "article-desktop")

    page.get_by_role("button", name=re.compile("^Yes")).click()
    expect(page.get_by_text("Thank you for your feedback")).to_be_visible()
    screenshot(page, "article-voted-desktop")

    stats = ArticleStats.objects.get(page=knowledge_base["article"])
    assert (stats.views, stats.helpful_yes, stats.helpful_no) == (1, 1, 0)


def test_visitor_says_no_and_leaves_a_comment_without_javascript(
    live_server, browser, screenshot, knowledge_base
):
    context = browser.new_context(java_script_enabled=False, viewport=MOBILE)
    page = context.new_page()
    page.goto(live_server.url + knowledge_base["article"].url)
    page.get_by_role("button", name=re.compile("^No")).click()
    comment = page.get_by_label(re.compile("What was missing"))
    expect(comment).to_be_visible()
    comment.fill("Which pads fit the Model Aalto frame?")
    screenshot(page, "article-comment-mobile-nojs")
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_text("Thank you for your feedback")).to_be_visible()
    context.close()

    stats = ArticleStats.objects.get(page=knowledge_base["article"])
    assert stats.helpful_no == 1


def test_pages_fit_a_narrow_screen(live_server, open_page, screenshot, knowledge_base):
    page = open_page(viewport=MOBILE)
    for name, url in [
        ("help-home-mobile", knowledge_base["help_center"].url),
        ("category-mobile", knowledge_base["category"].url),
        ("article-mobile", knowledge_base["article"].url),
        ("search-mobile", "/en/search/?q=nose+pads"),
    ]:
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= MOBILE["width"], f"{name} scrolls sideways ({width}px)"
        screenshot(page, name)


def test_editor_publishes_an_article_that_appears_on_the_site(
    live_server, open_page, screenshot, knowledge_base, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "correct-horse")
    page = open_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    category = knowledge_base["category"]
    page.goto(f"{live_server.url}/admin/pages/add/faq/articlepage/{category.pk}/")
    page.locator("#id_title").fill("Can I get spare hinge screws?")
    page.locator("#id_short_answer").fill("Yes: we send two spare screws free of charge.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").get_by_text(re.compile("published"))).to_be_visible()
    screenshot(page, "admin-published")

    article = ArticlePage.objects.get(title="Can I get spare hinge screws?")
    assert article.live
    page.goto(live_server.url + category.url)
    expect(page.get_by_role("link", name="Can I get spare hinge screws?")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_visitor_says_no_skips_the_comment_and_changes_their_mind(
    live_server, browser, screenshot, knowledge_base, javascript
):
    for viewport, name in ((DESKTOP, "desktop"), (MOBILE, "mobile")):
        context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + knowledge_base["article"].url)
        box = page.locator("#feedback")
        box.get_by_role("button", name=re.compile("^No")).click()
        box.get_by_role("button", name="Send comment").click()  # nothing typed
        expect(box.get_by_text("Thank you for your feedback")).to_be_visible()
        expect(box.get_by_role("textbox")).to_have_count(0)
        expect(box).to_contain_text("You answered “No”.")
        screenshot(page, f"feedback-closed-{name}-{'js' if javascript else 'nojs'}")

        box.get_by_role("button", name="Change to “Yes”").click()
        expect(box).to_contain_text("You answered “Yes”.")
        context.close()
    stats = ArticleStats.objects.get(page=knowledge_base["article"])
    assert (stats.helpful_yes, stats.helpful_no) == (2, 0)
    expect_text = "2 of 2 people found this article helpful."
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + knowledge_base["article"].url)
    expect(page.locator("#feedback")).to_contain_text(expect_text)
    context.close()
