"""Loads the Klarsicht Eyewear help center: both languages, categories, articles and an admin.

Safe to run again: existing pages are found by their translation keys and external ids, and
articles are updated in place.
"""

import json
import random
import re
import secrets
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from contactform.models import ContactPage
from example_site import demo_community
from faq import popularity
from faq.importer import ArticleImporter, read_records, unique_slug
from faq.models import ArticlePage, CategoryPage
from helpcenter.models import HelpCenterPage
from helpcenter.slugs import slug_for
from search import indexing
from search.synonyms_store import load_synonyms

USAGE_SEED = "klarsicht-demo-usage"
USAGE_DAYS = 28
USAGE_LANGUAGE_SHARE = {"de": 1.0, "en": 0.45}  # a German shop: most customers read German
CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"
KEY_NAMESPACE = uuid.UUID("0b8f2f0e-58a4-4f0e-9d0b-5c7c8f2b7d11")
HELP_CENTER = {
    "en": {
        "title": "Klarsicht Help Center",
        "slug": "help",
        "headline": "How can we help you?",
        "intro": "Answers about orders, delivery, returns, frames and lenses from our team.",
    },
    "de": {
        "title": "Klarsicht Hilfe-Center",
        "slug": "hilfe",
        "headline": "Wie können wir Ihnen helfen?",
        "intro": "Antworten zu Bestellung, Versand, Rücksendung, Fassungen und Gläsern.",
    },
}
CONTACT_PAGE = {
    "en": {
        "title": "Contact us",
        "slug": "contact",
        "intro": "<p>Tell us what's on your mind: our service team in Hamburg answers every "
        "message by e-mail, usually within one working day.</p>",
        "topics": "Order & delivery\nReturns & refunds\nFrames & lenses",
        "privacy_url": "https://klarsicht.example/privacy",
        "thank_you_text": "<p>We have received your message and will reply by e-mail, usually "
        "within one working day. You'll find our answer in your inbox.</p>",
        "auto_reply_text": "Thank you for your message. Our service team answers Monday to "
        "Friday from 9 a.m. to 5 p.m. and will get back to you as soon as possible.",
    },
    "de": {
        "title": "Kontakt",
        "slug": "kontakt",
        "intro": "<p>Schreiben Sie uns: Unser Service-Team in Hamburg beantwortet jede "
        "Nachricht per E-Mail, meist innerhalb eines Werktags.</p>",
        "topics": "Bestellung & Versand\nRücksendung & Erstattung\nFassungen & Gläser",
        "privacy_url": "https://klarsicht.example/datenschutz",
        "thank_you_text": "<p>Wir haben Ihre Nachricht erhalten und antworten per E-Mail, meist "
        "innerhalb eines Werktags.</p>",
        "auto_reply_text": "Vielen Dank für Ihre Nachricht. Unser Service-Team ist montags bis "
        "freitags von 9 bis 17 Uhr für Sie da und meldet sich so schnell wie möglich.",
    },
}
CONTACT_SETTINGS = {
    "recipients": "service@klarsicht.example",
    "auto_reply_enabled": True,
    "business_hours": [
        {
            "type": "hours",
            "value": {"days": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "17:00"},
        }
    ],
}


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, name)


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()  # publishing a new slug rewrites url_path in the database only
    return page


class Command(BaseCommand):
    help = "Load the demo help center (English and German) and create an admin login."

    def add_arguments(self, parser):
        parser.add_argument("--no-index", action="store_true", help="Skip building the index.")

    def handle(self, *args, no_index: bool, **options):
        locales = {
            code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "de")
        }
        with transaction.atomic():
            roots = self.help_centers(locales)
            categories = json.loads((CONTENT_DIR / "categories.json").read_text(encoding="utf-8"))
            for category in categories:
                self.category(category, roots, locales)
            self.contact_pages(roots, locales)
            with indexing.deferred_index_updates():
                moderator, moderator_password = demo_community.load(
                    CONTENT_DIR, roots, locales, _key, _publish, self.stdout
                )
        added = load_synonyms(CONTENT_DIR / "synonyms.json")
        self.stdout.write(f"Synonyms: {added} added.")
        report = ArticleImporter().run(read_records(CONTENT_DIR / "articles.jsonl"))
        for line, message in report.errors:
            self.stderr.write(f"articles.jsonl line {line}: {message}")
        self.stdout.write(
            f"Articles: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        with transaction.atomic():  # Wagtail redirects the old URLs when this commits
            renamed = self.readable_slugs(roots)
        if renamed:
            self.stdout.write(f"Slugs: {renamed} made readable, old URLs redirect.")
        with transaction.atomic():
            used = self.usage(roots)
        if used:
            self.stdout.write(f"Usage: views, votes and dates for {used} articles.")
        if not no_index:
            call_command("rebuild_index", interactive=False, verbosity=0)
            self.stdout.write("Search index built.")
        self.admin_login()
        self.stdout.write(self.style.SUCCESS(
            f"Forum moderator login: {moderator.username} / {moderator_password}  ->  "
            f"{roots['en'].community_page.url}"
        ))

    def help_centers(self, locales) -> dict[str, Page]:
        english = HelpCenterPage.objects.filter(
            translation_key=_key("help-center"), locale=locales["en"]
        ).first()
        if english is None:
            root = Page.get_first_root_node()
            english = root.add_child(
                instance=HelpCenterPage(
                    translation_key=_key("help-center"), locale=locales["en"], **HELP_CENTER["en"]
                )
            )
            _publish(english)
            site = Site.objects.filter(is_default_site=True).first()
            old_root = site.root_page if site else None
            if site is None:
                site = Site(is_default_site=True, hostname="localhost")
            site.root_page = english
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
            if old_root and old_root.pk != english.pk and not old_root.get_children().exists():
                old_root.delete()
        self.serve_site_at_admin_address(english)
        german = english.get_translation_or_none(locales["de"])
        if german is None:
            german = english.copy_for_translation(locales["de"])
            for name, value in HELP_CENTER["de"].items():
                setattr(german, name, value)
            _publish(german)
        return {"en": english.specific, "de": german.specific}

    def serve_site_at_admin_address(self, help_center: Page) -> None:
        """The demo serves pages and admin on one address: links in e-mails take the pages' host
        and port from the Site, the admin's from WAGTAILADMIN_BASE_URL (`make demo` sets it)."""
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        default_port = 443 if address.scheme == "https" else 80
        wanted = {"hostname": address.hostname, "port": address.port or default_port}
        for site in Site.objects.filter(root_page=help_center).exclude(**wanted):
            site.hostname, site.port = wanted["hostname"], wanted["port"]
            site.save()  # save(), not update(): Wagtail forgets its cached site roots on save

    def category(self, data: dict, parents: dict[str, Page], locales) -> None:
        key = _key(f"category:{data['key']}")
        pages = {}
        for code, parent in parents.items():
            page = CategoryPage.objects.filter(translation_key=key, locale=locales[code]).first()
            texts = {"title": data[code]["title"], "description": data[code]["description"]}
            if page is None:
                page = parent.add_child(
                    instance=CategoryPage(
                        translation_key=key,
                        locale=locales[code],
                        icon=data["icon"],
                        slug=unique_slug(parent, texts["title"]),
                        **texts,
                    )
                )
                pages[code] = _publish(page)
                continue
            wanted = {**texts, "icon": data["icon"]}
            if page.live and all(getattr(page, name) == value for name, value in wanted.items()):
                pages[code] = page  # unchanged: no new revision
                continue
            for name, value in wanted.items():
                setattr(page, name, value)
            pages[code] = _publish(page)
        for child in data.get("children", []):
            self.category(child, pages, locales)

    def readable_slugs(self, roots: dict[str, Page]) -> int:
        """Give categories and articles of an older demo readable slugs (`ruecksendung-...`, not
        `rucksendung-...` or `r%C3%BCcksendung-...` cut mid-word). Wagtail's redirects app
        (`WAGTAILREDIRECTS_AUTO_CREATE`) redirects each old URL when the slug changes."""
        renamed = 0
        for root in roots.values():
            pages = Page.objects.descendant_of(root).type(CategoryPage, ArticlePage).specific()
            for page in pages.order_by("path"):
                wanted = re.escape(slug_for(page.title, fallback="article"))
                if re.fullmatch(rf"{wanted}(-\d+)?", page.slug):
                    continue
                page.slug = unique_slug(page.get_parent(), page.title, exclude_pk=page.pk)
                _publish(page)
                renamed += 1
        return renamed

    def usage(self, roots: dict[str, Page]) -> int:
        """Articles nobody has read yet get the counters of a help center in use: views on
        each of the last weeks, "Was this helpful?" votes and varied publishing dates.

        Deterministic (seeded by each article's external id, so translations are about as
        popular as their originals) and written through the real counters (ArticleStats,
        ArticleDailyViews); an article with counters is left alone, so loading again adds none.
        """
        today, now = timezone.localdate(), timezone.now()
        articles = (
            ArticlePage.objects.filter(locale__in=[root.locale_id for root in roots.values()])
            .filter(helpcenter_stats__isnull=True)
            .select_related("locale")
        )
        for article in articles:
            seed = f"{USAGE_SEED}:{article.external_id or article.pk}"
            rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
            per_day = rng.lognormvariate(1.0, 1.1) * USAGE_LANGUAGE_SHARE.get(
                article.locale.language_code, 0.5
            )
            views = {
                today - timedelta(days=days): int(per_day * rng.uniform(0.3, 1.7) + rng.random())
                for days in range(USAGE_DAYS)
            }
            popularity.record_past_views(article.pk, views)
            votes = round(sum(views.values()) * rng.uniform(0.03, 0.09))
            helpful = round(votes * rng.uniform(0.55, 0.97))
            popularity.record_vote(article.pk, True, helpful)
            popularity.record_vote(article.pk, False, votes - helpful)
            published = now - timedelta(days=rng.randint(0, 150), minutes=rng.randint(0, 1439))
            ArticlePage.objects.filter(pk=article.pk).update(
                last_published_at=published,
                first_published_at=published - timedelta(days=rng.randint(0, 400)),
            )
        return len(articles)

    def contact_pages(self, roots: dict[str, Page], locales) -> None:
        """A contact page below each help center, linked from its "Still need help?" box.

        An existing page is left as the editors made it.
        """
        key = _key("contact-page")
        for code, help_center in roots.items():
            page = ContactPage.objects.filter(translation_key=key, locale=locales[code]).first()
            if page is None:
                page = help_center.add_child(
                    instance=ContactPage(
                        translation_key=key,
                        locale=locales[code],
                        **CONTACT_PAGE[code],
                        **CONTACT_SETTINGS,
                    )
                )
                _publish(page)
            help_center.refresh_from_db()  # adding pages below it changed its tree fields
            if help_center.contact_page_id is None:
                help_center.contact_page = page
                _publish(help_center)

    def admin_login(self) -> None:
        password_file = Path(settings.VAR_DIR) / "demo-admin-password.txt"
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(9)
            User.objects.create_superuser("admin", "admin@klarsicht.example", password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password, encoding="utf-8")
        password = (
            password_file.read_text(encoding="utf-8").strip()
            if password_file.exists()
            else "(unchanged)"
        )
        self.stdout.write(self.style.SUCCESS(f"Admin login: admin / {password}  ->  /admin/"))
