"""The editors' synonyms as ready-to-use ``SynonymSet`` objects, cached per language.

Each process keeps the sets it built, tagged with a version number stored in Django's cache.
Saving or deleting a ``Synonym`` bumps the version, so every process rebuilds on its next
search; a lookup on the hot path costs one cache get. With several processes the cache must be
shared (Redis, Memcached, database or file cache): the default per-process ``LocMemCache``
only reaches the process that saved the synonym.
"""

import json
import time
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Locale

from .models import Synonym
from .synonyms import SynonymSet

VERSION_CACHE_KEY = "helpcenter:search:synonyms-version"

_built: dict[str, tuple[int, SynonymSet]] = {}


def synonym_set(language_code: str) -> SynonymSet:
    """The active synonyms of a language, as a set that expands analysed queries."""
    version = current_version()
    built = _built.get(language_code)
    if built is not None and built[0] == version:
        return built[1]
    synonyms = SynonymSet.from_groups(Synonym.objects.groups_for(language_code), language_code)
    _built[language_code] = (version, synonyms)
    return synonyms


def current_version() -> int:
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        # Start from the clock, not from 1: a process may still hold sets built under small
        # version numbers from before the cache was cleared.
        cache.add(VERSION_CACHE_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_CACHE_KEY, 0)
    return version


def synonyms_changed() -> None:
    """Make every process rebuild its synonym sets. Call it after changing synonyms in bulk."""
    _bump_version()
    # Again after commit: another process may have rebuilt from the old rows in between.
    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    try:
        cache.incr(VERSION_CACHE_KEY)
    except ValueError:  # not in the cache (yet, or any more)
        cache.set(VERSION_CACHE_KEY, time.time_ns(), timeout=None)


def load_synonyms(path: str | Path) -> int:
    """Add the synonyms of a JSON file: a list of ``{"locale": "de", "line": "...", "note": ""}``.

    Lines that a language already has are skipped, as are languages without a Wagtail
    ``Locale``. Returns how many synonyms were added; raises ValidationError for a bad line.
    """
    records = json.loads(Path(path).read_text("utf-8"))
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    added = 0
    with transaction.atomic():
        for record in records:
            locale = locales.get(record["locale"])
            if locale is None:
                continue
            synonym = Synonym(locale=locale, line=record["line"], note=record.get("note", ""))
            synonym.line = " ".join(synonym.line.split())
            if synonym.is_duplicate():
                continue
            synonym.full_clean()
            synonym.save()
            added += 1
    return added
