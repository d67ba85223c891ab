"""Receivers of the contact form's signals, connected in `ContactFormConfig.ready`."""

from django.db import transaction


def delete_attachment_file(sender, instance, using=None, **kwargs):
    """An attachment's file goes with its row (erasure, the retention purge, a deleted
    conversation), so no personal data stays behind in the storage: once the deletion is
    committed, since a dry run of `erase_contact` or of the purge rolls the rows back."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name), using=using)
