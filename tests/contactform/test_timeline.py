"""One customer timeline on the contact record: every channel, filters, links, merged records,
and what erasure removes of it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from community import posting
from contactform import replies
from contactform.models import Contact, ConversationEntry, Submission
from contactform.retention import erase
from faq.models import ArticleFeedback
from helpcenter import timeline
from tests.community.fixtures import board, forum  # noqa: F401 - fixtures
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(django_user_model):
    user = django_user_model.objects.create_user("agent", password="pw", first_name="Mia")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def story(contact_page, store_submission, agent, board, make_article, django_user_model):  # noqa: F811
    """Ann wrote through the form, got a reply and a note was kept; as a forum member (her
    account's address in another case) she asked a question, and she commented an article."""
    submission = store_submission(contact_page, message="My frame broke at the hinge.")
    replies.add_note(submission, body="Warranty case, check the order.", author=agent)
    ConversationEntry.objects.create(
        submission=submission, kind=ConversationEntry.Kind.AGENT, author=agent, body="We fix it."
    )
    member = django_user_model.objects.create_user("ann", "Ann@Example.com", "pw")
    thread = posting.start_thread(board, member, "Hinge screws keep coming loose", "Any tips?")
    article = make_article(title="Tighten the hinge")
    ArticleFeedback.objects.create(
        page=article, visitor="v1", helpful=False, comment="Needs a picture", author=member
    )
    ArticleFeedback.objects.create(page=article, visitor="v2", helpful=False, comment="Anon")
    return submission, thread, article


def contact_url(contact, **params):
    url = reverse("contact_contacts_modeladmin_inspect", args=[contact.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_timeline_shows_every_channel_newest_first_with_links(story, agent):
    submission, thread, article = story
    items = timeline.timeline(["ann@example.com"])
    assert [item.channel for item in items] == ["feedback", "forum", "email", "note", "form"]
    by_channel = {item.channel: item for item in items}
    assert by_channel["form"].text == "My frame broke at the hinge."
    assert by_channel["form"].url == reverse(
        "contact_messages_modeladmin_inspect", args=[submission.pk]
    )
    assert by_channel["note"].internal and not by_channel["email"].internal
    assert by_channel["email"].url.endswith(f"#entry-{submission.entries.get(kind='agent').pk}")
    assert by_channel["forum"].title == thread.title
    assert by_channel["forum"].url.startswith(thread.url)
    assert by_channel["feedback"].text == "Needs a picture"
    assert by_channel["feedback"].url == article.url


def test_the_contact_page_filters_by_channel(story, agent):
    submission, _thread, _article = story
    client = client_for(agent)
    html = client.get(contact_url(submission.contact)).content.decode()
    for text in ("My frame broke", "Warranty case", "We fix it.", "Any tips?", "Needs a picture"):
        assert text in html
    assert "Anon" not in html
    notes = client.get(contact_url(submission.contact, channel="note")).content.decode()
    assert "Warranty case" in notes and "My frame broke" not in notes and "Any tips?" not in notes
    forum_only = client.get(contact_url(submission.contact, channel="forum")).content.decode()
    assert "Any tips?" in forum_only and "Warranty case" not in forum_only
    unknown = client.get(contact_url(submission.contact, channel="<script>"))
    assert unknown.status_code == 200 and "Any tips?" in unknown.content.decode()


def test_spam_is_not_part_of_the_timeline(contact_page, store_submission):
    store_submission(contact_page, spam_reason="honeypot", message="Buy pills")
    assert timeline.timeline(["ann@example.com"]) == []


def test_merging_two_records_of_one_person(contact_page, store_submission, agent):
    first = store_submission(contact_page, message="From my work address.")
    second = store_submission(contact_page, email="ann.private@example.com", message="From home.")
    client = client_for(agent)
    url = contact_url(first.contact)
    refused = client.post(url, {"email": "ann.private@example.com"})
    assert "This field is required" in refused.content.decode()  # the confirmation
    unknown = client.post(url, {"email": "nobody@example.com", "confirm": "on"})
    assert "There is no contact with this address." in unknown.content.decode()
    client.post(url, {"email": "ANN.private@example.com", "confirm": "on"})
    second.refresh_from_db()
    assert second.contact == first.contact
    html = client.get(url).content.decode()
    assert "From home." in html and "From my work address." in html
    # A new message from the other address joins the merged record.
    third = store_submission(contact_page, email="ann.private@example.com", message="Again.")
    assert third.contact == first.contact
    old = Contact.objects.get(email="ann.private@example.com")
    assert old.merged_into == first.contact
    assert "merged into another record" in client.get(contact_url(old)).content.decode()
    refused = client.post(contact_url(old), {"email": "ann@example.com", "confirm": "on"})
    assert "merge there instead" in refused.content.decode()


def test_merging_needs_the_change_permission(contact_page, store_submission, django_user_model):
    from django.contrib.auth.models import Permission

    first = store_submission(contact_page)
    store_submission(contact_page, email="other@example.com")
    reader = django_user_model.objects.create_user("reader", password="pw")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_contact"])
    )
    client = client_for(reader)
    assert client.get(contact_url(first.contact)).status_code == 200
    data = {"email": "other@example.com", "confirm": "on"}
    response = client.post(contact_url(first.contact), data)
    assert response.status_code in (302, 403)
    assert Contact.objects.get(email="other@example.com").merged_into is None


def test_erasure_reaches_merged_records_replies_notes_and_signed_comments(story, store_submission,
                                                                          contact_page, agent):
    submission, _thread, _article = story
    other = store_submission(contact_page, email="ann.private@example.com", message="Home.")
    from contactform.contacts import merge_contacts

    merge_contacts(submission.contact, other.contact, agent)
    counts = erase("ann.private@example.com")
    assert counts["contact messages"] == 2
    assert counts["replies and notes"] == 2
    assert counts["contact records"] == 2
    assert not Submission.objects.exists() and not ConversationEntry.objects.exists()
    signed = ArticleFeedback.objects.get(visitor="v1")
    assert signed.comment == "" and signed.author is None
    assert ArticleFeedback.objects.get(visitor="v2").comment == "Anon"


@pytest.mark.django_db(transaction=True)
def test_an_automatic_reply_that_went_out_is_an_e_mail_on_the_timeline(
    contact_page, store_submission, mail_server
):
    contact_page.auto_reply_enabled = True
    contact_page.save_revision().publish()
    submission = store_submission(contact_page, message="Where is my parcel, please?")

    assert len(mail_server.to("ann@example.com")) == 1
    items = [i for i in timeline.timeline(["ann@example.com"]) if i.kind == "Automatic reply"]
    assert len(items) == 1
    assert items[0].channel == "email" and items[0].title == submission.reference
    assert items[0].url == reverse("contact_messages_modeladmin_inspect", args=[submission.pk])
