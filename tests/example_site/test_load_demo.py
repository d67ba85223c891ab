"""The demo loads completely in both languages, twice, and serves a working help center."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from community.models import Board, ForumPage, MemberProfile, Post, Thread
from contactform.models import ContactPage
from faq.models import ArticlePage, CategoryPage
from helpcenter.models import HelpCenterPage

CONTENT = Path(__file__).resolve().parents[2] / "example_site" / "demo_content"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    return tmp_path


@pytest.mark.slow
def test_demo_has_realistic_content_in_both_languages(demo):
    records = [json.loads(line) for line in (CONTENT / "articles.jsonl").open()]
    for code in ("en", "de"):
        articles = ArticlePage.objects.live().filter(locale__language_code=code)
        assert articles.count() == sum(r["locale"] == code for r in records) >= 40
        top = CategoryPage.objects.live().filter(locale__language_code=code, depth=3)
        assert top.count() >= 6
        assert all(c.get_translation_or_none(c.locale.get_default()) for c in top)
    assert HelpCenterPage.objects.count() == 2
    assert (demo / "demo-admin-password.txt").read_text().strip()


@pytest.mark.slow
def test_demo_serves_english_and_german(demo):
    client = Client(HTTP_USER_AGENT=BROWSER)
    english = client.get("/en/").content.decode()
    german = client.get("/de/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "How can we help you?" in english and "Shipping &amp; delivery" in english
    assert "Wie können wir Ihnen helfen?" in german and "Versand &amp; Lieferung" in german
    assert 'lang="de"' in german
    for article in ArticlePage.objects.live().filter(locale__language_code="de")[:5]:
        assert article.url.startswith("/de/"), article.url
        assert client.get(article.url).status_code == 200
    found = client.get("/de/search/", {"q": "Nasenpads"}).content.decode()
    assert "Nasenpads" in found and "/de/" in found


@pytest.mark.slow
def test_demo_has_a_contact_page_linked_from_each_help_center(demo):
    client = Client(HTTP_USER_AGENT=BROWSER)
    for code, title in (("en", "Contact us"), ("de", "Kontakt")):
        page = ContactPage.objects.live().get(locale__language_code=code)
        assert page.title == title and page.url.startswith(f"/{code}/")
        assert page.recipient_list == ["service@klarsicht.example"]
        assert 2 <= len(page.topic_list) <= 3 and page.privacy_link.startswith("https://")
        assert page.auto_reply_enabled
        assert [block.value["days"] for block in page.business_hours] == [
            ["0", "1", "2", "3", "4"]
        ]
        home = HelpCenterPage.objects.get(locale__language_code=code)
        assert home.contact_page_id == page.pk
        assert f'href="{page.url}"' in client.get(home.url).content.decode()
        html = client.get(page.url).content.decode()
        assert 'name="message"' in html and page.topic_list[0].replace("&", "&amp;") in html


@pytest.mark.slow
def test_demo_has_a_community_in_both_languages(demo):
    client = Client(HTTP_USER_AGENT=BROWSER)
    for code in ("en", "de"):
        forum = ForumPage.objects.live().get(locale__language_code=code)
        assert HelpCenterPage.objects.get(locale__language_code=code).community_page_id == forum.pk
        threads = Thread.objects.visible().filter(board__locale=forum.locale)
        assert threads.count() >= 30
        assert Board.objects.filter(locale=forum.locale).count() >= 4
        assert threads.filter(accepted_post__isnull=False).count() >= 10
        assert threads.filter(reply_count=0).count() >= 5
        assert client.get(forum.url).status_code == 200
        first = threads.order_by("pk").first()
        assert client.get(forum.url + first.url_part).status_code == 200
    assert MemberProfile.objects.count() >= 12
    assert (demo / "demo-moderator-password.txt").read_text().strip()
    moderator = get_user_model().objects.get(username="moderator")
    assert moderator.has_perm("community.moderate_forum") and not moderator.is_staff
    found = client.get("/en/search/", {"q": "progressive lenses headache"}).content.decode()
    assert "How long did it take you to get used to progressive lenses?" in found


@pytest.mark.slow
def test_load_demo_prints_both_logins(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo", "--no-index", stdout=out)
    password = (tmp_path / "demo-moderator-password.txt").read_text().strip()
    assert "Admin login: admin / " in out.getvalue()
    assert f"Forum moderator login: moderator / {password}" in out.getvalue()


@pytest.mark.slow
def test_load_demo_twice_changes_nothing(demo):
    forum_rows = Thread.objects.count(), Post.objects.count(), Board.objects.count()
    before = ArticlePage.objects.count(), CategoryPage.objects.count(), ContactPage.objects.count()
    revisions = sum(a.revisions.count() for a in ArticlePage.objects.all())
    other_revisions = [
        page.revisions.count()
        for page in [*ContactPage.objects.all(), *HelpCenterPage.objects.all()]
    ]
    call_command("load_demo", "--no-index", stdout=io.StringIO())
    assert (
        ArticlePage.objects.count(), CategoryPage.objects.count(), ContactPage.objects.count()
    ) == before == (before[0], before[1], 2)
    assert sum(a.revisions.count() for a in ArticlePage.objects.all()) == revisions
    assert (Thread.objects.count(), Post.objects.count(), Board.objects.count()) == forum_rows
    assert ForumPage.objects.count() == 2
    assert other_revisions == [
        page.revisions.count()
        for page in [*ContactPage.objects.all(), *HelpCenterPage.objects.all()]
    ]
