"""The article editor proposes searches that led customers to the article; "Add" takes one
into the article's example questions, kept when the editor publishes."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from faq.models import ArticlePage
from search.models import LearnedPhrasing, Query, QueryClick

from .conftest import MOBILE

pytestmark = pytest.mark.browser


def test_an_editor_adds_a_search_customers_made_to_the_example_questions(
    live_server, open_page, make_article, django_user_model, screenshot
):
    article = make_article("How do I return my order?", example_questions="send glasses back")
    learned = Query.objects.create(text="swap specs for cash", locale="en")
    LearnedPhrasing.objects.create(query=learned, page=article, visitors=4,
                                   last_seen_at=timezone.now())
    clicked = Query.objects.create(text="return label lost", locale="en")
    QueryClick.objects.create(query=clicked, page=article, date=timezone.localdate(),
                              source="help", url=article.url, clicks=7)
    django_user_model.objects.create_superuser("editor", "editor@example.com", "correct-horse")
    page = open_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    panel = page.locator("[data-faq-question-candidates]")
    expect(panel).to_contain_text("swap specs for cash")
    expect(panel).to_contain_text("4 visitors")
    expect(panel).to_contain_text("7 clicks")
    panel.scroll_into_view_if_needed()
    screenshot(page, "article-editor-question-candidates-1280")
    panel.locator('[data-question="swap specs for cash"]').click()
    expect(panel.locator('[data-question="swap specs for cash"]')).to_be_disabled()
    expect(page.locator("#id_example_questions")).to_have_value(
        "send glasses back\nswap specs for cash"
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").get_by_text(re.compile("published"))).to_be_visible()
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.example_questions.splitlines() == ["send glasses back", "swap specs for cash"]

    mobile = open_page(viewport=MOBILE)
    mobile.context.add_cookies(page.context.cookies())
    mobile.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    candidates = mobile.locator("[data-faq-question-candidates]")
    expect(candidates).to_contain_text("return label lost")
    expect(candidates).not_to_contain_text("swap specs for cash")  # one of its questions now
    candidates.scroll_into_view_if_needed()
    screenshot(mobile, "article-editor-question-candidates-375")


def test_an_editor_approves_a_learned_phrasing(
    live_server, open_page, make_article, editor, screenshot
):
    article = make_article("How do I return my order?")
    query = Query.objects.create(text="swap specs for cash", locale="en")
    phrasing = LearnedPhrasing.objects.create(query=query, page=article, visitors=5,
                                              last_seen_at=timezone.now())
    editor.set_password("correct-horse")
    editor.save()
    page = open_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(live_server.url + "/admin/snippets/search/learnedphrasing/")
    row = page.get_by_role("row").filter(has_text="swap specs for cash")
    expect(row).to_contain_text("How do I return my order?")
    expect(row).to_contain_text("Waiting for review")
    screenshot(page, "learned-phrasings-1280")
    row.get_by_role("link", name="swap specs for cash").click()
    page.get_by_label(re.compile("Approved")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row").filter(has_text="swap specs for cash")).to_contain_text(
        "Approved"
    )
    phrasing.refresh_from_db()
    assert phrasing.status == "approved"

    mobile = open_page(viewport=MOBILE)
    mobile.context.add_cookies(page.context.cookies())
    mobile.goto(live_server.url + "/admin/snippets/search/learnedphrasing/")
    expect(mobile.get_by_text("swap specs for cash")).to_be_visible()
    screenshot(mobile, "learned-phrasings-375")
