"""Synonyms that editors keep per language: validation, admin, permissions and the cache."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from search import synonyms_store
from search.models import Synonym
from search.synonyms import SynonymGroup
from search.text import analyse, searchable
from tests.helpers import client_for

ADD_URL = "/admin/snippets/search/synonym/add/"
INDEX_URL = "/admin/snippets/search/synonym/"
DEMO_SYNONYMS = Path(settings.BASE_DIR) / "example_site" / "demo_content" / "synonyms.json"


def edit_url(synonym):
    return f"/admin/snippets/search/synonym/edit/{synonym.pk}/"


def expands_to(language_code, text):
    stems = [term.stem for term in searchable(analyse(text, language_code))]
    expansions = synonyms_store.synonym_set(language_code).expand(stems)
    return {expansion.term for expansion in expansions} - set(stems)


@pytest.fixture
def nose_pads(locale_de):
    return Synonym.objects.create(locale=locale_de, line="Nasenpad, Nasenauflage")


# --- the model -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_line_is_parsed_into_a_group(locale_de):
    synonym = Synonym(locale=locale_de, line="  Gummi  ->   Nasenpad ")
    synonym.full_clean()
    assert synonym.line == "Gummi -> Nasenpad"
    assert synonym.as_group() == SynonymGroup(("Gummi",), ("Nasenpad",))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Nasenpad", "at least two synonyms"),
        ("a -> b -> c", '"->" only once'),
        ("Gummi, , Pad", "empty entry"),
        ("Gummi -> Gummi", "on both sides"),
    ],
)
def test_a_bad_line_is_a_field_error(locale_de, line, reason):
    with pytest.raises(ValidationError) as error:
        Synonym(locale=locale_de, line=line).full_clean()
    (message,) = error.value.message_dict["line"]
    assert message.startswith("These synonyms cannot be used: ")
    assert reason in message


@pytest.mark.django_db
def test_a_language_cannot_have_a_line_twice(nose_pads, locale_en):
    with pytest.raises(ValidationError, match="already has these synonyms"):
        Synonym(locale=nose_pads.locale, line=" Nasenpad,  Nasenauflage").full_clean()
    Synonym(locale=locale_en, line=nose_pads.line).full_clean()
    nose_pads.full_clean()  # editing the row itself is no duplicate


@pytest.mark.django_db
def test_groups_for_returns_active_valid_lines_of_one_language(nose_pads, locale_en):
    Synonym.objects.create(locale=nose_pads.locale, line="Etui, Hülle", active=False)
    Synonym.objects.create(locale=nose_pads.locale, line="not a group")  # bypassed clean()
    Synonym.objects.create(locale=locale_en, line="parcel, package")

    assert Synonym.objects.groups_for("de") == [SynonymGroup(("Nasenpad", "Nasenauflage"))]
    assert Synonym.objects.groups_for("fr") == []


# --- the cached synonym sets ---------------------------------------------------------------


@pytest.mark.django_db
def test_synonym_set_follows_saves_and_deletes(locale_de):
    assert expands_to("de", "Gummi kaputt") == set()

    rubber = Synonym.objects.create(locale=locale_de, line="Gummi -> Nasenpad")
    assert expands_to("de", "Gummi kaputt") == {"nasenpad"}
    assert expands_to("de", "Nasenpad") == set()  # one way
    assert expands_to("en", "Gummi") == set()

    rubber.line = "Gummi -> Nasenpad, Nasenauflage"
    rubber.save()
    assert expands_to("de", "Gummi") == {"nasenpad", "nasenauflag"}

    rubber.active = False
    rubber.save()
    assert expands_to("de", "Gummi") == set()

    rubber.active = True
    rubber.save()
    rubber.delete()
    assert expands_to("de", "Gummi") == set()


@pytest.mark.django_db
def test_synonym_set_is_built_once_per_version(nose_pads, django_assert_num_queries):
    first = synonyms_store.synonym_set("de")
    with django_assert_num_queries(0):
        assert synonyms_store.synonym_set("de") is first
    Synonym.objects.create(locale=nose_pads.locale, line="Etui, Brillenetui")
    assert synonyms_store.synonym_set("de") is not first


@pytest.mark.django_db
def test_synonym_set_is_rebuilt_when_the_cache_was_cleared(nose_pads):
    first = synonyms_store.synonym_set("de")
    cache.clear()
    Synonym.objects.filter(pk=nose_pads.pk).update(active=False)  # no signal
    assert synonyms_store.synonym_set("de") is not first
    assert expands_to("de", "Nasenpad") == set()


@pytest.mark.django_db
def test_deleting_a_locale_forgets_its_synonyms(nose_pads):
    assert expands_to("de", "Nasenpad") == {"nasenauflag"}
    nose_pads.locale.delete()
    assert expands_to("de", "Nasenpad") == set()


@pytest.mark.django_db
def test_version_bumps_again_on_commit(nose_pads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        before = synonyms_store.current_version()
        nose_pads.save()
        after_save = synonyms_store.current_version()
    assert after_save > before
    for callback in callbacks:
        callback()
    assert synonyms_store.current_version() > after_save


# --- demo synonyms -------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_synonyms_load_once(locale_de, locale_en):
    added = synonyms_store.load_synonyms(DEMO_SYNONYMS)
    assert 8 <= added <= 15
    assert synonyms_store.load_synonyms(DEMO_SYNONYMS) == 0
    assert Synonym.objects.count() == added
    assert expands_to("de", "Gummi") == {"nasenpad"}
    assert ("nose", "pad") in expands_to("en", "rubber")


@pytest.mark.django_db
def test_load_synonyms_skips_languages_without_a_locale(locale_de, tmp_path):
    path = tmp_path / "synonyms.json"
    path.write_text('[{"locale": "fr", "line": "lunettes, verres"}]', "utf-8")
    assert synonyms_store.load_synonyms(path) == 0


@pytest.mark.django_db
def test_load_synonyms_refuses_bad_lines(locale_de, tmp_path):
    path = tmp_path / "synonyms.json"
    path.write_text('[{"locale": "de", "line": "nur ein Wort"}]', "utf-8")
    with pytest.raises(ValidationError):
        synonyms_store.load_synonyms(path)
    assert not Synonym.objects.exists()


# --- the admin -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_line_shows_the_parse_error_and_saves_nothing(admin_client, locale_de):
    response = admin_client.post(
        ADD_URL, {"locale": locale_de.pk, "line": "Gummi -> ", "note": "", "active": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "These synonyms cannot be used: There is no word right of" in html
    assert not Synonym.objects.exists()


@pytest.mark.django_db
def test_a_good_line_saves_and_takes_effect(admin_client, locale_de):
    response = admin_client.post(
        ADD_URL,
        {"locale": locale_de.pk, "line": "Gummi -> Nasenpad", "note": "Kunden", "active": "on"},
    )
    assert response.status_code == 302
    synonym = Synonym.objects.get()
    assert (synonym.line, synonym.note, synonym.active) == ("Gummi -> Nasenpad", "Kunden", True)
    assert expands_to("de", "Gummi") == {"nasenpad"}


@pytest.mark.django_db
def test_the_list_filters_by_language_and_searches(admin_client, nose_pads, locale_en):
    Synonym.objects.create(locale=locale_en, line="parcel, package")
    html = admin_client.get(INDEX_URL).content.decode()
    assert "Nasenpad, Nasenauflage" in html and "parcel, package" in html

    html = admin_client.get(INDEX_URL + f"?locale={locale_en.pk}").content.decode()
    assert "parcel, package" in html and "Nasenpad" not in html

    html = admin_client.get(INDEX_URL + "?q=Nasen").content.decode()
    assert "Nasenpad, Nasenauflage" in html and "parcel" not in html


@pytest.mark.django_db
def test_editors_can_edit_synonyms(editor, nose_pads):
    client = client_for(editor)
    assert "Help search" in client.get("/admin/").content.decode()
    assert client.get(INDEX_URL).status_code == 200
    response = client.post(
        edit_url(nose_pads),
        {"locale": nose_pads.locale.pk, "line": "Nasenpad, Nasenpolster", "active": "on"},
    )
    assert response.status_code == 302
    nose_pads.refresh_from_db()
    assert nose_pads.line == "Nasenpad, Nasenpolster"
    assert expands_to("de", "Nasenpad") == {"nasenpol"}


@pytest.mark.django_db
def test_users_without_permission_cannot_touch_synonyms(admin_only_user, nose_pads):
    client = client_for(admin_only_user)
    assert "Help search" not in client.get("/admin/").content.decode()
    for url in (INDEX_URL, ADD_URL, edit_url(nose_pads)):
        assert client.get(url).status_code in (302, 403)
    response = client.post(
        edit_url(nose_pads), {"locale": nose_pads.locale.pk, "line": "a, b", "active": "on"}
    )
    assert response.status_code in (302, 403)
    nose_pads.refresh_from_db()
    assert nose_pads.line == "Nasenpad, Nasenauflage"
