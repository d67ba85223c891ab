"""The spam signals one by one: render token, nonce, links, honeypot, duplicates."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from contactform import spam
from contactform.models import Contact, Submission


def test_a_token_shown_a_while_ago_is_valid_and_carries_a_nonce():
    check = spam.check_token(spam.issue_token(time.time() - 60))
    assert check.state is spam.TokenState.VALID
    assert check.nonce and 59 < check.age < 70


def test_every_token_has_its_own_nonce():
    shown = time.time() - 60
    assert spam.check_token(spam.issue_token(shown)).nonce != spam.check_token(
        spam.issue_token(shown)
    ).nonce


def test_a_form_sent_faster_than_a_person_types_is_too_fast(settings):
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 3
    assert spam.check_token(spam.issue_token()).state is spam.TokenState.TOO_FAST
    assert spam.check_token(spam.issue_token(time.time() - 4)).state is spam.TokenState.VALID


def test_a_form_shown_too_long_ago_has_expired(settings):
    settings.HELPCENTER_CONTACT_FORM_MAX_AGE_SECONDS = 3600
    assert spam.check_token(spam.issue_token(time.time() - 3601)).state is spam.TokenState.EXPIRED
    assert spam.check_token(spam.issue_token(time.time() - 3500)).state is spam.TokenState.VALID


@pytest.mark.parametrize("token", ["", None])
def test_no_token_is_missing(token):
    assert spam.check_token(token).state is spam.TokenState.MISSING


def test_a_changed_or_foreign_token_is_forged():
    token = spam.issue_token(time.time() - 60)
    earlier = token.replace(token.split(":")[0], signing.b64_encode(b'{"t":1,"n":"x"}').decode())
    assert spam.check_token(earlier).state is spam.TokenState.FORGED
    other_salt = signing.dumps({"t": time.time() - 60, "n": "abc"}, salt="something else")
    assert spam.check_token(other_salt).state is spam.TokenState.FORGED
    no_time = signing.dumps({"n": "abc"}, salt=spam.TOKEN_SALT)
    assert spam.check_token(no_time).state is spam.TokenState.FORGED
    assert spam.check_token("not a token at all").state is spam.TokenState.FORGED


def test_a_nonce_is_used_once_and_remembers_for_which_message():
    assert spam.use_nonce("n1", "message-a") is None
    assert spam.use_nonce("n1", "message-b") == "message-a"
    assert spam.use_nonce("n2", "message-b") is None
    spam.release_nonce("n1")
    assert spam.use_nonce("n1", "message-c") is None


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("My order has not arrived.", 0),
        ("See https://example.com and http://example.org/a?b=c", 2),
        ("visit www.cheap-pills.example now", 1),
        ("[url=http://spam.example]pills[/url]", 2),
        ('<a href="http://spam.example">x</a> <A HREF=x>y</A>', 3),
        ("HTTPS://SHOUT.EXAMPLE", 1),
        ("an e-mail is not a link: ann@example.com", 0),
    ],
)
def test_links_are_counted_in_every_usual_spelling(text, links):
    assert spam.count_links(text) == links


def test_more_links_than_the_setting_are_too_many(settings):
    settings.HELPCENTER_CONTACT_MAX_LINKS = 2
    assert not spam.has_too_many_links("https://a.example https://b.example")
    assert spam.has_too_many_links("https://a.example https://b.example www.c.example")


@pytest.mark.parametrize(("value", "filled"), [("", False), ("   ", False), ("x", True)])
def test_the_honeypot_counts_as_filled_with_any_text(value, filled):
    assert spam.honeypot_filled(value) is filled


def test_messages_are_the_same_regardless_of_case_and_whitespace():
    assert spam.fingerprint("Ann@Example.com ", "Where is\n my  parcel?") == spam.fingerprint(
        "ann@example.com", "where is my parcel?"
    )
    assert spam.fingerprint("ann@example.com", "Where is my parcel?") != spam.fingerprint(
        "bob@example.com", "Where is my parcel?"
    )


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
    assert spam.is_duplicate("ANN@example.com", "where is   my parcel?")
    assert not spam.is_duplicate("bob@example.com", "Where is my parcel?")
    assert not spam.is_duplicate("ann@example.com", "Where is my other parcel?")


@pytest.mark.django_db
def test_an_old_message_is_no_duplicate(settings):
    settings.HELPCENTER_CONTACT_DUPLICATE_WINDOW_HOURS = 24
    _submission("ann@example.com", "Where is my parcel?", age=timedelta(hours=25))
    assert not spam.is_duplicate("ann@example.com", "Where is my parcel?")


@pytest.mark.django_db
def test_spam_does_not_hide_a_genuine_message_but_repeated_spam_is_a_duplicate():
    _submission("ann@example.com", "Where is my parcel?", status=Submission.Status.SPAM)
    assert not spam.is_duplicate("ann@example.com", "Where is my parcel?")
    assert spam.is_duplicate("ann@example.com", "Where is my parcel?", spam=True)
