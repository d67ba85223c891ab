"""What the right to erasure and the retention purge must reach: every place where an app of the
suite keeps personal data.

Each app registers its places (`PersonalDataStore`) in its `AppConfig.ready`; `erase` and
`purge` run all of them in one transaction (a dry run rolls it back, so its figures are exactly
those of a real run). docs/contactform.md lists what the suite's apps register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q

MIN_TEXT_LENGTH = 5
"""Shorter texts ("Ann") would erase other people's data too; they are not searched for."""


@dataclass
class Person:
    """Whom to erase: the e-mail address and other texts that identify them (names, street,
    phone number), as the person gave them or as the stores found them (`identify`)."""

    email: str
    texts: set[str] = field(default_factory=set)

    def needles(self) -> set[str]:
        """The texts to look for in free text: the address and every long enough other text."""
        found = {self.email.strip()} | {text.strip() for text in self.texts}
        return {needle for needle in found if len(needle) >= MIN_TEXT_LENGTH}

    def matches(self, field_name: str) -> Q:
        """Rows whose `field_name` contains any needle, ignoring case."""
        condition = Q(pk__in=[])
        for needle in self.needles():
            condition |= Q(**{f"{field_name}__icontains": needle})
        return condition


@dataclass(frozen=True)
class PersonalDataStore:
    """One place that keeps personal data.

    `erase(person)` deletes (or blanks) what it keeps about the person; `purge(cutoff)` what is
    older than the retention cutoff (None: kept until erased). Both return counts by what they
    deleted ("contact messages": 2). `identify(person)` may return more texts that identify the
    person (the names stored with their messages); it runs before any store erases.
    """

    name: str
    erase: Callable[[Person], dict[str, int]]
    purge: Callable[[datetime], dict[str, int]] | None = None
    identify: Callable[[Person], Iterable[str]] | None = None


_stores: dict[str, PersonalDataStore] = {}


def register(store: PersonalDataStore) -> None:
    """Add a store (call it from `AppConfig.ready`); registering a name again replaces it."""
    _stores[store.name] = store


def registered() -> list[PersonalDataStore]:
    return list(_stores.values())


def erase(person: Person, *, dry_run: bool = False) -> dict[str, int]:
    """Delete everything the registered stores keep about `person` (GDPR Art. 17)."""
    with transaction.atomic():
        for store in registered():
            if store.identify is not None:
                person.texts.update(text for text in store.identify(person) if text)
        counts = _run(store.erase(person) for store in registered())
        if dry_run:
            transaction.set_rollback(True)
    return counts


def purge(cutoff: datetime, *, dry_run: bool = False) -> dict[str, int]:
    """Delete what the registered stores keep from before `cutoff`."""
    with transaction.atomic():
        counts = _run(store.purge(cutoff) for store in registered() if store.purge is not None)
        if dry_run:
            transaction.set_rollback(True)
    return counts


def _run(results: Iterable[dict[str, int]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        for what, number in result.items():
            counts[what] = counts.get(what, 0) + number
    return counts


def erase_log_entry_labels(person: Person) -> dict[str, int]:
    """Wagtail's history entries whose label names the person (labels written before the suite
    labelled its objects by number, or by a host's own models)."""
    from wagtail.models import ModelLogEntry

    deleted = ModelLogEntry.objects.filter(person.matches("label")).delete()[0]
    return {"admin history entries": deleted}


def delete_log_entries_of(queryset) -> int:
    """Delete Wagtail's history entries of the objects in `queryset` (before deleting them)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import ModelLogEntry

    ids = queryset.order_by().annotate(object_id=Cast("pk", CharField())).values("object_id")
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=False)
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids)
    return entries.delete()[0]


def describe(counts: dict[str, int]) -> str:
    """Counts as a command prints them: "contact messages: 1, notifications: 2" (no plural to
    get wrong)."""
    return ", ".join(f"{what}: {number}" for what, number in counts.items())
