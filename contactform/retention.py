"""Keeping personal data no longer than needed: retention purge and the right to erasure.

The contact form registers what it keeps (`STORE`) with `helpcenter.erasure`; `erase` and
`purge` run every registered store of the suite in one transaction (a dry run rolls it back, so
what it reports is exactly what a real run would delete).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from helpcenter import erasure
from helpcenter.models import OutgoingMail

from .models import Contact, Submission, normalise_email


def names_of(person: erasure.Person) -> set[str]:
    """The names the person gave with their messages: erased wherever they were typed too."""
    email = normalise_email(person.email)
    names = set(Contact.objects.filter(email=email).values_list("name", flat=True))
    names |= set(_submissions_of(email).values_list("name", flat=True))
    return {name for name in names if name.strip()}


def erase_contact_data(person: erasure.Person) -> Counter:
    """The person's messages, their mails and history entries, the contact record."""
    email = normalise_email(person.email)
    submissions = Submission.objects.filter(pk__in=_submissions_of(email).values("pk"))
    counts = _delete_submissions(submissions)
    counts.update(_delete_contacts(Contact.objects.filter(email=email)))
    return counts


def purge_contact_data(cutoff: datetime) -> Counter:
    """Messages received before `cutoff`, and the contacts left without messages as old;
    the contact-form drafts and messages the help search logged before it."""
    # Imported here: AppConfig.ready registers STORE before the system checks have told a
    # project whose own "search" app hides ours (helpcenter.E001).
    from search.analytics import forget_source
    from search.models import QuerySource

    counts = _delete_submissions(Submission.objects.filter(created_at__lt=cutoff))
    counts.update(_delete_contacts(Contact.objects.filter(submissions=None, updated_at__lt=cutoff)))
    counts["contact-form search-log queries"] = forget_source(QuerySource.CONTACT, cutoff)
    return counts


def _submissions_of(email: str):
    return Submission.objects.filter(Q(contact__email=email) | Q(email__iexact=email))


def _delete_submissions(submissions) -> Counter:
    history = erasure.delete_log_entries_of(submissions)
    mails = OutgoingMail.objects.filter(submission__in=submissions).count()
    deleted = submissions.order_by().delete()[1].get(Submission._meta.label, 0)
    return Counter(
        {
            "contact messages": deleted,
            "outgoing mails": mails,
            "admin history entries": history,
        }
    )


def _delete_contacts(contacts) -> Counter:
    history = erasure.delete_log_entries_of(contacts)
    deleted = contacts.delete()[1].get(Contact._meta.label, 0)
    return Counter({"contact records": deleted, "admin history entries": history})


STORE = erasure.PersonalDataStore(
    name="contactform",
    erase=erase_contact_data,
    purge=purge_contact_data,
    identify=names_of,
)


def purge(older_than_days: int, *, dry_run: bool = False) -> tuple[dict[str, int], tuple]:
    """Run the retention purge of every registered store; also return the dates of the oldest
    and newest message it deletes."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = Submission.objects.filter(created_at__lt=cutoff).order_by("created_at")
    dates = old.values_list("created_at", flat=True)
    span = (dates.first(), dates.last())
    return erasure.purge(cutoff, dry_run=dry_run), span


def erase(address: str, *, also=(), dry_run: bool = False) -> dict[str, int]:
    """Erase everything the suite keeps about the person with this address (GDPR Art. 17);
    `also` are more texts that identify them (street, phone number)."""
    person = erasure.Person(email=normalise_email(address), texts=set(also))
    return erasure.erase(person, dry_run=dry_run)
