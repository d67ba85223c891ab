"""System checks of the base app (docs/helpcenter.md#system-checks)."""

import pytest
from django.test import override_settings

from helpcenter.checks import check_task_backend
from tests.helpers import run_check

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


FAQ_FIRST = (
    "INSTALLED_APPS = [app for app in INSTALLED_APPS if app != 'faq']\n"
    "INSTALLED_APPS.insert(0, 'faq')\n"
)


@pytest.mark.parametrize("settings_tail", ["", FAQ_FIRST], ids=["helpcenter-first", "faq-first"])
def test_a_search_app_made_by_wagtail_start_stops_the_site_with_the_fix(tmp_path, settings_tail):
    project = tmp_path / "project"
    (project / "search").mkdir(parents=True)
    (project / "search" / "__init__.py").write_text("")
    (project / "search" / "views.py").write_text("def search(request): pass\n")

    result = run_check(tmp_path, settings_tail, project)

    assert result.returncode != 0
    assert "ModuleNotFoundError" not in result.stderr
    assert "helpcenter.E001" in result.stderr
    assert f"the 'search' package in {project / 'search'} hides" in result.stderr
    assert "delete that folder (made by 'wagtail start') and its 'search/' URL" in result.stderr


def test_our_own_search_app_passes(tmp_path):
    result = run_check(tmp_path, "")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_task_backend_is_reported(settings):
    del settings.TASKS

    (warning,) = check_task_backend(None)

    assert warning.id == "helpcenter.W001"
    assert "Set TASKS" in warning.hint


@override_settings(TASKS={"default": {"BACKEND": IMMEDIATE}})
def test_a_task_backend_passes():
    assert check_task_backend(None) == []
