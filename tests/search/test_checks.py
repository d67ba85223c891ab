"""System checks of the help search (docs/search.md#system-checks)."""

import pytest
from django.core.checks import run_checks

from search.checks import check_search_index
from tests.helpers import run_check


def test_missing_haystack_connections_stop_the_site_with_the_fix(tmp_path):
    result = run_check(tmp_path, "del HAYSTACK_CONNECTIONS\n")

    assert result.returncode != 0
    assert "search.E001: HAYSTACK_CONNECTIONS is not set: add it with the engine" in result.stderr
    assert "The HAYSTACK_CONNECTIONS setting is required." not in result.stderr


def test_haystack_above_search_is_an_error(tmp_path):
    tail = (
        "INSTALLED_APPS = [app for app in INSTALLED_APPS if app != 'haystack']\n"
        "INSTALLED_APPS.insert(INSTALLED_APPS.index('search'), 'haystack')\n"
    )
    result = run_check(tmp_path, tail)

    assert result.returncode != 0
    assert "(search.E002) 'haystack' is listed above 'search' in INSTALLED_APPS" in result.stderr
    assert "HINT: Move 'search' above 'haystack' in INSTALLED_APPS." in result.stderr


@pytest.mark.django_db
def test_missing_index_is_reported_by_check_with_a_database():
    """search.W001 is registered and runs with `check --database` and `migrate` only."""
    assert "search.W001" not in [message.id for message in run_checks()]

    (warning,) = [m for m in run_checks(databases=["default"]) if m.id == "search.W001"]

    assert "articles (en)" in warning.msg
    assert "rebuild_index" in warning.hint
    assert check_search_index(None, databases=None) == []
