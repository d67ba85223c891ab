"""The agent hears when the customer answers: a customer's e-mail reply, read from a real IMAP
server (Dovecot), joins its conversation, reopens it and is mailed (real SMTP on loopback) to
the assignee or the team; machine-written replies and spam tell nobody."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from contactform import customer_replies, replies
from contactform.models import ConversationEntry, Submission
from helpcenter.models import OutgoingMail
from tests.helpers import client_for, publish_page

from .imap import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(mailbox, mail_server, fetch):
    """A conversation that came by e-mail; the mails it caused so far are forgotten."""
    mailbox.append(mail())
    fetch()
    mail_server.envelopes.clear()
    return Submission.objects.get()


def customer_reply(mailbox, submission, body="It came today, but the frame is broken."):
    mailbox.append(mail(body, subject=f"Re: Where is my order? {submission.reference}"))


def test_the_assigned_agent_hears_of_the_reply_in_their_language(
    mailbox, conversation, agent, mail_server, fetch
):
    UserProfile.objects.create(user=agent, preferred_language="de")
    replies.assign(conversation, agent, agent)
    customer_reply(mailbox, conversation)

    assert "reply: 1" in fetch()

    (message,) = mail_server.messages
    assert mail_server.envelopes[0].rcpt_tos == ["agent@klarsicht.example"]
    subject = message["Subject"].strip()
    assert subject.startswith(f"Antwort {conversation.reference} von Ann Example: Re: Where")
    body = message.get_content()
    assert "Ann Example hat in der Unterhaltung" in body
    assert "> It came today, but the frame is broken." in body
    inspect = reverse("contact_messages_modeladmin_inspect", args=[conversation.pk])
    assert f"Im Posteingang öffnen: http://testserver{inspect}" in body
    assert message["Reply-To"] == "Ann Example <ann@example.com>"
    assert message["In-Reply-To"].startswith(f"<team.{conversation.pk}.")


def test_without_an_assignee_the_team_hears_and_a_closed_conversation_reopens(
    mailbox, conversation, agent, mail_server, fetch
):
    replies.set_status(conversation, Submission.Status.CLOSED, agent)
    customer_reply(mailbox, conversation, "Thanks! One more thing about the case.")
    customer_reply(mailbox, conversation, "And the cleaning cloth is missing.")

    fetch()

    conversation.refresh_from_db()
    assert conversation.status == Submission.Status.OPEN
    assert conversation.resolved_at is None and conversation.resolution_time is None
    changes = ModelLogEntry.objects.filter(
        object_id=str(conversation.pk), action="contactform.status"
    ).order_by("pk")
    assert [entry.data["to"] for entry in changes] == ["Closed", "Open"]
    assert changes.last().user is None
    first, second = mail_server.to("team@klarsicht.example")
    assert mail_server.envelopes[0].rcpt_tos == [
        "team@klarsicht.example",
        "support@klarsicht.example",
    ]
    assert first["Subject"].strip().startswith(f"Reply {conversation.reference} from Ann Example:")
    assert "> Thanks! One more thing about the case." in first.get_content()
    assert "> And the cleaning cloth is missing." in second.get_content()
    assert first["Message-ID"] != second["Message-ID"]


def test_an_inactive_assignee_is_passed_over_for_the_team(
    mailbox, conversation, agent, mail_server, fetch
):
    replies.assign(conversation, agent, agent)
    agent.is_active = False
    agent.save()
    customer_reply(mailbox, conversation)

    fetch()

    assert [envelope.rcpt_tos for envelope in mail_server.envelopes] == [
        ["team@klarsicht.example", "support@klarsicht.example"]
    ]


def test_an_out_of_office_answer_joins_the_conversation_but_tells_nobody(
    mailbox, conversation, mail_server, fetch
):
    mailbox.append(
        mail(
            "I am out of the office until Monday.",
            subject=f"Automatic reply: {conversation.reference}",
            Auto_Submitted="auto-replied",
        )
    )

    fetch()

    entry = conversation.entries.get(kind=ConversationEntry.Kind.CUSTOMER)
    outgoing = OutgoingMail.objects.get(conversation_entry=entry)
    assert outgoing.kind == customer_replies.KIND
    assert outgoing.status == OutgoingMail.Status.SKIPPED
    assert "Written by a machine (Auto-Submitted: auto-replied)" in outgoing.last_error
    assert mail_server.messages == []


def test_a_reply_to_spam_tells_nobody(mailbox, conversation, mail_server, fetch):
    Submission.objects.filter(pk=conversation.pk).update(
        status=Submission.Status.SPAM, spam_reason="too-many-links"
    )
    customer_reply(mailbox, conversation)

    fetch()

    outgoing = OutgoingMail.objects.get(kind=customer_replies.KIND)
    assert outgoing.status == OutgoingMail.Status.SKIPPED
    assert outgoing.last_error == "Spam: too-many-links"
    assert mail_server.messages == []
    assert Submission.objects.get().status == Submission.Status.SPAM


def test_the_contact_page_can_turn_it_off(
    mailbox, contact_page, conversation, mail_server, fetch
):
    contact_page.notify_customer_replies = False
    publish_page(contact_page)
    customer_reply(mailbox, conversation)

    assert "reply: 1" in fetch()

    assert not OutgoingMail.objects.filter(kind=customer_replies.KIND).exists()
    assert mail_server.messages == []


def test_the_inbox_lists_the_notification_with_the_conversations_mails(
    mailbox, conversation, agent, mail_server, fetch
):
    customer_reply(mailbox, conversation)
    fetch()

    response = client_for(agent).get(
        reverse("contact_messages_modeladmin_inspect", args=[conversation.pk])
    )

    html = response.content.decode()
    assert "Customer reply notification" in html
    # The customer's entry has no "E-mail: Sent" badge: that mail went to the team, not them.
    assert "data-ci-delivery" not in html


def test_a_long_reply_is_quoted_in_part_and_the_inbox_has_the_rest(
    mailbox, conversation, mail_server, fetch
):
    customer_reply(mailbox, conversation, "Line of a very long answer.\n" * 200)

    fetch()

    (message,) = mail_server.messages
    quoted = [line for line in message.get_content().splitlines() if line.startswith(">")]
    assert quoted[-1].endswith("…")
    assert 1400 < sum(len(line) for line in quoted) < 1700


def test_a_reply_from_another_address_is_told_under_its_senders_name(
    mailbox, conversation, agent, mail_server, fetch
):
    mailbox.append(
        mail(
            "I am Ann's colleague: the parcel is at our front desk.",
            sender="Bob Colleague <bob@example.org>",
            subject="Re: Where is my order?",
            References=conversation.message_id,
        )
    )

    assert "reply: 1" in fetch()

    entry = conversation.entries.get(kind=ConversationEntry.Kind.CUSTOMER)
    assert (entry.sender_name, entry.sender_email) == ("Bob Colleague", "bob@example.org")
    assert entry.other_sender == "Bob Colleague <bob@example.org>"
    (message,) = mail_server.messages
    assert message["Subject"].strip().startswith(
        f"Reply {conversation.reference} from Bob Colleague:"
    )
    assert "Bob Colleague replied in conversation" in message.get_content()
    html = client_for(agent).get(
        reverse("contact_messages_modeladmin_inspect", args=[conversation.pk])
    ).content.decode()
    assert "from Bob Colleague &lt;bob@example.org&gt;" in html


def test_the_customers_own_reply_names_no_other_sender(mailbox, conversation, fetch):
    mailbox.append(mail("Thanks!", sender="ANN <Ann@Example.com>",
                        subject=f"Re: Where is my order? {conversation.reference}"))
    fetch()

    entry = conversation.entries.get(kind=ConversationEntry.Kind.CUSTOMER)
    assert entry.other_sender == ""
    assert entry.customer_name == "Ann Example"
