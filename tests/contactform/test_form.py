"""The contact form on its own: fields, cleaning, limits and the spam verdicts it reaches."""

import pytest

from contactform.forms import ContactForm
from helpcenter.spam import SpamReason, TokenState, check_token

pytestmark = pytest.mark.django_db


def test_the_message_comes_first_and_nothing_else_is_asked_by_default(contact_page):
    form = ContactForm(contact_page)
    visible = [field.name for field in form.visible_fields()]
    assert visible == ["message", "name", "email", "website"]  # website: the honeypot
    assert form.fields["message"].widget.attrs["autofocus"]
    assert "topic" not in form.fields


def test_a_topic_choice_appears_only_when_the_page_has_topics(contact_page, form_data):
    contact_page.topics = "Orders\n\nReturns \n"
    form = ContactForm(contact_page, form_data(topic="Returns"))
    assert [f.name for f in form.visible_fields()][:4] == ["message", "name", "email", "topic"]
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topic"] == "Returns"
    assert ContactForm(contact_page, form_data(topic="")).is_valid()
    other = ContactForm(contact_page, form_data(topic="Anything else"))
    assert not other.is_valid() and "topic" in other.errors


def test_the_honeypot_is_hidden_from_people_keyboards_and_autofill(contact_page):
    html = str(ContactForm(contact_page)["website"])
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html


def test_a_valid_form_is_no_spam(contact_page, form_data):
    form = ContactForm(contact_page, form_data())
    assert form.is_valid(), form.errors
    assert form.spam_reason == ""
    assert form.cleaned_data["message"].startswith("My order KS-1048273")


def test_nul_bytes_and_control_characters_are_removed(contact_page, form_data):
    form = ContactForm(contact_page, form_data(
        message="Where\x00 is my\x1b[31m parcel?\r\nIt is late.\x07", name="Ann\x00 Example",
        email="ann@example.com\x00",
    ))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["message"] == "Where is my[31m parcel?\nIt is late."
    assert form.cleaned_data["name"] == "Ann Example"
    assert form.cleaned_data["email"] == "ann@example.com"


@pytest.mark.parametrize("name", ["Ann\r\nBcc: victim@example.com", "Ann\nExample", "Ann\u2028X"])
def test_a_line_break_in_the_name_is_refused_clearly(contact_page, form_data, name):
    form = ContactForm(contact_page, form_data(name=name))
    assert not form.is_valid()
    assert form.errors["name"] == ["Please enter your name on one line."]


@pytest.mark.parametrize(
    "email", ["ann@example.com\r\nBcc: victim@example.com", "ann@example.com\nCc: x@example.com"]
)
def test_a_line_break_in_the_email_is_refused_clearly(contact_page, form_data, email):
    form = ContactForm(contact_page, form_data(email=email))
    assert not form.is_valid()
    assert form.errors["email"] == ["Please enter one e-mail address, on one line."]


def test_surrounding_space_and_a_trailing_line_break_are_just_trimmed(contact_page, form_data):
    form = ContactForm(contact_page, form_data(name="  Ann Example\n", email=" ann@example.com "))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["name"], form.cleaned_data["email"]) == (
        "Ann Example", "ann@example.com"
    )


def test_a_web_address_as_name_is_refused(contact_page, form_data):
    form = ContactForm(contact_page, form_data(name="Cheap pills https://spam.example"))
    assert not form.is_valid() and "name" in form.errors


def test_a_huge_message_is_refused_with_its_real_length_and_not_echoed_in_full(
    contact_page, form_data, settings
):
    settings.HELPCENTER_CONTACT_MESSAGE_MAX_LENGTH = 5000
    form = ContactForm(contact_page, form_data(message="x" * 200_000))
    assert not form.is_valid()
    assert form.errors["message"] == [
        "Please shorten your message to 5000 characters (it has 200000)."
    ]
    assert len(form.data["message"]) < 10_000


def test_a_message_at_the_limit_is_fine(contact_page, form_data, settings):
    settings.HELPCENTER_CONTACT_MESSAGE_MAX_LENGTH = 100
    assert ContactForm(contact_page, form_data(message="y" * 100)).is_valid()
    assert not ContactForm(contact_page, form_data(message="y" * 101)).is_valid()


def test_too_many_links_are_refused_with_a_clear_message(contact_page, form_data, settings):
    settings.HELPCENTER_CONTACT_MAX_LINKS = 2
    form = ContactForm(contact_page, form_data(message="a https://a.example b https://b.example"))
    assert form.is_valid(), form.errors
    form = ContactForm(contact_page, form_data(
        message="https://a.example https://b.example https://c.example"
    ))
    assert not form.is_valid()
    assert "at most 2 links (your message has 3)" in form.errors["message"][0]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"website": "http://spam.example"}, SpamReason.HONEYPOT),
        ({"token": ""}, SpamReason.NO_TOKEN),
        ({"token": "made-up:token"}, SpamReason.BAD_TOKEN),
        ({"website": "x", "shown_seconds_ago": 0}, SpamReason.HONEYPOT),
    ],
)
def test_spam_signals_give_a_reason_but_no_error(contact_page, form_data, changes, reason):
    form = ContactForm(contact_page, form_data(**changes))
    assert form.is_valid(), form.errors
    assert form.spam_reason == reason


def test_an_expired_form_asks_to_send_again_and_keeps_the_text(contact_page, form_data, settings):
    settings.HELPCENTER_CONTACT_FORM_MAX_AGE_SECONDS = 600
    form = ContactForm(contact_page, form_data(shown_seconds_ago=601))
    assert not form.is_valid() and form.needs_new_token
    assert form.token.state is TokenState.EXPIRED
    assert "send it again" in form.non_field_errors()[0]
    old_token = form.data["token"]
    form.renew_token()
    assert form.data["token"] != old_token
    assert form.data["message"].startswith("My order KS-1048273")
    assert form["message"].value().startswith("My order KS-1048273")


def test_a_form_sent_too_fast_asks_to_confirm_and_keeps_the_text(contact_page, form_data):
    form = ContactForm(contact_page, form_data(shown_seconds_ago=0))
    assert not form.is_valid()
    assert form.spam_reason == "" and form.needs_new_token
    assert form.token.state is TokenState.TOO_FAST
    assert form.non_field_errors() == [
        "To be sure that a person is writing, please check your message and press "
        "“Send message” once more."
    ]
    form.renew_token()
    again = ContactForm(contact_page, form.data)
    assert again.is_valid(), again.errors
    assert again.spam_reason == ""
    assert again.cleaned_data["message"].startswith("My order KS-1048273")


def test_a_renewed_token_can_be_sent_at_once_without_counting_as_too_fast(
    contact_page, form_data
):
    form = ContactForm(contact_page, form_data())
    form.is_valid()
    form.renew_token()
    assert check_token(form.data["token"]).state.value == "valid"


@pytest.mark.parametrize(
    ("opened", "ids"),
    [("", []), ("3,5", [3, 5]), ("5, 5,x,-1,7.0,²", [5]), (",".join(["9"] * 50), [9])],
)
def test_opened_answers_are_read_as_page_ids(contact_page, form_data, opened, ids):
    form = ContactForm(contact_page, form_data(opened=opened))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opened"] == ids
