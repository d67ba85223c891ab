import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale

from faq.importer import ArticleImporter, read_records
from faq.models import ArticlePage, CategoryPage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def write_jsonl(path: Path, records) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n",
        encoding="utf-8",
    )
    return path


def record(external_id="ext-1", **fields):
    return {
        "external_id": external_id,
        "locale": "en",
        "category": "Orders/Shipping",
        "title": "Where is my parcel?",
        "short_answer": "Use the tracking link in your shipping e-mail.",
        "body": "First paragraph.\n\nSecond <paragraph>.",
        "keywords": ["tracking", "dhl"],
        "published": True,
        **fields,
    }


def test_creates_categories_and_articles(help_center, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [record(), record("ext-2", title="Can I pay later?", category="Payment")],
    )
    call_command("import_articles", str(path), "--no-progress")

    orders = CategoryPage.objects.get(title="Orders")
    shipping = CategoryPage.objects.get(title="Shipping")
    assert orders.get_parent().pk == help_center.pk
    assert shipping.get_parent().pk == orders.pk and shipping.live
    article = ArticlePage.objects.get(external_id="ext-1")
    assert article.live and article.get_parent().pk == shipping.pk
    assert article.keywords == "tracking, dhl"
    html = article.body[0].value.source
    assert html == "<p>First paragraph.</p><p>Second &lt;paragraph&gt;.</p>"
    assert ArticlePage.objects.get(external_id="ext-2").get_parent().title == "Payment"


def test_reimport_updates_in_place_and_moves(help_center, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record()])
    call_command("import_articles", str(path), "--no-progress")
    first = ArticlePage.objects.get(external_id="ext-1")

    write_jsonl(path, [record(title="Where is my order?", category="Delivery", published=False)])
    call_command("import_articles", str(path), "--no-progress")

    assert ArticlePage.objects.filter(external_id="ext-1").count() == 1
    article = ArticlePage.objects.get(external_id="ext-1")
    assert article.pk == first.pk
    assert article.title == "Where is my order?"
    assert article.get_parent().title == "Delivery"
    assert not article.live


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_kept(help_center, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            record("good-1"),
            "{not json",
            record("bad-title", title=""),
            record("bad-locale", locale="xx"),
            record("bad-block", body=[{"type": "carousel", "value": 1}]),
            record("bad-published", published="maybe"),
            record("good-2", title="Second good one"),
        ],
    )
    with pytest.raises(CommandError, match="2 created, 0 updated, 0 unchanged, 5 failed"):
        call_command("import_articles", str(path), "--no-progress")

    assert set(ArticlePage.objects.values_list("external_id", flat=True)) == {"good-1", "good-2"}
    report = ArticleImporter().run(read_records(path))
    errors = dict(report.errors)
    assert "not valid JSON" in errors[2]
    assert errors[3] == "title is missing"
    assert "locale 'xx'" in errors[4]
    assert "unknown body block type 'carousel'" in errors[5]
    assert "published must be true or false" in errors[6]


def test_unreadable_records_are_bad_rows_and_the_good_rows_import(help_center, tmp_path):
    lone_surrogate = '{"external_id": "s", "locale": "en", "title": "caf\\udcff"}'
    deep = '{"external_id": "d", "body": ' + "[" * 200_000 + "]" * 200_000 + "}"
    without_body = record("nb", title="Only a short answer?")
    del without_body["body"]
    path = write_jsonl(
        tmp_path / "b.jsonl", [record("a1"), lone_surrogate, deep, without_body, record("a2")]
    )
    report = ArticleImporter().run(read_records(path))

    assert report.created == 3
    assert [number for number, _reason in report.errors] == [2, 3]
    assert "lone surrogate" in report.errors[0][1] and "\\udcff" in report.errors[0][1]
    assert "nested too deeply" in report.errors[1][1]
    assert list(ArticlePage.objects.get(title="Only a short answer?").body.raw_data) == []


def test_html_body_is_sanitised(help_center, tmp_path):
    body = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a></p>'
    path = write_jsonl(tmp_path / "a.jsonl", [record(body=body)])
    call_command("import_articles", str(path), "--no-progress")
    html = ArticlePage.objects.get().body[0].value.source
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert html.startswith("<p>Hi")


def test_csv_import_and_translations_share_a_key(help_center, locale_de, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "external_id,locale,category,title,short_answer,body,keywords,published\n"
        "ext-9,en,Returns,How do I return glasses?,Use the return label.,Text,label;refund,yes\n"
        "ext-9,de,Rücksendung,Wie sende ich zurück?,Nutzen Sie das Etikett.,Text,etikett,1\n",
        encoding="utf-8",
    )
    call_command("import_articles", str(path), "--no-progress")
    english = ArticlePage.objects.get(locale__language_code="en")
    german = ArticlePage.objects.get(locale=locale_de)
    assert english.translation_key == german.translation_key
    assert german.get_parent().title == "Rücksendung"
    assert german.get_parent().get_parent().specific.locale == Locale.objects.get(
        language_code="de"
    )
    assert english.keywords == "label, refund"


def test_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_articles", "/nonexistent/file.jsonl")


def test_command_shows_progress_and_summary(help_center, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(f"e{i}") for i in range(3)])
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=err)
    assert "3 created, 0 updated, 0 unchanged, 0 failed" in out.getvalue()
    assert "3/3" in err.getvalue()


def test_reimport_of_unchanged_records_creates_no_revisions(help_center, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(), record("ext-2", body=[
        {"type": "steps", "value": [{"title": "Open the box", "text": "Carefully."}]}
    ])])
    ArticleImporter().run(read_records(path))
    revisions = {a.pk: a.revisions.count() for a in ArticlePage.objects.all()}

    report = ArticleImporter().run(read_records(path))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert {a.pk: a.revisions.count() for a in ArticlePage.objects.all()} == revisions


def test_german_slugs_are_transliterated_and_cut_at_a_word_boundary(
    help_center, locale_de, tmp_path
):
    title = "Wie lange dauert die Rückerstattung für meine zurückgeschickte Brille aus Österreich?"
    path = write_jsonl(
        tmp_path / "de.jsonl",
        [record("ext-de", locale="de", category="Rücksendung & Reklamation", title=title)],
    )
    ArticleImporter().run(read_records(path))
    category = CategoryPage.objects.get(title="Rücksendung & Reklamation")
    assert category.slug == "ruecksendung-reklamation"
    article = ArticlePage.objects.get(external_id="ext-de")
    assert article.slug == "wie-lange-dauert-die-rueckerstattung-fuer-meine-zurueckgeschickte"
    assert article.url.endswith("/ruecksendung-reklamation/" + article.slug + "/")
