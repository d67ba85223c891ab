"""Counters that many requests bump at once: one atomic UPDATE, never a read-modify-write."""

from django.db import IntegrityError, models, transaction
from django.db.models import F


def increment(
    model: type[models.Model], lookup: dict, increments: dict, snapshot: dict | None = None
) -> None:
    """Atomically add `increments` to the row matching `lookup`, creating it on first use.

    `snapshot` fields are set to the given values, on creation and on every update.
    """
    snapshot = snapshot or {}
    updates = {field: F(field) + amount for field, amount in increments.items() if amount}
    updates.update(snapshot)
    if model.objects.filter(**lookup).update(**updates):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **increments, **snapshot)
    except IntegrityError:  # a concurrent request created it first
        model.objects.filter(**lookup).update(**updates)
