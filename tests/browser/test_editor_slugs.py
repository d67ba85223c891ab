"""An editor types a German title in the Wagtail editor and gets a readable slug."""

import re

import pytest
from playwright.sync_api import expect

from faq.models import ArticlePage

pytestmark = pytest.mark.browser


def test_editor_gets_a_transliterated_slug_from_a_german_title(
    live_server, open_page, make_category, django_user_model
):
    category = make_category("Fassungen")
    django_user_model.objects.create_superuser("editor", "editor@example.com", "correct-horse")
    page = open_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct-horse")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/add/faq/articlepage/{category.pk}/")
    title = "Größe der Brille: Welche Fassung passt zu meinem Gesicht und meiner Nase?"
    page.locator("#id_title").fill(title)
    page.locator("#id_short_answer").fill("Messen Sie Ihre alte Brille oder nutzen Sie den Test.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").get_by_text(re.compile("published"))).to_be_visible()

    article = ArticlePage.objects.get(title=title)
    assert article.slug == "groesse-der-brille-welche-fassung-passt-zu-meinem-gesicht-und-meiner"
    page.goto(live_server.url + article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
