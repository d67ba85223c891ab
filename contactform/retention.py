"""Keeping personal data no longer than needed: retention purge and the right to erasure.

The contact form registers what it keeps (`STORE`) with `helpcenter.erasure`; `erase` and
`purge` run every registered store of the suite in one transaction (a dry run rolls it back, so
what it reports is exactly what a real run would delete).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpcenter import erasure
from helpcenter.models import OutgoingMail

from .contacts import person_contacts
from .models import (
    ATTACHMENT_FOLDER,
    Attachment,
    Contact,
    ConversationEntry,
    Submission,
    UsedAnswer,
    attachment_storage,
    normalise_email,
)


def addresses_of(person: erasure.Person) -> set[str]:
    """The person's address and those of their other records an agent merged with it."""
    email = normalise_email(person.email)
    return {email, *person_contacts(email).values_list("email", flat=True)}


def names_of(person: erasure.Person) -> set[str]:
    """The names the person gave with their messages and the addresses of their merged records:
    erased wherever they were typed too."""
    addresses = addresses_of(person)
    names = set(Contact.objects.filter(email__in=addresses).values_list("name", flat=True))
    names |= set(_submissions_of(addresses).values_list("name", flat=True))
    names |= set(_entries_written_by(addresses).values_list("sender_name", flat=True))
    return {name for name in names | addresses if name.strip()}


def erase_contact_data(person: erasure.Person) -> Counter:
    """The person's messages with their replies, notes, notifications and history entries, and
    their contact records (all records merged into one person)."""
    addresses = addresses_of(person)
    submissions = Submission.objects.filter(pk__in=_submissions_of(addresses).values("pk"))
    counts = _delete_submissions(submissions)
    counts.update(_delete_entries_in_other_conversations(_entries_written_by(addresses)))
    counts.update(_delete_contacts(Contact.objects.filter(email__in=addresses)))
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
    counts.update(_delete_orphaned_files(timezone.now() - ORPHAN_GRACE))
    return counts


# How old a file without a row must be before the purge deletes it: a mail being stored right
# now has written its attachments and not yet committed their rows.
ORPHAN_GRACE = timedelta(days=1)


def _delete_orphaned_files(written_before: datetime) -> Counter:
    """Attachment files that no row refers to, written before `written_before`: a mail whose
    storing failed after its attachments were written leaves them behind, and they hold
    personal data. Deleted when the purge commits (a dry run keeps them)."""
    storage = attachment_storage()
    orphans = []
    for folder in _folders(storage, ATTACHMENT_FOLDER, depth=2):
        known = set(
            Attachment.objects.filter(file__startswith=f"{folder}/").values_list("file", flat=True)
        )
        for name in _files(storage, folder):
            path = f"{folder}/{name}"
            if path in known:
                continue
            try:
                if storage.get_modified_time(path) >= written_before:
                    continue
            except (NotImplementedError, OSError):
                continue  # a storage that cannot tell the age keeps its files
            orphans.append(path)
    if not orphans:
        return Counter()
    transaction.on_commit(lambda: [storage.delete(path) for path in orphans])
    return Counter({"attachment files without a message": len(orphans)})


def _folders(storage, folder: str, *, depth: int) -> list[str]:
    """The folders `depth` levels below `folder` (year, then month)."""
    if depth == 0:
        return [folder]
    return [found for child in sorted(_listing(storage, folder)[0])
            for found in _folders(storage, f"{folder}/{child}", depth=depth - 1)]


def _files(storage, folder: str) -> list[str]:
    return _listing(storage, folder)[1]


def _listing(storage, folder: str) -> tuple[list[str], list[str]]:
    """(folders, files) in `folder`; none when it is missing or the storage cannot list."""
    try:
        return storage.listdir(folder)
    except (NotImplementedError, OSError):  # FileNotFoundError is an OSError
        return [], []


def _any_address(field: str, addresses: set[str]) -> Q:
    """`field` is one of the addresses, in any case."""
    condition = Q(pk__in=[])
    for address in addresses:
        condition |= Q(**{f"{field}__iexact": address})
    return condition


def _submissions_of(addresses: set[str]):
    condition = Q(contact__email__in=addresses) | _any_address("email", addresses)
    return Submission.objects.filter(condition)


def _entries_written_by(addresses: set[str]):
    """E-mails the person sent into conversations (a reply from another address joins the
    conversation its References name: a colleague's, a second mailbox's)."""
    return ConversationEntry.objects.filter(_any_address("sender_email", addresses))


def _delete_entries_in_other_conversations(entries) -> Counter:
    """The person's e-mails in other people's conversations, with their attachments and the
    mails about them (their own conversations are gone already)."""
    count = entries.count()
    if not count:
        return Counter()
    mails = OutgoingMail.objects.filter(conversation_entry__in=entries).count()
    entries.delete()
    return Counter({"e-mails in other conversations": count, "outgoing mails": mails})


def _delete_submissions(submissions) -> Counter:
    history = erasure.delete_log_entries_of(submissions)
    entries = ConversationEntry.objects.filter(submission__in=submissions)
    entry_count = entries.count()
    used = UsedAnswer.objects.filter(entry__in=entries).count()
    mails = OutgoingMail.objects.filter(
        Q(submission__in=submissions) | Q(conversation_entry__in=entries)
    ).count()
    deleted = submissions.order_by().delete()[1].get(Submission._meta.label, 0)
    counts = Counter({"contact messages": deleted})
    # Only where there were any: most messages of the form never get a reply.
    counts.update(
        {"replies and notes": entry_count, "answers used in replies": used} if entry_count else {}
    )
    counts.update({"outgoing mails": mails, "admin history entries": history})
    return counts


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
