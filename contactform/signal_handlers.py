"""Receivers of the contact form's signals, connected in `ContactFormConfig.ready`."""


def delete_attachment_file(sender, instance, **kwargs):
    """An attachment's file goes with its row (erasure, the retention purge, a deleted
    conversation), so no personal data stays behind in the storage."""
    if instance.file:
        instance.file.delete(save=False)
