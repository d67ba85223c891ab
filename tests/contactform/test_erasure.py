"""Erasure and retention reach every table: after them, the whole database is searched for the
person's strings (every column of every table, Wagtail's and Django's included)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from contactform.models import Contact, ConversationEntry, Submission
from helpcenter import erasure
from search.models import Query, QueryDailyHits
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ERASED = "annabel.quist@example.com"
NAME = "Annabel Quist"
STREET = "Hauptstraße 57"
# Lower-case pieces of the person's strings as any table might hold them (search terms are
# stored normalised: "hauptstrasse 57"; e-mail addresses masked).
NEEDLES = ["annabel", "quist", "hauptstra"]


def rows_containing(needle: str) -> dict[str, int]:
    """Every table and column of the database whose text holds `needle` (any case)."""
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                sql = (
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the schema
                    f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s"
                )
                cursor.execute(sql, [f"%{needle}%"])
                count = cursor.fetchone()[0]
                if count:
                    found[f"{table}.{column.name}"] = count
    return found


def leftovers() -> dict[str, dict[str, int]]:
    return {needle: found for needle in NEEDLES if (found := rows_containing(needle))}


@pytest.fixture
def person(customer, contact_page, form_data, make_article, admin_user):
    """Everything a customer leaves behind: a message (and a second customer's), the search log
    of the search box and of the contact form, a feedback comment, the agents' history."""
    article = make_article("Where is my parcel?")
    message = f"I am {NAME}, {STREET}. My parcel never came."
    for data in (
        form_data(name=NAME, email=ERASED, message=message, suggestions_seen="1"),
        form_data(name="Bertram Other", email="bertram@example.com", message="Bertram here.",
                  suggestions_seen="1"),
    ):
        assert customer.post(contact_page.url, data).status_code == 302
    customer.get(reverse("helpcenter_search:results"), {"q": f"{NAME} {STREET}"})
    customer.post(reverse("helpcenter_search:suggest"), {"q": message})
    customer.post(
        article.url + "feedback/", {"helpful": "no", "comment": f"{NAME}: call me ({ERASED})"}
    )
    submission = Submission.objects.get(email=ERASED)
    agent = client_for(admin_user)
    inspect = reverse("contact_messages_modeladmin_inspect", args=[submission.pk])
    assert agent.post(inspect, {"action": "status", "status": "answered"}).status_code == 302
    assert set(leftovers()) == set(NEEDLES)
    return submission


def test_history_labels_name_no_customer(person):
    entry = ModelLogEntry.objects.get(action="contactform.status")
    assert entry.label == f"Contact message {person.pk}"
    assert "annabel" not in str(person.contact).casefold()


def test_erase_contact_leaves_no_trace_of_the_person(person):
    out = StringIO()
    call_command("erase_contact", ERASED, "--also", STREET, stdout=out)

    assert leftovers() == {}
    assert "contact messages: 1" in out.getvalue() and "feedback comments: 1" in out.getvalue()
    assert Submission.objects.get().email == "bertram@example.com"  # the other customer stays
    assert rows_containing("bertram")


def test_erasure_reaches_her_e_mails_in_other_peoples_conversations(person):
    bertram = Submission.objects.get(email="bertram@example.com")
    ConversationEntry.objects.create(
        submission=bertram, kind=ConversationEntry.Kind.CUSTOMER, body="Writing for Bertram.",
        sender_name=NAME, sender_email=ERASED.upper(),
    )
    out = StringIO()
    call_command("erase_contact", ERASED, "--also", STREET, stdout=out)

    assert leftovers() == {}
    assert "e-mails in other conversations: 1" in out.getvalue()
    assert Submission.objects.get().email == "bertram@example.com"


def test_a_dry_run_reports_the_same_and_keeps_everything(person):
    out = StringIO()
    call_command("erase_contact", ERASED, "--also", STREET, "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would delete for annabel.quist@example.com:")
    assert set(leftovers()) == set(NEEDLES)


def test_the_retention_purge_leaves_no_trace_of_old_messages(person):
    long_ago = timezone.now() - timedelta(days=400)
    Submission.objects.update(created_at=long_ago)
    Contact.objects.update(updated_at=long_ago)
    QueryDailyHits.objects.filter(source="contact").update(date=long_ago.date())
    # Searches from the search box are the search log's to keep (and mask), not the purge's.
    Query.objects.exclude(daily_hits__source="contact").delete()
    out = StringIO()
    call_command("purge_contact_submissions", "--older-than", "365", stdout=out)

    # The feedback comment is kept until erased: it is anonymous unless someone signs it.
    assert set(leftovers()) <= {"annabel", "quist"}
    assert set(rows_containing("quist")) == {"faq_articlefeedback.comment"}
    assert "contact messages: 2" in out.getvalue()
    assert "contact-form search-log queries: 2" in out.getvalue()


def test_every_app_of_the_suite_registers_what_it_keeps():
    assert {store.name for store in erasure.registered()} >= {
        "helpcenter",
        "faq",
        "search",
        "contactform",
    }



def test_the_migration_relabels_history_written_before(person):
    """Entries from before the fix held "Name <e-mail>: message"; the migration rewrites them."""
    import importlib

    from django.apps import apps

    entry = ModelLogEntry.objects.get(action="contactform.status")
    ModelLogEntry.objects.filter(pk=entry.pk).update(label=f"{NAME} <{ERASED}>: I am")
    migration = importlib.import_module(
        "contactform.migrations.0003_history_labels_without_personal_data"
    )
    migration.relabel(apps, None)
    assert ModelLogEntry.objects.get(pk=entry.pk).label == f"Contact message {person.pk}"
