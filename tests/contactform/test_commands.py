"""Retention and erasure commands: purge_contact_submissions, erase_contact."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contactform.models import Contact, Deflection, Submission
from helpcenter.models import OutgoingMail
from search.models import Query

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def age(submission, days):
    when = timezone.now() - timedelta(days=days)
    Submission.objects.filter(pk=submission.pk).update(created_at=when)
    Contact.objects.filter(pk=submission.contact_id).update(updated_at=when)


@pytest.fixture
def stored(contact_page, store_submission):
    old = store_submission(contact_page, email="old@example.com", message="An old question")
    both_old = store_submission(contact_page, email="both@example.com", message="Old one")
    both_new = store_submission(contact_page, email="both@example.com", message="New one")
    new = store_submission(contact_page, email="new@example.com", message="A new question")
    age(old, 400)
    age(both_old, 400)
    Contact.objects.filter(email="both@example.com").update(updated_at=timezone.now())
    return {"old": old, "both_old": both_old, "both_new": both_new, "new": new}


def test_purge_dry_run_reports_and_keeps_everything(stored):
    out = run("purge_contact_submissions", "--older-than", "365", "--dry-run")

    assert out.startswith("Would delete what is older than 365 days: ")
    assert "contact messages: 2, " in out
    for counted in ("outgoing mails: 2", "contact records: 1", "search-log queries: 0"):
        assert counted in out
    assert Submission.objects.count() == 4 and Contact.objects.count() == 3


def test_purge_deletes_old_messages_and_contacts_left_without(stored):
    out = run("purge_contact_submissions", "--older-than", "365")

    assert out.startswith("Deleted what is older than 365 days: ")
    assert "contact messages: 2, outgoing mails: 2" in out
    assert set(Submission.objects.values_list("message", flat=True)) == {
        "New one",
        "A new question",
    }
    assert set(Contact.objects.values_list("email", flat=True)) == {
        "both@example.com",
        "new@example.com",
    }
    assert not OutgoingMail.objects.filter(submission=stored["old"].pk).exists()


def test_purge_defaults_to_the_retention_setting(stored, settings):
    settings.HELPCENTER_CONTACT_RETENTION_DAYS = 500
    out = run("purge_contact_submissions")
    assert "older than 500 days: " in out and "contact messages: 0" in out
    settings.HELPCENTER_CONTACT_RETENTION_DAYS = 30
    out = run("purge_contact_submissions")
    assert "older than 30 days: " in out and "contact messages: 2" in out


def test_purge_refuses_negative_days():
    with pytest.raises(CommandError):
        call_command("purge_contact_submissions", "--older-than", "-1")


@pytest.fixture
def person(contact_page, store_submission, make_article):
    article = make_article("Where is my parcel?")
    first = store_submission(contact_page, email="Erin@Example.com", name="Erin")
    second = store_submission(contact_page, email="erin@example.com", message="Another one")
    other = store_submission(contact_page, email="other@example.com")
    Deflection.objects.create(page=contact_page, article=article, article_title=article.title)
    # A search-log row that holds the address (stored before masking, or by a host's own code).
    Query.objects.create(text="order for erin@example.com", locale="en")
    Query.objects.create(text="where is my parcel", locale="en")
    return {"first": first, "second": second, "other": other}


def test_erase_contact_dry_run_deletes_nothing(person):
    out = run("erase_contact", "ERIN@example.com", "--dry-run")

    assert out.strip() == (
        "Would delete for erin@example.com: admin history entries: 0, feedback comments: 0, "
        "search-log queries: 1, contact messages: 2, outgoing mails: 2, contact records: 1."
    )
    assert Submission.objects.count() == 3
    assert Query.objects.count() == 2


def test_erase_contact_deletes_everything_about_the_person(person):
    out = run("erase_contact", " Erin@Example.com ")

    assert out.strip() == (
        "Deleted for erin@example.com: admin history entries: 0, feedback comments: 0, "
        "search-log queries: 1, contact messages: 2, outgoing mails: 2, contact records: 1."
    )
    assert list(Submission.objects.values_list("email", flat=True)) == ["other@example.com"]
    assert not Contact.objects.filter(email="erin@example.com").exists()
    assert OutgoingMail.objects.filter(submission=person["other"]).count() == 1
    assert list(Query.objects.values_list("text", flat=True)) == ["where is my parcel"]
    assert Deflection.objects.count() == 1  # holds no personal data


def test_erase_contact_for_an_unknown_address(person):
    out = run("erase_contact", "nobody@example.com")
    assert "contact messages: 0" in out and "Nothing was stored for this address." in out


@pytest.mark.parametrize("address", ["not-an-address", "a@b", ""])
def test_erase_contact_refuses_what_is_not_an_address(address, person):
    with pytest.raises(CommandError):
        call_command("erase_contact", address)
    assert Submission.objects.count() == 3
