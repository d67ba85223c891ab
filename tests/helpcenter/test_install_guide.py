"""Follows docs/install.md as a new user would: the built wheel in a fresh virtualenv, a fresh
`wagtail start` project, and nothing of this repository on the import path.

The code blocks of docs/install.md are what the test applies, so the guide cannot drift.
HELPCENTER_INSTALL_PYTHON picks the interpreter of the new virtualenv (CI runs it on the oldest
and the newest supported Python); it prints the time from nothing to a working help center.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import wheel

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "docs" / "install.md").read_text()
ARTICLE = (
    '{"external_id": "1", "locale": "en", "category": "Orders", "title": "Where is my parcel?",'
    ' "short_answer": "Follow the tracking link.", "body": "Tracking arrives by e-mail.",'
    ' "keywords": [], "published": true}\n'
)
# What an editor does in the Wagtail admin in step 4: a help center page and a contact page.
CREATE_PAGES = """
from wagtail.models import Site
from helpcenter.models import HelpCenterPage
from contactform.models import ContactPage
home = Site.objects.get(is_default_site=True).root_page
help_center = home.add_child(instance=HelpCenterPage(title="Help", slug="help"))
help_center.save_revision().publish()
contact = help_center.add_child(instance=ContactPage(
    title="Contact us", slug="contact", recipients="service@example.com"))
contact.save_revision().publish()
"""
VISIT = """
import json
import helpcenter
from django.test import Client
client = Client(HTTP_USER_AGENT="Mozilla/5.0 Chrome/126")
pages = {}
for url in ["/help/", "/help/orders/", "/help/orders/where-is-my-parcel/", "/search/?q=parcel",
            "/search/api/?q=parcl", "/search/api/autocomplete/?q=parc",
            "/search/api/suggest/?q=where+is+my+parcel", "/help/contact/",
            "/static/helpcenter/helpcenter.css", "/static/contactform/contactform.js"]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    pages[url] = [response.status_code, body.decode()]
print(json.dumps({"helpcenter": helpcenter.__file__, "pages": pages}))
"""


def guide_block(contains: str, language: str = "python") -> str:
    """The one fenced block of docs/install.md (at the left margin) that holds `contains`."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```", GUIDE, flags=re.M | re.S)
    (block,) = [block for block in blocks if contains in block]
    return block


def guide_commands(first: str) -> list[list[str]]:
    """The `python manage.py ...` lines of the bash block that holds `first`, comments dropped."""
    lines = guide_block(first, "bash").splitlines()
    return [line.split("#")[0].split()[1:] for line in lines if line.startswith("python ")]


class Project:
    """A shell in a fresh virtualenv, in a folder outside the repository."""

    def __init__(self, root: Path, python: str):
        self.root = root
        self.venv = root / "venv"
        self.site = root / "site"
        subprocess.run([python, "-m", "venv", str(self.venv)], check=True)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "VIRTUAL_ENV",
                           "PYTHONHOME", "HELPCENTER_VAR_DIR"}
        }
        self.env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}"

    def run(self, *args: str, cwd: Path | None = None, check: bool = True):
        result = subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=cwd or self.site, env=self.env, capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def manage(self, *args: str, check: bool = True):
        return self.run("python", "manage.py", *args, check=check)


def configure_settings(site: Path) -> None:
    """Step 3: INSTALLED_APPS replaced, the settings block added."""
    settings_file = site / "mysite" / "settings" / "base.py"
    settings = settings_file.read_text()
    settings, replaced = re.subn(
        r"^INSTALLED_APPS = \[\n.*?^\]\n", guide_block("INSTALLED_APPS = ["), settings,
        flags=re.M | re.S,
    )
    assert replaced == 1
    settings_file.write_text(settings + "\n" + guide_block("HAYSTACK_CONNECTIONS = {"))


def remove_project_search_app(site: Path) -> None:
    """Step 2: the folder goes, its URL becomes the help search's."""
    old_import = "from search import views as search_views"
    old_url = 'path("search/", search_views.search, name="search"),'
    assert f"`{old_import}`" in GUIDE and f"`{old_url}`" in GUIDE
    shutil.rmtree(site / "search")
    urls_file = site / "mysite" / "urls.py"
    urls = urls_file.read_text()
    assert old_import in urls and old_url in urls
    urls = urls.replace(old_import + "\n", "").replace(
        f"    {old_url}\n", guide_block('include("search.urls")')
    )
    urls_file.write_text(urls)


@pytest.mark.slow
def test_install_guide_on_a_fresh_wagtail_project(tmp_path):
    started = time.monotonic()
    timings = {}
    dist = tmp_path / "dist"
    built = wheel.build(dist)
    assert wheel.missing_files(built) == [], "the wheel lacks files: see python -m tests.wheel"
    project = Project(tmp_path, os.environ.get("HELPCENTER_INSTALL_PYTHON", sys.executable))
    project.site.mkdir()

    # Step 1, with the wheel as the package index would serve it.
    assert guide_block("pip install wagtail-helpcenter", "bash")
    project.run("pip", "install", "--quiet", "--find-links", str(dist), "wagtail-helpcenter")
    project.run("wagtail", "start", "mysite", str(project.site))
    requirements = project.site / "requirements.txt"
    requirements.write_text(
        re.sub(r"^Django\b.*\n", guide_block("wagtail-helpcenter", "text"),
               requirements.read_text(), flags=re.M)
    )
    project.run("pip", "install", "--quiet", "--find-links", str(dist), "-r", str(requirements))
    installed = project.run("pip", "freeze").stdout
    assert re.search(r"^Django==5\.2\.", installed, flags=re.M), installed
    timings["wheel built and installed, wagtail start"] = time.monotonic() - started

    # Step 3 before step 2, as the guide tried literally: stopped with the fix in a sentence.
    configure_settings(project.site)
    shadowed = project.manage("check", check=False)
    assert shadowed.returncode != 0
    assert "ModuleNotFoundError" not in shadowed.stderr, shadowed.stderr
    assert "helpcenter.E001: the 'search' package in" in shadowed.stderr
    assert "delete that folder (made by 'wagtail start') and its 'search/' URL" in shadowed.stderr

    remove_project_search_app(project.site)
    migrate_and_check = guide_commands("python manage.py migrate")
    assert migrate_and_check == [["manage.py", "migrate"], ["manage.py", "check"]]
    for command in migrate_and_check:
        project.manage(*command[1:])
    project.manage("shell", "-c", CREATE_PAGES)
    (project.site / "articles.jsonl").write_text(ARTICLE)
    for command in guide_commands("python manage.py import_articles"):
        project.manage(*command[1:], *(["--noinput"] if "rebuild_index" in command else []))

    visited = json.loads(project.manage("shell", "-c", VISIT).stdout.splitlines()[-1])
    timings["guide followed, every page asked for"] = time.monotonic() - started
    print(f"\nFrom nothing to a working help center ({project.run('python', '-V').stdout.strip()})")
    for step, seconds in timings.items():
        print(f"  {seconds:5.0f} s  {step}")

    assert Path(visited["helpcenter"]).is_relative_to(project.venv), visited["helpcenter"]
    statuses = {url: status for url, (status, _body) in visited["pages"].items()}
    assert set(statuses.values()) == {200}, statuses
    pages = {url: body for url, (_status, body) in visited["pages"].items()}
    for url in ["/help/", "/help/orders/", "/help/orders/where-is-my-parcel/",
                "/search/?q=parcel"]:
        assert "Where is my parcel?" in pages[url], url
    for url in ["/search/api/?q=parcl", "/search/api/autocomplete/?q=parc",
                "/search/api/suggest/?q=where+is+my+parcel"]:
        titles = [result["title"] for result in json.loads(pages[url])["results"]]
        assert "Where is my parcel?" in titles, (url, titles)
    assert 'name="message"' in pages["/help/contact/"]
    (colour,) = re.findall(r"CSS\s+custom properties \(`(--hc-[a-z-]+)`", GUIDE)  # step 5
    assert f"{colour}:" in pages["/static/helpcenter/helpcenter.css"]
