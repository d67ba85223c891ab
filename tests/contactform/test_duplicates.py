"""Duplicate messages: the same text from the same address within the window is stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactform.models import Contact, Submission
from contactform.submissions import is_duplicate


def _submission(email, message, *, status=Submission.Status.NEW, age=timedelta(0)):
    contact = Contact.for_email(email, "Ann")
    return Submission.objects.create(
        contact=contact, name="Ann", email=email, message=message, status=status,
        created_at=timezone.now() - age,
    )


@pytest.mark.django_db
def test_the_same_message_from_the_same_address_within_the_window_is_a_duplicate(settings):
    settings.HELPCENTER_CONTACT_DUPLICATE_WINDOW_HOURS = 24
    _submission("ann@example.com", "Where is my parcel?")
    assert is_duplicate("ANN@example.com", "where is   my parcel?")
    assert not is_duplicate("bob@example.com", "Where is my parcel?")
    assert not is_duplicate("ann@example.com", "Where is my other parcel?")


@pytest.mark.django_db
def test_an_old_message_is_no_duplicate(settings):
    settings.HELPCENTER_CONTACT_DUPLICATE_WINDOW_HOURS = 24
    _submission("ann@example.com", "Where is my parcel?", age=timedelta(hours=25))
    assert not is_duplicate("ann@example.com", "Where is my parcel?")


@pytest.mark.django_db
def test_spam_does_not_hide_a_genuine_message_but_repeated_spam_is_a_duplicate():
    _submission("ann@example.com", "Where is my parcel?", status=Submission.Status.SPAM)
    assert not is_duplicate("ann@example.com", "Where is my parcel?")
    assert is_duplicate("ann@example.com", "Where is my parcel?", include_spam=True)
