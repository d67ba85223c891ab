"""Readable slugs: umlauts written out, other letters transliterated, cut between words."""

import pytest

from faq.models import CategoryPage
from helpcenter.slugs import slug_for


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Rücksendung & Reklamation", "ruecksendung-reklamation"),
        ("Größe und Maße", "groesse-und-masse"),
        ("ÄRGER mit Übergrößen", "aerger-mit-uebergroessen"),
        ("Garçon, Łódź, Øresund, Æsop", "garcon-lodz-oresund-aesop"),
        ("¿Qué pasa?", "que-pasa"),
        ("!!!", "page"),
    ],
)
def test_titles_become_readable_ascii_slugs(title, slug):
    assert slug_for(title) == slug


def test_long_titles_are_cut_between_words():
    title = "Wie lange dauert die Lieferung meiner neuen Gleitsichtbrille nach Österreich?"
    assert slug_for(title, max_length=40) == "wie-lange-dauert-die-lieferung-meiner"
    assert slug_for("a" * 80, max_length=40) == "a" * 40


def test_an_editors_unicode_slug_is_written_out_on_save(help_center):
    category = help_center.add_child(
        instance=CategoryPage(title="Größe & Passform", slug="größe-passform")
    )
    assert category.slug == "groesse-passform"
    untitled_slug = help_center.add_child(instance=CategoryPage(title="Übersicht", slug=""))
    assert untitled_slug.slug == "uebersicht"
