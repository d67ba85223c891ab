"""E-mail channel throughput: `python -m tests.benchmarks.bench_mail [--mails 200]`.

Starts Dovecot on loopback (tests/contactform/imap.py), fills a mailbox with customer questions
(the demo's development queries), and times one `fetch_new_mail` run into a test database with
the demo's English articles indexed, so each mail gets its suggested answers as in production.
Prints mails per second; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "example_site/demo_content"


def questions(count: int) -> list[str]:
    lines = [json.loads(line) for line in (DEMO / "dev-queries.jsonl").open(encoding="utf-8")]
    texts = [line["query"] for line in lines if line.get("locale", "en") == "en"]
    return [texts[number % len(texts)] + f" (order {number})" for number in range(count)]


def mail(number: int, text: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Customer {number} <customer{number}@example.com>"
    message["To"] = "service@klarsicht.example"
    message["Subject"] = text[:60]
    message["Message-ID"] = f"<bench-{number}@mail.example.com>"
    message.set_content(f"Hello,\n\n{text}\n\nThanks")
    return bytes(message)


def site():
    from wagtail.models import Locale, Page, Site

    from contactform.models import ContactPage
    from faq.importer import ArticleImporter
    from helpcenter.models import HelpCenterPage

    locale = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    center = root.add_child(instance=HelpCenterPage(title="Help", slug="help-bench"))
    center.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": center, "hostname": "localhost"}
    )
    records = [json.loads(line) for line in (DEMO / "articles.jsonl").open(encoding="utf-8")]
    ArticleImporter().run((n, r) for n, r in enumerate(records, 1) if r["locale"] == "en")
    page = center.add_child(
        instance=ContactPage(title="Contact", slug="contact", recipients="team@example.com")
    )
    page.save_revision().publish()
    return page


def run(mails: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from contactform.mailbox import MailboxSettings, fetch_new_mail
    from tests.contactform.imap import Dovecot, Mailbox

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    root = Path(tempfile.mkdtemp(prefix="helpcenter-bench-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root)
    server.start()
    try:
        page = site()
        box = Mailbox(server, "bench")
        settings.HELPCENTER_CONTACT_MAILBOX = box.setting(page)
        box.append(*(mail(n, text) for n, text in enumerate(questions(mails))))
        started = time.perf_counter()
        counts = fetch_new_mail(MailboxSettings.from_setting())
        seconds = time.perf_counter() - started
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return {
        "mails": sum(counts.values()),
        "outcomes": dict(counts),
        "seconds": round(seconds, 2),
        "mails_per_second": round(sum(counts.values()) / seconds, 1),
        "database": connection.vendor,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=200)
    options = parser.parse_args(argv)
    report = run(options.mails)
    print(
        f"fetch_mail: {report['mails']} mails in {report['seconds']} s = "
        f"{report['mails_per_second']} mails/s ({report['database']}, suggestions on "
        f"the demo's English articles; outcomes {report['outcomes']})"
    )


if __name__ == "__main__":
    main()
