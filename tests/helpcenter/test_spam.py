"""The shared spam signals one by one: render token, nonce, links, honeypot, repeats, limits."""

import time

import pytest
from django.core import signing
from django.test import RequestFactory

from helpcenter import spam


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
    settings.HELPCENTER_SPAM_MIN_FILL_SECONDS = 3
    assert spam.check_token(spam.issue_token()).state is spam.TokenState.TOO_FAST
    assert spam.check_token(spam.issue_token(time.time() - 4)).state is spam.TokenState.VALID


def test_a_form_shown_too_long_ago_has_expired(settings):
    settings.HELPCENTER_SPAM_FORM_MAX_AGE_SECONDS = 3600
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


def test_more_links_than_the_limit_are_too_many():
    assert not spam.too_many_links("https://a.example https://b.example", 2)
    assert spam.too_many_links("https://a.example https://b.example www.c.example", 2)


@pytest.mark.parametrize(("value", "filled"), [("", False), ("   ", False), ("x", True)])
def test_the_honeypot_counts_as_filled_with_any_text(value, filled):
    assert spam.honeypot_filled(value) is filled


def test_messages_are_the_same_regardless_of_case_and_whitespace():
    assert spam.fingerprint("ann@example.com", "Where is\n my  parcel?") == spam.fingerprint(
        "ann@example.com", "where is my parcel?"
    )
    assert spam.fingerprint("ann@example.com", "Where is my parcel?") != spam.fingerprint(
        "bob@example.com", "Where is my parcel?"
    )


def test_a_text_repeats_an_earlier_one_whatever_its_case_and_spacing():
    earlier = ["Where is my parcel?", "Thanks!"]
    assert spam.repeats("where is   MY parcel?\n", earlier)
    assert not spam.repeats("Where is my other parcel?", earlier)
    assert not spam.repeats("Thanks!", [])


def test_the_former_contact_form_setting_names_are_still_read(settings):
    settings.HELPCENTER_CONTACT_MIN_FILL_SECONDS = 10
    settings.HELPCENTER_CONTACT_FORM_MAX_AGE_SECONDS = 20
    assert spam.check_token(spam.issue_token(time.time() - 5)).state is spam.TokenState.TOO_FAST
    assert spam.check_token(spam.issue_token(time.time() - 25)).state is spam.TokenState.EXPIRED
    settings.HELPCENTER_SPAM_MIN_FILL_SECONDS = 1  # the new name wins
    assert spam.check_token(spam.issue_token(time.time() - 5)).state is spam.TokenState.VALID


def test_a_filled_token_is_not_too_fast(settings):
    settings.HELPCENTER_SPAM_MIN_FILL_SECONDS = 30
    assert spam.check_token(spam.issue_filled_token()).state is spam.TokenState.VALID


def test_rate_limits_count_per_member_and_per_address_apart(django_user_model):
    ann = django_user_model(pk=7001, username="ann-limit")
    bob = django_user_model(pk=7002, username="bob-limit")
    assert spam.member_allowed("test-post", ann, 1, 60)
    assert not spam.member_allowed("test-post", ann, 1, 60)
    assert spam.member_allowed("test-post", bob, 1, 60)
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="192.0.2.1")
    second = factory.post("/", REMOTE_ADDR="192.0.2.2")
    assert spam.address_allowed("test-send", first, 2, 60)
    assert spam.address_allowed("test-send", first, 2, 60)
    assert not spam.address_allowed("test-send", first, 2, 60)
    assert spam.address_allowed("test-send", second, 2, 60)
