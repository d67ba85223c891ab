"""The forum's e-mails through the shared outbox and a real SMTP server on loopback: who gets
them, in which language, with what, once per post, and the one-click unsubscribe headers."""

import re

import pytest
from django.test import Client

from community import posting, subscriptions
from community.models import MemberProfile, Subscription
from helpcenter.models import OutgoingMail

from .test_posting import XSS_PAYLOADS

MAIL_TAGS = {"html", "head", "meta", "title", "body", "p", "blockquote", "br", "a", "hr",
             "strong"}


def foreign_markup(html: str) -> list[str]:
    """Tags the mail template does not write, event handlers, and links that are not http(s)."""
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in MAIL_TAGS:
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or name in ("src", "srcdoc"):
                    found.append(name)
                if name == "href" and not (value or "").startswith(("http://", "https://")):
                    found.append(value)

    Collector().feed(html)
    return found

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what happens after commit (the outbox's delivery task), as outside a test."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def body(message, subtype="plain"):
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_a_reply_mails_the_asker_with_text_link_and_unsubscribe(forum, thread, asker, answerer,
                                                                 mail_server, sent):
    with sent():
        post = posting.reply(thread, answerer, "Ask the optician for **softer** pads.")
    assert mail_server.to(answerer.email) == []  # never the author
    [message] = mail_server.to(asker.email)
    assert message["Subject"] == f"New reply: {thread.title}"
    text = body(message)
    assert "Hello Anna K.," in text
    assert 'Ben O. replied to "My nose pads press after a week":' in text
    assert "Ask the optician for softer pads." in text
    assert f"{forum.url}{thread.url_part}#post-{post.pk}" in text
    unsubscribe = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in body(message, "html")
    assert OutgoingMail.objects.get(kind="community.reply").status == "sent"

    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(
        "/" + path, "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not subscriptions.follows(asker, thread)
    with sent():
        posting.reply(thread, answerer, "Or try titanium pads.")
    assert len(mail_server.to(asker.email)) == 1  # nothing more after unsubscribing


def test_the_mail_speaks_the_members_language(thread, asker, answerer, mail_server, sent,
                                              locale_de):
    MemberProfile.objects.filter(user=asker).update(language="de")
    with sent():
        posting.reply(thread, answerer, "Die Stege beim Optiker tauschen lassen.")
    [message] = mail_server.to(asker.email)
    assert message["Subject"] == f"Neue Antwort: {thread.title}"
    assert "Ben O. hat auf „My nose pads press after a week“ geantwortet:" in body(message)
    assert "/de/community-mail/unsubscribe/" in message["List-Unsubscribe"]


def test_one_post_mails_one_member_once_even_when_followed_and_mentioned(
        thread, board, asker, answerer, mail_server, sent):
    subscriptions.follow_board(asker, board, Subscription.Level.EVERYTHING)
    with sent():
        posting.reply(thread, answerer, "@Anna K. this is for you.")
        posting.reply(thread, answerer, "@Anna K. this is for you.")  # a double submit
    [message] = mail_server.to(asker.email)
    assert message["Subject"] == f"Ben O. mentioned you: {thread.title}"
    assert OutgoingMail.objects.filter(recipients=asker.email).count() == 1


def test_a_mention_reaches_a_member_who_does_not_follow(thread, asker, answerer, make_member,
                                                        mail_server, sent):
    optician = make_member("Olga the Optician")
    with sent():
        posting.reply(thread, answerer, "Maybe @Olga the Optician knows?")
    [message] = mail_server.to(optician.email)
    assert "Olga the Optician" in body(message)
    assert "mentioned you" in body(message)


def test_accepting_mails_the_answers_author_and_followers_not_the_asker(
        thread, asker, answerer, make_member, mail_server, sent):
    follower = make_member("Fritz F.")
    subscriptions.follow_thread(follower, thread)
    with sent():
        post = posting.reply(thread, answerer, "Have the pads adjusted.")
    mail_server.envelopes.clear()
    with sent():
        posting.accept(post, asker)
        posting.accept(post, asker)  # unmarked
        posting.accept(post, asker)  # and marked again: no second mail
    assert mail_server.to(asker.email) == []
    [own] = mail_server.to(answerer.email)
    assert own["Subject"] == f"Your answer was accepted: {thread.title}"
    [other] = mail_server.to(follower.email)
    assert other["Subject"] == f"Solved: {thread.title}"
    assert "Have the pads adjusted." in body(other)


def test_a_new_thread_mails_the_boards_followers(board, asker, answerer, mail_server, sent):
    subscriptions.follow_board(answerer, board, Subscription.Level.NEW_THREADS)
    with sent():
        thread = posting.start_thread(board, asker, "Temples too tight", "They press.")
        posting.reply(thread, asker, "Still pressing.")  # not a new thread: no mail
    [message] = mail_server.to(answerer.email)
    assert message["Subject"] == "New thread: Temples too tight"
    assert "Frames & fit" in body(message)


def test_a_post_removed_before_sending_is_skipped(thread, asker, answerer, mail_server,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        post = posting.reply(thread, answerer, "Oops, wrong thread.")
        posting.delete_post(post, answerer)
    for callback in callbacks:
        callback()
    assert mail_server.to(asker.email) == []
    assert OutgoingMail.objects.get(kind="community.reply").status == "skipped"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_in_names_and_titles_stay_text_in_the_html_mail(board, asker, make_member,
                                                                  mail_server, sent, payload):
    writer = make_member(f"Eve {payload}"[:40])
    subscriptions.follow_board(asker, board, Subscription.Level.NEW_THREADS)
    with sent():
        posting.start_thread(board, writer, f"Title {payload}", f"Text {payload}")
    [message] = mail_server.to(asker.email)
    html = body(message, "html")
    assert foreign_markup(html) == [], html
    assert "Eve " in html and "Title " in html  # the text is there, escaped
    assert payload in body(message)  # plain text needs no escaping
    assert "\n" not in message["Subject"]


def test_muted_posting_mails_nobody(thread, asker, answerer, mail_server, sent):
    from community import notifications

    with sent(), notifications.muted():
        posting.accept(posting.reply(thread, answerer, "Have the pads adjusted."), asker)
    assert not OutgoingMail.objects.exists() and mail_server.envelopes == []
    assert subscriptions.follows(answerer, thread)  # following still works


def test_unsubscribing_before_the_mail_goes_out_skips_it(thread, asker, answerer, mail_server,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        posting.reply(thread, answerer, "Have the pads adjusted.")
    subscriptions.unfollow(asker, thread=thread)
    for callback in callbacks:
        callback()
    assert mail_server.to(asker.email) == []
    mail = OutgoingMail.objects.get(kind="community.reply")
    assert (mail.status, mail.last_error) == ("skipped", "The member unsubscribed.")
