"""The agent's reply composer in the inbox: answer blocks, saved replies, notes, sending,
response times and which answers were used."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contactform import replies
from contactform.models import ConversationEntry, SavedReply, Submission, UsedAnswer
from contactform.references import conversation_for
from tests.helpers import client_for, publish_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article):
    return make_article(
        title="Where is my order?", short_answer="Track it under My orders → Shipping."
    )


@pytest.fixture
def conversation(contact_page, store_submission, suggestion_for, article):
    return store_submission(
        contact_page,
        name="Anna-Lena Müller",
        suggestions=[suggestion_for(article, 0.9)],
    )


def inspect_url(submission):
    return reverse("contact_messages_modeladmin_inspect", args=[submission.pk])


@pytest.fixture
def compose(django_capture_on_commit_callbacks):
    """POST the composer; what the request commits runs (the outbox sends after commit)."""

    def post(client, submission, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(inspect_url(submission), {"action": "compose", **data})

    return post


def test_the_composer_shows_the_message_and_the_answer_blocks(agent, conversation, article):
    response = client_for(agent).get(inspect_url(conversation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "My order has not arrived yet" in html
    assert f'data-insert-answer="{article.pk}"' in html
    assert "Track it under My orders → Shipping." in html
    assert conversation.reference in html


def test_inserting_an_answer_block_without_javascript_keeps_the_text_and_notes_the_use(
    compose, agent, conversation, article
):
    response = compose(
        client_for(agent), conversation, body="Hello Anna,", insert_answer=str(article.pk)
    )
    form = response.context["reply_form"]
    body = form.initial["body"]
    assert body.startswith("Hello Anna,\n\nWhere is my order?\nTrack it under My orders")
    assert body.endswith(article.full_url)
    assert form.initial["used_answers"] == str(article.pk)
    assert not ConversationEntry.objects.exists()  # nothing stored by an insert


def test_an_answer_block_is_in_the_conversations_language(
    agent, contact_page, store_submission, suggestion_for, article, locale_de
):
    german = article.copy_for_translation(locale_de, copy_parents=True)
    german.title = "Wo ist meine Bestellung?"
    german.short_answer = "Unter Meine Bestellungen → Versand."
    publish_page(german)
    submission = store_submission(
        contact_page, suggestions=[suggestion_for(article, 0.9)], locale="de"
    )
    (block,) = replies.answer_blocks(submission)
    assert block.id == article.pk
    assert block.title == "Wo ist meine Bestellung?"
    assert "Unter Meine Bestellungen" in block.text


def test_a_saved_reply_is_inserted_with_its_placeholders_filled(
    compose, agent, conversation, locale_en
):
    saved = SavedReply.objects.create(
        locale=locale_en,
        title="Greeting",
        text="Hello {first_name}, about {reference}: {agent} here. {unknown}",
    )
    response = compose(client_for(agent), conversation, saved_reply=str(saved.pk), insert_saved="1")
    body = response.context["reply_form"].initial["body"]
    assert body == f"Hello Anna-Lena, about {conversation.reference}: Mia Agent here. {{unknown}}"


def test_saved_replies_of_other_languages_are_not_offered(agent, conversation, locale_de):
    SavedReply.objects.create(locale=locale_de, title="Hallo", text="Hallo {first_name}")
    assert replies.saved_replies(conversation, agent) == []


def test_an_internal_note_is_stored_and_never_sent(compose, agent, conversation, mail_server):
    response = compose(client_for(agent), conversation, body="Called the courier.", note="1")
    assert response.status_code == 302
    note = conversation.entries.get()
    assert note.kind == ConversationEntry.Kind.NOTE
    assert note.author == agent
    assert mail_server.to("ann@example.com") == []
    conversation.refresh_from_db()
    assert conversation.first_response_at is None


def test_an_empty_reply_is_refused_with_a_message(compose, agent, conversation):
    response = compose(client_for(agent), conversation, body="   ", send="1")
    assert response.status_code == 200
    assert "Write the text first." in response.content.decode()
    assert not ConversationEntry.objects.exists()


def test_a_reply_to_spam_is_refused(compose, agent, conversation):
    Submission.objects.filter(pk=conversation.pk).update(status=Submission.Status.SPAM)
    response = compose(client_for(agent), conversation, body="Hi", send="1")
    assert "marked as spam" in response.content.decode()
    assert not ConversationEntry.objects.exists()


def test_a_read_only_agent_cannot_answer(compose, django_user_model, conversation):
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user("reader", password="pw")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_submission"])
    )
    client = client_for(reader)
    assert "data-ci-composer" not in client.get(inspect_url(conversation)).content.decode()
    response = compose(client, conversation, body="Hi", send="1")
    assert response.status_code in (302, 403)
    assert not ConversationEntry.objects.exists()


def test_assigning_an_agent(agent, conversation, django_user_model):
    client = client_for(agent)
    client.post(inspect_url(conversation), {"action": "assign", "assignee": str(agent.pk)})
    conversation.refresh_from_db()
    assert conversation.assignee == agent
    outsider = django_user_model.objects.create_user("outsider", password="pw")
    client.post(inspect_url(conversation), {"action": "assign", "assignee": str(outsider.pk)})
    conversation.refresh_from_db()
    assert conversation.assignee == agent  # not an agent: refused


def test_closing_stores_the_resolution_time_and_reopening_clears_it(agent, conversation):
    client = client_for(agent)
    client.post(inspect_url(conversation), {"action": "status", "status": "closed"})
    conversation.refresh_from_db()
    assert conversation.resolved_at is not None
    assert conversation.resolution_time == conversation.resolved_at - conversation.created_at
    client.post(inspect_url(conversation), {"action": "status", "status": "open"})
    conversation.refresh_from_db()
    assert conversation.resolved_at is None and conversation.resolution_time is None


# Sending: stored first, then through the outbox to the customer, threaded ----------------------


def test_the_reply_reaches_the_customer_threaded_with_the_reference(
    compose, agent, conversation, article, mail_server, settings
):
    settings.HELPCENTER_CONTACT_SERVICE_ADDRESS = "service@klarsicht.example"
    Submission.objects.filter(pk=conversation.pk).update(message_id="<first@customer.example>")
    ConversationEntry.objects.create(
        submission=conversation,
        kind=ConversationEntry.Kind.CUSTOMER,
        body="Any news?",
        message_id="<second@customer.example>",
        created_at=timezone.now(),
    )
    with_block = replies.insert("Hello Anna-Lena,", replies.answer_blocks(conversation)[0].text)
    response = compose(
        client_for(agent),
        conversation,
        body=with_block,
        used_answers=f"{article.pk},999,abc",
        status_after="answered",
        send="1",
    )
    assert response.status_code == 302
    (mail,) = mail_server.to("ann@example.com")
    reply = conversation.entries.get(kind=ConversationEntry.Kind.AGENT)
    assert mail["Message-ID"] == reply.message_id
    assert mail["In-Reply-To"] == "<second@customer.example>"
    assert mail["References"] == "<first@customer.example> <second@customer.example>"
    assert mail["Reply-To"] == "service@klarsicht.example"
    assert conversation.reference in mail["Subject"]
    assert "Track it under My orders" in mail.get_content()
    conversation.refresh_from_db()
    assert conversation.status == Submission.Status.ANSWERED
    assert conversation.assignee == agent
    assert conversation.first_response_time == reply.created_at - conversation.created_at
    used = UsedAnswer.objects.get()
    assert (used.entry, used.article_id, used.locale) == (reply, article.pk, "en")


def test_a_second_reply_refers_to_the_first_and_keeps_the_first_response_time(
    compose, agent, conversation, mail_server
):
    client = client_for(agent)
    compose(client, conversation, body="First answer.", status_after="answered", send="1")
    conversation.refresh_from_db()
    first_time = conversation.first_response_time
    compose(client, conversation, body="One more thing.", status_after="closed", send="1")
    first, second = mail_server.to("ann@example.com")
    root = f"<conversation.{conversation.pk}."
    assert first["In-Reply-To"].startswith(root)
    # A customer's answer that refers only to the root still finds the conversation.
    assert conversation_for([first["In-Reply-To"]], "Re: hello", "") == conversation
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"].split() == [first["In-Reply-To"], first["Message-ID"]]
    conversation.refresh_from_db()
    assert conversation.first_response_time == first_time
    assert conversation.status == Submission.Status.CLOSED
    assert conversation.resolution_time is not None


def test_the_reply_is_stored_even_when_the_mail_server_is_down_and_can_be_sent_again(
    compose, agent, conversation, mail_server, django_capture_on_commit_callbacks
):
    mail_server.stop()
    response = compose(client_for(agent), conversation, body="Stored first.", send="1")
    assert response.status_code == 302
    assert conversation.entries.get().body == "Stored first."
    reply_mail = conversation.entries.get().mails.get()
    assert reply_mail.status == "pending" and reply_mail.last_error
    html = client_for(agent).get(inspect_url(conversation)).content.decode()
    assert "E-mail: Pending" in html
    mail_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(
            inspect_url(conversation), {"action": "resend", "mail": str(reply_mail.pk)}
        )
    reply_mail.refresh_from_db()
    assert reply_mail.status == "sent"
    assert mail_server.to("ann@example.com")[0].get_content().startswith("Stored first.")
