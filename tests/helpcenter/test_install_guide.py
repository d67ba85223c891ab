"""Follows docs/install.md on a project freshly made by `wagtail start`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HELP_APPS = """    "helpcenter",
    "faq",
    "search",
    "contactform",
    "haystack",
    "django_tasks",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
"""
SETTINGS_TAIL = """
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.backends.whoosh.HelpWhooshEngine",
        "PATH": str(BASE_DIR / "search_index"),
    }
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
"""
SMOKE = """
from wagtail.models import Page, Site
from helpcenter.models import HelpCenterPage
from django.core.management import call_command
from django.test import Client
home = Site.objects.get(is_default_site=True).root_page
help_center = home.add_child(instance=HelpCenterPage(title="Help", slug="help"))
help_center.save_revision().publish()
call_command("import_articles", "articles.jsonl", "--no-progress")
client = Client(HTTP_USER_AGENT="Mozilla/5.0 Chrome/126")
page = client.get("/help/")
assert page.status_code == 200, page.status_code
assert "Where is my parcel?" in page.content.decode()
article = client.get("/help/orders/where-is-my-parcel/")
assert article.status_code == 200, article.status_code
found = client.get("/search/?q=parcel")
assert found.status_code == 200 and "Where is my parcel?" in found.content.decode()
from contactform.models import ContactPage
contact = help_center.add_child(instance=ContactPage(
    title="Contact us", slug="contact", recipients="service@example.com"))
contact.save_revision().publish()
form = client.get("/help/contact/")
assert form.status_code == 200 and 'name="message"' in form.content.decode()
print("SMOKE OK")
"""
ARTICLE = (
    '{"external_id": "1", "locale": "en", "category": "Orders", "title": "Where is my parcel?",'
    ' "short_answer": "Follow the tracking link.", "body": "Tracking arrives by e-mail.",'
    ' "keywords": [], "published": true}\n'
)


def run(args, cwd, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        pytest.fail(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.mark.slow
def test_install_guide_on_a_fresh_wagtail_project(tmp_path):
    wagtail_cli = Path(sys.executable).with_name("wagtail")
    subprocess.run(
        [str(wagtail_cli), "start", "mysite", str(tmp_path)], check=True, capture_output=True
    )
    settings_file = tmp_path / "mysite" / "settings" / "base.py"
    settings = settings_file.read_text()
    assert '    "search",\n' in settings
    settings_file.write_text(settings.replace('    "search",\n', HELP_APPS) + SETTINGS_TAIL)

    # Step 2 not done yet: the project's own search app hides ours, and the check says so.
    shadowed = run(["manage.py", "check"], tmp_path, check=False)
    assert shadowed.returncode != 0
    assert "helpcenter.E001" in shadowed.stderr
    assert "Delete the 'search' folder" in shadowed.stderr

    # Step 2: delete the folder and its URL.
    subprocess.run(["rm", "-r", str(tmp_path / "search")], check=True)
    urls_file = tmp_path / "mysite" / "urls.py"
    urls = urls_file.read_text()
    urls = urls.replace("from search import views as search_views\n", "")
    urls = urls.replace(
        '    path("search/", search_views.search, name="search"),\n',
        '    path("search/", include("search.urls")),\n',
    )
    urls_file.write_text(urls)

    run(["manage.py", "check"], tmp_path)
    run(["manage.py", "migrate", "--noinput"], tmp_path)
    (tmp_path / "articles.jsonl").write_text(ARTICLE)
    smoke = run(["manage.py", "shell", "-c", SMOKE], tmp_path)
    assert "SMOKE OK" in smoke.stdout
