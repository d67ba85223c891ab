"""The demo loads completely in both languages, twice, and serves a working help center."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

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
def test_load_demo_twice_changes_nothing(demo):
    before = ArticlePage.objects.count(), CategoryPage.objects.count()
    revisions = sum(a.revisions.count() for a in ArticlePage.objects.all())
    call_command("load_demo", "--no-index", stdout=io.StringIO())
    assert (ArticlePage.objects.count(), CategoryPage.objects.count()) == before
    assert sum(a.revisions.count() for a in ArticlePage.objects.all()) == revisions
