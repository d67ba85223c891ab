"""The contact inbox in the Wagtail admin: list, filters, search, detail, status, resend, CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contactform import notifications
from contactform.models import Contact, Submission
from helpcenter.models import OutgoingMail
from tests.helpers import client_for

INDEX = "contact_messages_modeladmin_index"
INSPECT = "contact_messages_modeladmin_inspect"
CONTACTS = "contact_contacts_modeladmin_index"
CONTACT = "contact_contacts_modeladmin_inspect"

pytestmark = pytest.mark.django_db


def inspect_url(submission):
    return reverse(INSPECT, args=[submission.pk])


@pytest.fixture
def viewer(django_user_model):
    """May read the inbox, not change it."""
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_submission"),
    )
    return user


@pytest.fixture
def inbox(contact_page, store_submission):
    """Three messages from Ann (one answered), one from Bo with a topic, one spam."""
    ann = [
        store_submission(contact_page, message="First question about my invoice number"),
        store_submission(contact_page, message="Second question: the frame is bent"),
    ]
    ann[0].status = Submission.Status.ANSWERED
    ann[0].created_at = timezone.now() - timedelta(days=40)
    ann[0].save()
    bo = store_submission(
        contact_page,
        name="Bo Builder",
        email="bo@example.com",
        topic="Returns",
        message="How do I send my glasses back?",
    )
    spam = store_submission(
        contact_page,
        name="Spammer",
        email="spam@example.net",
        message="Cheap pills",
        spam_reason="honeypot",
    )
    return {"ann": ann, "bo": bo, "spam": spam}


def listed(response) -> str:
    return response.content.decode()


# Access ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, inbox):
    for url in (reverse(INDEX), inspect_url(inbox["bo"]), reverse(CONTACTS)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def refused(response) -> bool:
    """Wagtail answers a permission error with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_a_user_without_the_permission_is_refused(admin_only_user, inbox):
    client = client_for(admin_only_user)
    assert refused(client.get(reverse(INDEX)))
    assert refused(client.get(inspect_url(inbox["bo"])))
    assert refused(client.get(reverse(CONTACTS)))
    assert "permission" in client.get(reverse(INDEX), follow=True).content.decode()
    response = client.post(inspect_url(inbox["bo"]), {"action": "status", "status": "closed"})
    assert response.status_code in (302, 403)
    assert Submission.objects.get(pk=inbox["bo"].pk).status == Submission.Status.NEW


@pytest.mark.parametrize("role", ["admin_user", "editor"])
def test_superusers_and_editors_read_the_inbox_and_contacts(request, role, inbox):
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    assert "Bo Builder" in listed(response) and "Returns" in listed(response)
    assert client.get(inspect_url(inbox["bo"])).status_code == 200
    contacts = client.get(reverse(CONTACTS))
    assert contacts.status_code == 200 and "bo@example.com" in listed(contacts)


def test_moderators_get_the_same_permissions_as_editors(django_user_model, inbox):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("moderator", password="pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    assert user.has_perm("contactform.view_submission")
    assert user.has_perm("contactform.change_submission")
    assert user.has_perm("contactform.view_contact")
    assert not user.has_perm("contactform.delete_submission")


def test_nobody_adds_or_edits_messages_in_a_form(admin_user, inbox):
    client = client_for(admin_user)
    assert refused(client.get(reverse("contact_messages_modeladmin_create")))
    assert refused(client.get(reverse("contact_messages_modeladmin_edit", args=[inbox["bo"].pk])))


def test_a_viewer_reads_but_cannot_change_status(viewer, inbox):
    client = client_for(viewer)
    page = client.get(inspect_url(inbox["bo"]))
    assert page.status_code == 200
    assert 'name="status"' not in listed(page)
    response = client.post(inspect_url(inbox["bo"]), {"action": "status", "status": "closed"})
    assert response.status_code in (302, 403)
    assert Submission.objects.get(pk=inbox["bo"].pk).status == Submission.Status.NEW


# The list --------------------------------------------------------------------------------------


def test_filters_by_status_date_page_and_topic(admin_user, inbox, contact_page):
    client = client_for(admin_user)
    rows = lambda **params: listed(client.get(reverse(INDEX), params))  # noqa: E731

    answered = rows(status__exact="answered")
    assert "First question" in answered and "Bo Builder" not in answered
    assert "Cheap pills" in rows(status__exact="spam")
    recent = rows(created_at__gte=(timezone.now() - timedelta(days=7)).isoformat())
    assert "Bo Builder" in recent and "First question" not in recent
    by_topic = rows(topic="Returns")
    assert "Bo Builder" in by_topic and "Second question" not in by_topic
    by_page = rows(page=str(contact_page.pk))
    assert "Bo Builder" in by_page and "Second question" in by_page
    assert "Bo Builder" not in rows(page="999999")


def test_search_finds_name_email_and_message(admin_user, inbox):
    client = client_for(admin_user)
    for term in ("Builder", "bo@example", "glasses back"):
        found = listed(client.get(reverse(INDEX), {"q": term}))
        assert "Bo Builder" in found and "Second question" not in found, term


def test_a_bogus_filter_is_a_message_not_a_500(admin_user, inbox):
    client = client_for(admin_user)
    response = client.get(reverse(INDEX), {"no_such_field": "1"}, follow=True)
    assert response.status_code == 200
    assert "That filter is not valid" in listed(response)


def test_csv_export_follows_the_filters_and_defuses_formulas(
    admin_user, inbox, store_submission, contact_page
):
    store_submission(
        contact_page,
        name='=HYPERLINK("http://evil")',
        email="x@example.com",
        message="@SUM(1+1) is a formula",
    )
    client = client_for(admin_user)
    response = client.get(reverse(INDEX), {"status__exact": "new", "export": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, rows = table[0], table[1:]
    assert header[:4] == ["Received", "Status", "Name", "E-Mail"]
    names = {row[2] for row in rows}
    assert names == {"Ann Example", "Bo Builder", '\'=HYPERLINK("http://evil")'}
    assert any(row[7] == "'@SUM(1+1) is a formula" for row in rows)


def test_the_menu_shows_the_number_of_new_messages(admin_user, inbox):
    response = client_for(admin_user).get(reverse("wagtailadmin_home"))
    assert "Contact messages (2)" in listed(response)  # Ann's second and Bo's; not spam/answered


# The detail view -------------------------------------------------------------------------------


def test_hostile_content_is_shown_escaped_with_line_breaks(
    admin_user, contact_page, store_submission
):
    submission = store_submission(
        contact_page,
        name='<img src=x onerror="alert(1)">',
        topic="<b>topic</b>",
        message="<script>alert('x')</script>\nsecond line\x00 & more",
    )
    page = listed(client_for(admin_user).get(inspect_url(submission)))
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>topic" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>second line &amp; more" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "\x00" not in page
    listing = listed(client_for(admin_user).get(reverse(INDEX)))
    assert "<img src=x" not in listing and "&lt;img src=x" in listing


def test_the_list_and_the_detail_show_the_reference_number(admin_user, inbox):
    client = client_for(admin_user)
    assert inbox["bo"].reference in listed(client.get(reverse(INDEX)))
    detail = listed(client.get(inspect_url(inbox["bo"])))
    assert f"<dd data-ci-reference>{inbox['bo'].reference}</dd>" in detail


def test_search_by_reference_number_finds_the_conversation(admin_user, inbox):
    client = client_for(admin_user)
    for term in (inbox["bo"].reference, inbox["bo"].reference.lstrip("#").lower()):
        page = listed(client.get(reverse(INDEX), {"q": term}))
        assert "How do I send my glasses back?" in page
        assert "First question about my invoice number" not in page


def test_the_detail_shows_the_contacts_whole_history(admin_user, inbox):
    page = listed(client_for(admin_user).get(inspect_url(inbox["ann"][1])))
    assert "3 messages in all" not in page
    assert "2 messages in all" in page
    assert inspect_url(inbox["ann"][0]) in page
    assert "First question about my invoice number" in page
    assert "How do I send my glasses back?" not in page


def test_the_detail_shows_suggested_and_opened_answers(
    admin_user, contact_page, store_submission, make_article, suggestion_for
):
    opened, other = make_article("Where is my parcel?"), make_article("How do I pay?")
    submission = store_submission(
        contact_page,
        suggestions=[suggestion_for(opened, 0.9), suggestion_for(other, 0.3)],
        opened=[opened.pk],
    )
    page = listed(client_for(admin_user).get(inspect_url(submission)))
    assert "Where is my parcel?" in page and "How do I pay?" in page
    assert page.count("ci-answer--opened") == 1
    assert "The customer opened an answer and sent the message anyway." in page
    assert reverse("wagtailadmin_pages:edit", args=[opened.pk]) in page


def test_an_editor_changes_the_status(editor, inbox):
    client = client_for(editor)
    response = client.post(
        inspect_url(inbox["bo"]), {"action": "status", "status": "answered"}, follow=True
    )
    assert response.status_code == 200
    assert "Status changed to “Answered”." in listed(response)
    assert Submission.objects.get(pk=inbox["bo"].pk).status == Submission.Status.ANSWERED
    history = client.get(reverse("contact_messages_modeladmin_history", args=[inbox["bo"].pk]))
    assert "Status changed" in listed(history)


def test_an_unknown_status_is_refused(editor, inbox):
    response = client_for(editor).post(
        inspect_url(inbox["bo"]), {"action": "status", "status": "deleted"}, follow=True
    )
    assert "Choose one of the listed statuses." in listed(response)
    assert Submission.objects.get(pk=inbox["bo"].pk).status == Submission.Status.NEW


def test_a_post_without_csrf_token_is_refused(editor, inbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(inspect_url(inbox["bo"]), {"action": "status", "status": "closed"})
    assert response.status_code == 403
    assert Submission.objects.get(pk=inbox["bo"].pk).status == Submission.Status.NEW


def test_resend_a_failed_notification(editor, inbox, django_capture_on_commit_callbacks):
    notification = inbox["bo"].mails.get(kind=notifications.TEAM)
    OutgoingMail.objects.filter(pk=notification.pk).update(
        status=OutgoingMail.Status.FAILED, attempts=6, last_error="SMTPServerDisconnected: down"
    )
    client = client_for(editor)
    page = listed(client.get(inspect_url(inbox["bo"])))
    assert "SMTPServerDisconnected: down" in page and "Send again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            inspect_url(inbox["bo"]), {"action": "resend", "mail": notification.pk}
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == OutgoingMail.Status.SENT
    assert [message.to for message in mail.outbox] == [
        ["team@klarsicht.example", "support@klarsicht.example"]
    ]


def test_resend_is_refused_for_spam_and_other_messages(editor, inbox):
    client = client_for(editor)
    spam_notification = inbox["spam"].mails.get(kind=notifications.TEAM)
    response = client.post(
        inspect_url(inbox["spam"]),
        {"action": "resend", "mail": spam_notification.pk},
        follow=True,
    )
    assert "This e-mail cannot be sent again." in listed(response)
    others = inbox["ann"][0].mails.get(kind=notifications.TEAM)
    response = client.post(
        inspect_url(inbox["bo"]), {"action": "resend", "mail": others.pk}, follow=True
    )
    assert "This e-mail cannot be sent again." in listed(response)
    response = client.post(
        inspect_url(inbox["bo"]), {"action": "resend", "mail": "1 OR 1=1"}, follow=True
    )
    assert "This e-mail cannot be sent again." in listed(response)
    assert mail.outbox == []


def test_the_contact_record_lists_all_messages(admin_user, inbox):
    contact = Contact.objects.get(email="ann@example.com")
    page = listed(client_for(admin_user).get(reverse(CONTACT, args=[contact.pk])))
    assert "First question about my invoice number" in page
    assert "Second question: the frame is bent" in page
    assert "glasses back" not in page
    listing = listed(client_for(admin_user).get(reverse(CONTACTS), {"q": "ann@"}))
    assert "ann@example.com" in listing and "bo@example.com" not in listing
