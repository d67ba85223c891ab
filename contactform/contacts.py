"""Contact records: one person, one record, even when they wrote from two addresses."""

from __future__ import annotations

from django.db import transaction
from wagtail.log_actions import log

from .models import Contact, Submission


def merge_contacts(contact: Contact, other: Contact, user) -> int:
    """Merge `other` into `contact`: its messages move, its address (and those merged into it)
    lead to `contact` from now on. Returns the number of messages moved."""
    with transaction.atomic():
        moved = Submission.objects.filter(contact=other).update(contact=contact)
        Contact.objects.filter(merged_into=other).update(merged_into=contact)
        other.merged_into = contact
        other.save(update_fields=["merged_into", "updated_at"])
        if not contact.name and other.name:
            contact.name = other.name
        contact.save()
        log(instance=contact, action="contactform.merge", user=user, data={"merged": str(other)})
    return moved


def person_contacts(email: str):
    """The records of the person with this address: theirs, the one it was merged into and all
    merged into that one (what erasure removes together)."""
    contact = Contact.objects.filter(email=email).select_related("merged_into").first()
    if contact is None:
        return Contact.objects.none()
    root = contact.merged_into or contact
    return Contact.objects.filter(pk=root.pk) | Contact.objects.filter(merged_into=root)
