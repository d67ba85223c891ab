"""The e-mails a submission causes, through a real SMTP server on loopback (aiosmtpd)."""

import re
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from contactform import notifications
from contactform.models import Submission
from helpcenter import outbox
from helpcenter.models import OutgoingMail
from helpcenter.tasks import deliver_mail

TEAM = ["team@klarsicht.example", "support@klarsicht.example"]


def team_notification(submission):
    return OutgoingMail.objects.get(submission=submission, kind=notifications.TEAM)


def auto_reply(submission):
    return OutgoingMail.objects.get(submission=submission, kind=notifications.AUTO_REPLY)


def enable_auto_reply(page, **fields):
    page.auto_reply_enabled = True
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def answers(make_article, make_category):
    category = make_category("Shipping")
    return [
        make_article(
            "Where is my parcel?",
            category=category,
            short_answer="Follow the tracking link in your shipping e-mail.",
        ),
        make_article(
            "How long does delivery take?",
            category=category,
            short_answer="Two to three working days.",
        ),
    ]


# What arrives ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_team_notification_and_auto_reply_arrive(
    contact_page, mail_server, store_submission, answers, suggestion_for
):
    enable_auto_reply(contact_page, auto_reply_confidence=0.6)
    earlier = store_submission(contact_page, message="An earlier question about my invoice.")
    mail_server.envelopes.clear()

    submission = store_submission(
        contact_page,
        name="Ann Example",
        email="Ann@Example.com",
        message="Where is my parcel?\nIt was sent a week ago.",
        suggestions=[suggestion_for(answers[0], 0.82), suggestion_for(answers[1], 0.4)],
        opened=[answers[0].pk],
    )

    team = mail_server.to("team@klarsicht.example")
    assert len(team) == 1 and len(mail_server.to("support@klarsicht.example")) == 1
    message = team[0]
    assert message.get_content_type() == "text/plain"
    assert message["Reply-To"] == "Ann Example <Ann@Example.com>"
    assert message["Subject"] == (
        f"Contact {submission.reference}: Where is my parcel? It was sent a week ago."
    )
    # Our Message-ID names the conversation, so a reply to this mail finds it.
    assert message["Message-ID"].startswith(f"<team.{submission.pk}.")
    body = message.get_content()
    assert "> Where is my parcel?\n> It was sent a week ago." in body
    assert f"http://testserver/admin/contact/messages/inspect/{submission.pk}/" in body
    assert "This contact has written 1 time before." in body
    assert "Contact page: Contact us" in body and "Language: English (en)" in body
    # The suggested answers as reply text: title, short answer, full URL; which one was opened.
    assert "1. Where is my parcel? [opened]" in body
    assert "Follow the tracking link in your shipping e-mail." in body
    assert answers[0].get_full_url() in body
    assert answers[0].get_full_url().startswith("http")

    reply = mail_server.to("ann@example.com")
    assert len(reply) == 1
    reply = reply[0]
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["Subject"] == (
        f"We received your message {submission.reference} (automatic reply)"
    )
    assert reply["Message-ID"].startswith(f"<auto_reply.{submission.pk}.")
    assert reply["In-Reply-To"] is None  # the conversation began in the form, not by e-mail
    text = reply.get_content()
    assert text.startswith("Hello Ann,")
    assert "This is an automatic reply" in text
    assert "It was sent a week ago" not in text and "Ann Example" not in text
    assert answers[0].get_full_url() in text and answers[1].get_full_url() in text

    assert team_notification(submission).status == OutgoingMail.Status.SENT
    assert auto_reply(submission).status == OutgoingMail.Status.SENT
    assert team_notification(earlier).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_auto_reply_lists_answers_only_above_the_pages_confidence(
    contact_page, mail_server, store_submission, answers, suggestion_for
):
    enable_auto_reply(contact_page, auto_reply_confidence=0.8)
    store_submission(
        contact_page, email="low@example.com", suggestions=[suggestion_for(answers[0], 0.79)]
    )
    store_submission(
        contact_page, email="high@example.com", suggestions=[suggestion_for(answers[0], 0.8)]
    )

    low = mail_server.to("low@example.com")[0].get_content()
    high = mail_server.to("high@example.com")[0].get_content()
    assert answers[0].get_full_url() not in low and "may already solve" not in low
    assert answers[0].get_full_url() in high and "Where is my parcel?" in high


@pytest.mark.django_db(transaction=True)
def test_auto_reply_outside_business_hours_only(contact_page, mail_server, store_submission):
    now = timezone.localtime()
    all_day = {"days": [str(now.weekday())], "opens": time(0, 0), "closes": time(23, 59, 59)}
    enable_auto_reply(
        contact_page,
        auto_reply_outside_business_hours_only=True,
        business_hours=[("hours", all_day)],
    )
    if not contact_page.is_business_time(now):
        pytest.skip("run at the last second of the day")

    submission = store_submission(contact_page)

    assert mail_server.to("ann@example.com") == []
    assert auto_reply(submission).status == OutgoingMail.Status.SKIPPED
    assert "business hours" in auto_reply(submission).last_error
    assert len(mail_server.to("team@klarsicht.example")) == 1


@pytest.mark.django_db(transaction=True)
def test_auto_replies_are_limited_per_recipient_per_day(
    contact_page, mail_server, store_submission, settings
):
    settings.HELPCENTER_CONTACT_AUTO_REPLIES_PER_RECIPIENT_PER_DAY = 2
    enable_auto_reply(contact_page)
    sent = [
        store_submission(contact_page, email=address, message=f"Question number {n} here")
        for n, address in enumerate(
            ["victim@example.org", "VICTIM@example.org", " Victim@Example.org", "other@example.org"]
        )
    ]

    assert len(mail_server.to("victim@example.org")) == 2
    assert len(mail_server.to("other@example.org")) == 1
    third = auto_reply(sent[2])
    assert third.status == OutgoingMail.Status.SKIPPED
    assert "2 automatic replies in 24 hours" in third.last_error
    # The team hears of every message.
    assert len(mail_server.to("team@klarsicht.example")) == 4


@pytest.mark.parametrize(
    ("address", "alias"),
    [
        ("victim@example.com", '"victim"@example.com'),
        ("victim@example.com", "victim+1@example.com"),
        ("victim@example.com", "Victim+news@EXAMPLE.com"),
        ("victim@gmail.com", "v.ictim@gmail.com"),
        ("victim@gmail.com", "vic.tim+x@googlemail.com"),
    ],
)
def test_aliases_share_one_mailbox_key(address, alias):
    assert notifications.mailbox_key(alias) == notifications.mailbox_key(address)


def test_dots_count_where_the_provider_reads_them():
    assert notifications.mailbox_key("v.ictim@example.com") != "victim@example.com"


@pytest.mark.django_db(transaction=True)
def test_the_auto_reply_cap_counts_aliases_of_one_mailbox(
    contact_page, mail_server, store_submission, settings
):
    settings.HELPCENTER_CONTACT_AUTO_REPLIES_PER_RECIPIENT_PER_DAY = 2
    enable_auto_reply(contact_page)
    aliases = ["victim@gmail.com", '"victim"@gmail.com', "victim+1@gmail.com", "v.ictim@gmail.com"]
    sent = [
        store_submission(contact_page, email=address, message=f"Question number {n} here")
        for n, address in enumerate(aliases)
    ]
    statuses = [auto_reply(submission).status for submission in sent]
    assert statuses.count(OutgoingMail.Status.SENT) == 2
    assert len(mail_server.envelopes) == 4 + 2  # every team notification, two replies
    assert "automatic replies in 24 hours" in auto_reply(sent[3]).last_error


@pytest.mark.django_db(transaction=True)
def test_the_auto_reply_cap_counts_per_ip_address(
    contact_page, mail_server, store_submission, settings
):
    settings.HELPCENTER_CONTACT_AUTO_REPLIES_PER_IP_PER_DAY = 3
    enable_auto_reply(contact_page)
    sent = [
        store_submission(contact_page, email=f"person{n}@example.org", message=f"Question {n} here")
        for n in range(5)
    ]
    statuses = [auto_reply(submission).status for submission in sent]
    assert statuses == [OutgoingMail.Status.SENT] * 3 + [OutgoingMail.Status.SKIPPED] * 2
    assert "network address" in auto_reply(sent[4]).last_error
    assert len(mail_server.to("person4@example.org")) == 0


@pytest.mark.django_db(transaction=True)
def test_spam_is_stored_but_never_mailed(contact_page, mail_server, store_submission):
    enable_auto_reply(contact_page)

    submission = store_submission(contact_page, spam_reason="honeypot")

    assert mail_server.envelopes == []
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.SPAM
    assert {(n.kind, n.status, n.last_error) for n in submission.mails.all()} == {
        ("contactform.team", "skipped", "Spam: honeypot"),
        ("contactform.auto_reply", "skipped", "Spam: honeypot"),
    }
    assert not outbox.can_resend(team_notification(submission))


# Hostile input ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_hostile_name_topic_and_message_cannot_reach_headers(
    contact_page, mail_server, store_submission
):
    enable_auto_reply(contact_page)
    submission = store_submission(
        contact_page,
        name="Eve\r\nBcc: victim@example.org",
        email="eve@example.com",
        topic="Refund\nCc: other@example.org",
        message="<script>alert(1)</script>\x00\r\nSubject: hijacked\r\n\r\nhttp://spam.example",
    )

    recipients = {address for envelope in mail_server.envelopes for address in envelope.rcpt_tos}
    assert recipients == {*TEAM, "eve@example.com"}
    team = mail_server.to("team@klarsicht.example")[0]
    assert team["Bcc"] is None and team["Cc"] is None
    assert "\n" not in team["Subject"] and "\n" not in team["Reply-To"]
    assert team["Subject"].strip().startswith("[Refund Cc: other@example.org] Contact #HC-")
    assert team["Reply-To"] == '"Eve Bcc: victim@example.org" <eve@example.com>'
    body = team.get_content()
    assert "> <script>alert(1)</script>\n> Subject: hijacked\n>\n> http://spam.example" in body
    assert "\x00" not in body

    reply = mail_server.to("eve@example.com")[0].get_content()
    assert reply.startswith("Hello Eve,")
    for echoed in ("victim", "script", "hijacked", "spam.example", "Refund"):
        assert echoed not in reply
    assert team_notification(submission).status == OutgoingMail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_hostile_address_gets_no_reply_to_and_no_auto_reply(
    contact_page, mail_server, store_submission
):
    enable_auto_reply(contact_page)
    submission = store_submission(contact_page, email="eve@example.com\r\nBcc: victim@example.org")

    assert mail_server.to("victim@example.org") == []
    team = mail_server.to("team@klarsicht.example")[0]
    assert team["Reply-To"] is None
    assert auto_reply(submission).status == OutgoingMail.Status.SKIPPED


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Ann Example", "Ann"),
        ("Anna-Lena Müller", "Anna-Lena"),
        ("O'Brien", "O'Brien"),
        ("www.cheap-pills.example", ""),
        ("http://spam.example", ""),
        ("<b>Bold</b>", ""),
        ("R2D2", ""),
        ("", ""),
        ("Pneumonoultramicroscopicsilicovolcanoconiosis", ""),
    ],
)
def test_the_auto_reply_greets_with_one_plain_word_at_most(name, greeting):
    assert notifications.greeting_name(name) == greeting


# Transactions, outages and retries -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_before_the_submission_commits(contact_page, mail_server, store_submission):
    with transaction.atomic():
        submission = store_submission(contact_page)
        assert mail_server.envelopes == []
        assert team_notification(submission).status == OutgoingMail.Status.PENDING

    assert len(mail_server.to("team@klarsicht.example")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_submission_sends_nothing(contact_page, mail_server, store_submission):
    with pytest.raises(RuntimeError), transaction.atomic():
        store_submission(contact_page)
        raise RuntimeError("the request failed later")

    assert mail_server.envelopes == []
    assert not Submission.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_then_back_delivers_exactly_once(
    contact_page, mail_server, store_submission, capsys
):
    mail_server.stop()
    submission = store_submission(contact_page)

    notification = team_notification(submission)
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert notification.status == OutgoingMail.Status.PENDING
    assert notification.attempts == 1
    assert "Connection refused" in notification.last_error or "Errno" in notification.last_error
    wait = notification.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)

    mail_server.start()
    call_command("send_contact_notifications")  # not due yet: nothing is attempted
    assert mail_server.envelopes == []
    assert "Sent 0" in capsys.readouterr().out

    OutgoingMail.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("send_contact_notifications")
    call_command("send_contact_notifications")
    assert len(mail_server.to("team@klarsicht.example")) == 1
    out = capsys.readouterr().out
    assert "Sent 1 mail.\n" in out and "Still pending: 0; failed: 0." in out
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")


@pytest.mark.django_db(transaction=True)
def test_retries_back_off_exponentially_and_fail_after_the_last_attempt(
    contact_page, mail_server, store_submission, settings
):
    settings.HELPCENTER_CONTACT_NOTIFICATION_MAX_ATTEMPTS = 3
    settings.HELPCENTER_CONTACT_NOTIFICATION_RETRY_BACKOFF_SECONDS = 10
    mail_server.stop()
    submission = store_submission(contact_page)
    notification = team_notification(submission)
    waits = [notification.next_attempt_at - timezone.now()]

    for _attempt in range(2):
        notification = team_notification(submission)
        before = timezone.now()
        outbox.deliver(notification, force=True)
        notification.refresh_from_db()
        if notification.next_attempt_at:
            waits.append(notification.next_attempt_at - before)

    assert notification.status == OutgoingMail.Status.FAILED
    assert notification.attempts == 3 and notification.next_attempt_at is None
    assert [round(w.total_seconds() / 10) * 10 for w in waits] == [10, 20]
    assert outbox.can_resend(notification)

    mail_server.start()
    call_command("send_contact_notifications", "--failed")
    notification.refresh_from_db()
    assert notification.status == OutgoingMail.Status.SENT
    assert len(mail_server.to("team@klarsicht.example")) == 1


@pytest.mark.django_db(transaction=True)
def test_resend_sends_a_failed_notification_again(contact_page, mail_server, store_submission):
    mail_server.stop()
    submission = store_submission(contact_page)
    OutgoingMail.objects.filter(submission=submission).update(status=OutgoingMail.Status.FAILED)
    mail_server.start()

    outbox.resend(team_notification(submission))

    assert team_notification(submission).status == OutgoingMail.Status.SENT
    assert len(mail_server.to("team@klarsicht.example")) == 1


def deliveries():
    """The delivery tasks the (dummy) task backend holds."""
    return [
        result
        for result in deliver_mail.get_backend().results
        if result.task.func is deliver_mail.func
    ]


@pytest.mark.django_db(transaction=True)
def test_a_deferring_task_backend_gets_the_retry_for_its_time(
    contact_page, mail_server, store_submission, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mail_server.stop()
    submission = store_submission(contact_page)  # enqueued, not run: the dummy backend waits
    notification = team_notification(submission)
    assert [result.args for result in deliveries()] == [[notification.pk]]
    assert notification.attempts == 0

    assert deliver_mail.call(notification.pk) == "pending"

    notification.refresh_from_db()
    assert len(deliveries()) == 2
    retry = deliveries()[-1]
    assert retry.args == [notification.pk]
    assert retry.task.run_after == notification.next_attempt_at
    assert deliver_mail.call(notification.pk) == "pending"  # not due yet: no attempt
    notification.refresh_from_db()
    assert notification.attempts == 1 and len(deliveries()) == 2


@pytest.mark.django_db(transaction=True)
def test_atomic_requests_form_post_sends_after_commit(
    client, contact_page, mail_server, settings, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 0
    form = client.get(contact_page.url)
    token = re.search(r'name="token" value="([^"]+)"', form.content.decode()).group(1)
    data = {
        "message": "My parcel never arrived, the tracking says nothing at all.",
        "name": "Ann Example",
        "email": "ann@example.com",
        "token": token,
        "action": "send",
    }

    mail_server.stop()
    response = client.post(contact_page.url, data)

    assert response.status_code == 302, response.content[:500]
    submission = Submission.objects.get()
    assert team_notification(submission).status == OutgoingMail.Status.PENDING
    assert team_notification(submission).last_error

    mail_server.start()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    call_command("send_contact_notifications")
    assert len(mail_server.to("team@klarsicht.example")) == 1
    assert team_notification(submission).status == OutgoingMail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_atomic_requests_form_post_with_server_up_sends_once(
    client, contact_page, mail_server, settings, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 0
    form = client.get(contact_page.url)
    token = re.search(r'name="token" value="([^"]+)"', form.content.decode()).group(1)

    response = client.post(
        contact_page.url,
        {
            "message": "Can I change the lenses of my glasses later on?",
            "name": "Bo",
            "email": "bo@example.com",
            "token": token,
            "action": "send",
        },
    )

    assert response.status_code == 302
    assert len(mail_server.to("team@klarsicht.example")) == 1
    assert team_notification(Submission.objects.get()).status == OutgoingMail.Status.SENT
