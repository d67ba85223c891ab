"""Keeping personal data no longer than needed: retention purge and the right to erasure.

Both run in one transaction; a dry run does the same work and rolls it back, so what it reports
is exactly what a real run would delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from search.analytics import erase_matching

from .models import Contact, Notification, Submission, normalise_email


@dataclass
class Deleted:
    submissions: int = 0
    notifications: int = 0
    contacts: int = 0
    search_queries: int = 0
    oldest: object = None
    newest: object = None


def purge(older_than_days: int, *, dry_run: bool = False) -> Deleted:
    """Delete submissions (with their notifications) received more than `older_than_days` ago,
    then the contacts left without submissions whose last contact is as old."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        old = Submission.objects.filter(created_at__lt=cutoff)
        result = Deleted(
            oldest=old.order_by("created_at").values_list("created_at", flat=True).first(),
            newest=old.order_by("-created_at").values_list("created_at", flat=True).first(),
        )
        result.notifications = Notification.objects.filter(submission__in=old).count()
        result.submissions = old.order_by().delete()[1].get(Submission._meta.label, 0)
        orphans = Contact.objects.filter(submissions=None, updated_at__lt=cutoff)
        result.contacts = orphans.delete()[1].get(Contact._meta.label, 0)
        if dry_run:
            transaction.set_rollback(True)
    return result


def erase(address: str, *, dry_run: bool = False) -> Deleted:
    """Delete everything stored about the person with this e-mail address (GDPR Art. 17):
    their submissions and notifications, the contact record, and search-log rows holding it."""
    email = normalise_email(address)
    with transaction.atomic():
        submissions = Submission.objects.filter(contact__email=email) | Submission.objects.filter(
            email__iexact=email
        )
        result = Deleted()
        result.notifications = Notification.objects.filter(submission__in=submissions).count()
        result.submissions = (
            Submission.objects.filter(pk__in=list(submissions.values_list("pk", flat=True)))
            .delete()[1]
            .get(Submission._meta.label, 0)
        )
        result.contacts = (
            Contact.objects.filter(email=email).delete()[1].get(Contact._meta.label, 0)
        )
        result.search_queries = erase_matching(email)
        if dry_run:
            transaction.set_rollback(True)
    return result
