import importlib.util
from pathlib import Path

from django.core.checks import Error, Tags, register

_OUR_SEARCH = Path(__file__).resolve().parent.parent / "search"


@register(Tags.compatibility)
def check_search_package_not_shadowed(app_configs, **kwargs):
    """A project made with ``wagtail start`` has its own ``search`` app, which hides ours."""
    spec = importlib.util.find_spec("search")
    origin = Path(spec.origin).resolve().parent if spec and spec.origin else None
    if origin == _OUR_SEARCH:
        return []
    return [
        Error(
            f"The 'search' package imported from {origin} hides wagtail-helpcenter's search app.",
            hint=(
                "Delete the 'search' folder that 'wagtail start' created in your project and "
                "remove its URL from urls.py: wagtail-helpcenter's search app replaces it."
            ),
            id="helpcenter.E001",
        )
    ]
