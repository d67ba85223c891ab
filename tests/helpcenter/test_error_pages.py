"""404 and 500 pages in the help-center layout, in the language of the URL, with a search box."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


@pytest.fixture
def help_centers(help_center, locale_de):
    german = help_center.copy_for_translation(locale_de)
    german.title = "Hilfe-Center"
    german.save_revision().publish()
    german.refresh_from_db()
    return {"en": help_center, "de": german}


@pytest.mark.parametrize(
    ("language", "heading", "help_home_link"),
    [
        ("en", "We can't find this page", "Go to the help center"),
        ("de", "Diese Seite finden wir nicht", "Zum Hilfe-Center"),
    ],
)
def test_unknown_address_gets_the_branded_404_in_its_language(
    help_centers, settings, language, heading, help_home_link
):
    settings.DEBUG = False
    response = Client(HTTP_USER_AGENT=BROWSER).get(f"/{language}/unknown/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert f'action="/{language}/search/"' in html and 'name="q"' in html
    home = help_centers[language]
    assert re.search(rf'href="{home.url}"[^>]*>\s*{help_home_link}', html)
    assert 'content="noindex"' in html
    other = "de" if language == "en" else "en"
    switcher = f'class="hc-languages__link" href="{help_centers[other].url}" hreflang="{other}"'
    assert switcher in html  # the other language's help home, not this unknown address in it


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("de", "Bei uns ist etwas schiefgelaufen")],
)
def test_server_error_page_needs_no_database_and_speaks_the_url_language(
    help_centers, settings, language, heading
):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.helpcenter.failing_urls"
    client = Client(HTTP_USER_AGENT=BROWSER, raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/fail/")
    assert response.status_code == 500
    assert len(queries) == 0, [query["sql"] for query in queries]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and heading in html
    assert f'action="/{language}/search/"' in html
    assert "helpcenter.css" in html
