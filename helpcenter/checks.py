"""System checks of the base app; see docs/helpcenter.md#system-checks."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

_OUR_SEARCH = Path(__file__).resolve().parent.parent / "search"


def shadowing_search_package() -> Path | None:
    """The folder of a ``search`` package that hides ours (the one ``wagtail start`` makes)."""
    spec = importlib.util.find_spec("search")
    origin = Path(spec.origin).resolve().parent if spec and spec.origin else None
    return None if origin == _OUR_SEARCH else origin


def ensure_search_not_shadowed() -> None:
    """Stop at start-up, before anything imports the wrong ``search``, with the fix in a sentence.

    Called from the ``ready()`` of the apps that use the help search: a system check would come
    too late, as their imports of ``search.registry`` or ``search.urls`` fail first.
    """
    origin = shadowing_search_package()
    if origin:
        raise ImproperlyConfigured(
            f"helpcenter.E001: the 'search' package in {origin} hides wagtail-helpcenter's "
            "search app: delete that folder (made by 'wagtail start') and its 'search/' URL "
            "in urls.py, as docs/install.md says."
        )


@register(Tags.compatibility)
def check_task_backend(app_configs, **kwargs):
    if hasattr(settings, "TASKS"):
        return []
    return [
        Warning(
            "TASKS is not set, so e-mails and search index updates run inside the web request.",
            hint="Set TASKS as docs/install.md shows: the ImmediateBackend for development, "
            "django_tasks_db's DatabaseBackend with a 'manage.py db_worker' in production.",
            id="helpcenter.W001",
        )
    ]
