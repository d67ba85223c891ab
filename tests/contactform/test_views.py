"""The contact page over HTTP: sending, the no-JavaScript step, deflections, abuse and limits."""

import html as html_lib
import re
import time

import pytest
from django.core import mail
from django.test import Client

from contactform import notifications
from contactform.models import Contact, ContactPage, Deflection, Submission
from helpcenter.models import HelpCenterPage, OutgoingMail
from helpcenter.spam import issue_token
from helpcenter.visitors import pseudonym
from search.models import QueryDailyHits
from tests.search import conftest as search_fixtures

from .conftest import BROWSER

committed = search_fixtures.committed
indexed = search_fixtures.indexed  # English and German articles, indexed

pytestmark = pytest.mark.django_db

NOSE_PADS = "The nose pads of my glasses are worn out. How do I replace the nose pads?"


def thanks_url(page):
    return page.url + page.reverse_subpage("thanks")


def deflect_url(page):
    return page.url + page.reverse_subpage("deflect")


def answer_url(page):
    return page.url + page.reverse_subpage("answer")


def hidden_value(html, name):
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return match and match.group(1)


def step_fields(html):
    """The hidden fields "Send anyway" posts, as the browser would send them."""
    import html as html_lib

    form = html.split('name="action" value="send"')[0].rsplit("<form", 1)[1]
    return {
        name: html_lib.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
        if name != "csrfmiddlewaretoken"
    }


# The page --------------------------------------------------------------------------------------


def test_the_page_shows_the_form_message_first_with_a_privacy_notice(customer, contact_page):
    contact_page.privacy_url = "https://klarsicht.example/privacy"
    contact_page.save_revision().publish()
    response = customer.get(contact_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('name="message"') < html.index('name="name"') < html.index('name="email"')
    assert 'name="topic"' not in html
    assert 'type="checkbox"' not in html
    assert "How we use your details" in html
    assert 'href="https://klarsicht.example/privacy"' in html
    assert "delete them 365 days after" in html
    assert re.search(r'<div class="hc-contact-form__trap" aria-hidden="true">', html)
    assert hidden_value(html, "token")
    assert "contactform/contactform.js" in html and 'id="hc-contact-strings"' in html


def test_the_help_center_links_to_a_live_contact_page(customer, help_center, contact_page):
    help_center.contact_page = contact_page
    help_center.save_revision().publish()
    html = customer.get(help_center.url).content.decode()
    assert f'href="{contact_page.url}"' in html and "Still need help?" in html


def test_business_hours_are_shown(customer, contact_page):
    contact_page.business_hours = [
        {"type": "hours", "value": {"days": ["0", "1", "2", "3", "4"], "opens": "09:00",
                                    "closes": "17:00"}},
        {"type": "hours", "value": {"days": ["5"], "opens": "10:00", "closes": "14:00"}},
    ]
    contact_page.save_revision().publish()
    html = customer.get(contact_page.url).content.decode()
    assert "Monday – Friday, 9 a.m. – 5 p.m." in html
    assert "Saturday, 10 a.m. – 2 p.m." in html


def test_other_methods_are_not_allowed(customer, contact_page):
    assert customer.put(contact_page.url).status_code == 405


# Sending ---------------------------------------------------------------------------------------


def test_a_message_is_stored_with_everything_the_team_needs(
    customer, contact_page, form_data, committed
):
    with committed():
        response = customer.post(contact_page.url, form_data(
            email="Ann@Example.COM", suggestions_seen="1"
        ), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response.url == thanks_url(contact_page)
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.NEW and submission.spam_reason == ""
    assert submission.page.pk == contact_page.pk and submission.page_title == "Contact us"
    assert submission.locale == "en"
    assert submission.email == "Ann@Example.COM"
    assert submission.contact == Contact.objects.get(email="ann@example.com")
    assert submission.ip_hash == pseudonym("203.0.113.9") and "203.0.113.9" not in str(
        Submission.objects.values().get()
    )
    assert submission.user_agent == BROWSER
    assert submission.suggested_answers == [] and submission.confidence is None
    team = OutgoingMail.objects.get(submission=submission, kind=notifications.TEAM)
    assert team.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


def test_the_thank_you_page_shows_the_editors_text(customer, contact_page, form_data):
    contact_page.thank_you_text = "<p>We answer within <b>two days</b>.</p>"
    contact_page.save_revision().publish()
    response = customer.post(contact_page.url, form_data(suggestions_seen="1"), follow=True)
    html = response.content.decode()
    assert "Thank you, your message has been sent" in html
    assert "We answer within <b>two days</b>." in html


def test_the_thank_you_page_shows_the_reference_number(customer, contact_page, form_data):
    response = customer.post(contact_page.url, form_data(suggestions_seen="1"), follow=True)

    reference = Submission.objects.get().reference
    assert reference.startswith("#HC-")
    assert f"Your reference number is <strong>{reference}</strong>" in response.content.decode()


def test_spam_sees_no_reference_number(customer, contact_page, form_data):
    response = customer.post(
        contact_page.url, form_data(suggestions_seen="1", website="http://spam"), follow=True
    )

    assert Submission.objects.get().status == Submission.Status.SPAM
    assert "Thank you, your message has been sent" in response.content.decode()
    assert "reference number" not in response.content.decode()


def test_the_thank_you_page_opened_directly_leads_to_the_form(customer, contact_page):
    response = customer.get(thanks_url(contact_page))
    assert response.status_code == 302 and response.url == contact_page.url
    assert not Submission.objects.exists()


def test_a_long_user_agent_is_cut(customer, contact_page, form_data):
    customer.post(contact_page.url, form_data(suggestions_seen="1"),
                  HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 1000)
    assert len(Submission.objects.get().user_agent) == 255


def test_the_topic_is_stored(customer, contact_page, form_data):
    contact_page.topics = "Orders\nReturns"
    contact_page.save_revision().publish()
    assert 'name="topic"' in customer.get(contact_page.url).content.decode()
    customer.post(contact_page.url, form_data(topic="Returns", suggestions_seen="1"))
    assert Submission.objects.get().topic == "Returns"


def test_with_javascript_the_message_is_sent_at_once_with_its_suggestions(
    customer, contact_page, form_data, indexed
):
    article = indexed["How do I replace the nose pads?"]
    other = indexed["Where is my parcel?"]
    response = customer.post(contact_page.url, form_data(
        message=NOSE_PADS, suggestions_seen="1", opened=f"{article.pk},{other.pk},abc,99999"
    ))
    assert response.status_code == 302
    submission = Submission.objects.get()
    ids = [answer["id"] for answer in submission.suggested_answers]
    assert ids[0] == article.pk and len(ids) <= 3
    first = submission.suggested_answers[0]
    assert first["title"] == article.title
    assert first["url"] == article.get_full_url()  # the Site's address, as in every mail
    assert 0 < first["confidence"] <= 1 and submission.confidence == first["confidence"]
    assert submission.opened_answers == [pk for pk in (article.pk, other.pk) if pk in ids]
    assert article.pk in submission.opened_answers and 99999 not in submission.opened_answers
    logged = QueryDailyHits.objects.get(source="contact")
    assert logged.hits == 1 and logged.results == len(ids)


def test_every_accepted_message_is_stored(customer, contact_page, form_data):
    for number in range(4):
        response = customer.post(contact_page.url, form_data(
            message=f"Question number {number}: where is my parcel?", suggestions_seen="1"
        ))
        assert response.status_code == 302
    assert Submission.objects.filter(status=Submission.Status.NEW).count() == 4
    assert Contact.objects.count() == 1


# Without JavaScript ----------------------------------------------------------------------------


def test_without_javascript_a_message_without_suggestions_is_sent_at_once(
    customer, contact_page, form_data
):
    response = customer.post(contact_page.url, form_data(message="Hello, who are you?"))
    assert response.status_code == 302
    assert Submission.objects.count() == 1
    assert QueryDailyHits.objects.get(source="contact").zero_result_hits == 1


def test_without_javascript_suggestions_come_first_and_send_anyway_sends_once(
    customer, contact_page, form_data, indexed
):
    article = indexed["How do I replace the nose pads?"]
    data = form_data(message=NOSE_PADS + "\nSecond line <b>bold</b> & more", name='Ann "A" Ex')
    step = customer.post(contact_page.url, data)
    assert step.status_code == 200
    html = step.content.decode()
    assert "Before you send: these answers might help" in html
    assert f'<a href="{article.url}">How do I replace the nose pads?</a>' in html
    assert "Send anyway" in html and "This solved it" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html and "<b>bold</b>" not in html
    assert not Submission.objects.exists()

    carried = step_fields(html)
    assert carried["message"].replace("\r\n", "\n") == data["message"]
    assert carried["name"] == 'Ann "A" Ex' and carried["token"] == data["token"]
    response = customer.post(contact_page.url, {**carried, "action": "send"})
    assert response.status_code == 302 and response.url == thanks_url(contact_page)
    submission = Submission.objects.get()
    assert submission.message == data["message"] and submission.name == 'Ann "A" Ex'
    assert submission.suggested_answers[0]["id"] == article.pk
    assert QueryDailyHits.objects.get(source="contact").hits == 1  # logged once, not twice

    again = customer.post(contact_page.url, {**carried, "action": "send"})
    assert again.status_code == 302 and Submission.objects.count() == 1


def test_without_javascript_this_solved_it_records_a_deflection_and_stores_nothing(
    customer, contact_page, form_data, indexed
):
    article = indexed["How do I replace the nose pads?"]
    customer.post(contact_page.url, form_data(message=NOSE_PADS))
    response = customer.post(deflect_url(contact_page), {"article": article.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "glad this helped" in html and f'href="{article.url}"' in html
    deflection = Deflection.objects.get()
    assert (deflection.page_id, deflection.article_id) == (contact_page.pk, article.pk)
    assert deflection.article_title == article.title and deflection.locale == "en"
    assert not Submission.objects.exists()


def test_without_javascript_the_message_can_be_changed_before_sending(
    customer, contact_page, form_data, indexed
):
    step = customer.post(contact_page.url, form_data(message=NOSE_PADS))
    carried = step_fields(step.content.decode())
    response = customer.post(contact_page.url, {**carried, "action": "edit"})
    html = response.content.decode()
    assert response.status_code == 200 and "hc-form-errors" not in html
    assert NOSE_PADS in html and 'value="ann@example.com"' in html
    assert hidden_value(html, "token") == carried["token"]
    assert not Submission.objects.exists()


# Deflections and inline answers ----------------------------------------------------------------


def test_this_answers_my_question_records_one_deflection_per_visitor(
    customer, contact_page, indexed
):
    article = indexed["Where is my parcel?"]
    for _ in range(2):
        response = customer.post(deflect_url(contact_page), {"article": article.pk},
                                 HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 200 and response.json()["ok"] is True
    assert Deflection.objects.count() == 1
    Client(HTTP_USER_AGENT=BROWSER).post(deflect_url(contact_page), {"article": article.pk})
    assert Deflection.objects.count() == 2


@pytest.mark.parametrize("article", ["", "abc", "0", "-3", "99999", "9" * 30])
def test_a_deflection_of_no_article_is_refused(customer, contact_page, article):
    response = customer.post(deflect_url(contact_page), {"article": article},
                             HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and "error" in response.json()
    assert customer.post(deflect_url(contact_page), {"article": article}).status_code == 302
    assert not Deflection.objects.exists()


def test_a_deflection_of_a_category_or_unpublished_article_is_refused(
    customer, contact_page, make_article, make_category
):
    draft = make_article("Draft question?", publish=False)
    for page in (draft, make_category("Shipping")):
        response = customer.post(deflect_url(contact_page), {"article": page.pk},
                                 HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 400
    assert not Deflection.objects.exists()


def test_deflections_by_editors_and_bots_are_not_counted(contact_page, make_article, editor):
    article = make_article("Where is my parcel?")
    Client().post(deflect_url(contact_page), {"article": article.pk})  # no User-Agent: a bot
    staff = Client(HTTP_USER_AGENT=BROWSER)
    staff.force_login(editor)
    response = staff.post(deflect_url(contact_page), {"article": article.pk})
    assert response.status_code == 200
    assert not Deflection.objects.exists()


def test_get_on_the_deflection_url_goes_back_to_the_form(customer, contact_page):
    response = customer.get(deflect_url(contact_page))
    assert response.status_code == 302 and response.url == contact_page.url


def test_the_full_answer_is_served_as_a_fragment(customer, contact_page, make_article):
    article = make_article(
        "How do I replace the nose pads?", short_answer="Order a pad set.",
        body=[{"type": "rich_text", "value": "<p>Pull off the <b>old</b> pad.</p>"}],
    )
    response = customer.get(answer_url(contact_page), {"article": article.pk},
                            HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pull off the <b>old</b> pad." in html and "<html" not in html
    assert f'href="{article.url}"' in html


def test_reading_an_answer_inline_counts_one_view_per_visitor(
    customer, contact_page, make_article, admin_client
):
    from faq.models import ArticleStats

    article = make_article()
    for _ in range(2):
        response = customer.get(answer_url(contact_page), {"article": article.pk},
                                HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 200
    assert ArticleStats.objects.get(page_id=article.pk).views == 1
    admin_client.get(answer_url(contact_page), {"article": article.pk},
                     HTTP_X_REQUESTED_WITH="fetch", HTTP_USER_AGENT=BROWSER)
    assert ArticleStats.objects.get(page_id=article.pk).views == 1  # editors are not customers


def test_without_fetch_the_answer_url_opens_the_article(customer, contact_page, make_article):
    article = make_article()
    response = customer.get(answer_url(contact_page), {"article": article.pk})
    assert response.status_code == 302 and response.url == article.url


@pytest.mark.parametrize("value", ["", "x", "-1", "99999", "9" * 30])
def test_an_unknown_answer_is_not_found(customer, contact_page, value):
    response = customer.get(answer_url(contact_page), {"article": value},
                            HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 404


def test_an_unpublished_answer_is_not_found(customer, contact_page, make_article):
    draft = make_article(publish=False)
    response = customer.get(answer_url(contact_page), {"article": draft.pk},
                            HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 404


# Spam ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"website": "https://cheap-pills.example"}, "honeypot"),
        ({"token": ""}, "no-token"),
        ({"token": "forged:token"}, "bad-token"),
    ],
)
def test_spam_is_kept_never_notified_and_the_sender_sees_success(
    customer, contact_page, form_data, committed, changes, reason
):
    with committed():
        response = customer.post(contact_page.url, form_data(**changes))
    assert response.status_code == 302 and response.url == thanks_url(contact_page)
    submission = Submission.objects.get()
    assert (submission.status, submission.spam_reason) == (Submission.Status.SPAM, reason)
    assert not mail.outbox
    assert not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SKIPPED).exists()
    assert not QueryDailyHits.objects.exists()


def test_a_spam_bot_repeating_itself_is_stored_once(customer, contact_page, form_data):
    for _ in range(3):
        customer.post(contact_page.url, form_data(website="x", token=issue_token()))
    assert Submission.objects.count() == 1


def test_too_many_links_are_refused_and_the_text_kept(customer, contact_page, form_data):
    message = "See https://a.example https://b.example https://c.example https://d.example"
    response = customer.post(contact_page.url, form_data(message=message))
    html = response.content.decode()
    assert response.status_code == 200 and "at most 3 links" in html
    assert message in html
    assert not Submission.objects.exists()


# Duplicates and replayed tokens ----------------------------------------------------------------


def test_the_same_message_twice_is_stored_and_sent_once(
    customer, contact_page, form_data, committed
):
    with committed():
        first = customer.post(contact_page.url, form_data(suggestions_seen="1"))
    with committed():
        second = customer.post(contact_page.url, form_data(
            email=" ANN@example.com", message="my order KS-1048273  has not arrived yet.\nWhat "
            "can I do?", suggestions_seen="1",
        ))
    assert first.url == second.url == thanks_url(contact_page)
    assert Submission.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_same_form_sent_twice_is_stored_once(customer, contact_page, form_data):
    data = form_data(suggestions_seen="1")
    for _ in range(2):
        assert customer.post(contact_page.url, data).url == thanks_url(contact_page)
    assert Submission.objects.count() == 1


def test_a_replayed_token_with_another_message_is_refused_and_renewed(
    customer, contact_page, form_data
):
    data = form_data(suggestions_seen="1")
    customer.post(contact_page.url, data)
    replay = {**data, "message": "A completely different message, sent with the same form."}
    response = customer.post(contact_page.url, replay)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already been used to send a different message" in html
    assert "A completely different message" in html
    new_token = hidden_value(html, "token")
    assert new_token and new_token != data["token"]
    assert Submission.objects.count() == 1

    response = customer.post(contact_page.url, {**replay, "token": new_token})
    assert response.status_code == 302
    assert list(Submission.objects.values_list("status", flat=True)) == ["new", "new"]


def test_an_expired_form_keeps_the_text_and_can_be_sent_again(
    customer, contact_page, form_data, settings
):
    settings.HELPCENTER_CONTACT_FORM_MAX_AGE_SECONDS = 600
    data = form_data(shown_seconds_ago=700, suggestions_seen="1")
    response = customer.post(contact_page.url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "open for a long time" in html
    assert data["message"] in html and not Submission.objects.exists()
    response = customer.post(contact_page.url, {**data, "token": hidden_value(html, "token")})
    assert response.status_code == 302
    assert Submission.objects.get().status == Submission.Status.NEW


# Hostile input ---------------------------------------------------------------------------------


def test_html_and_script_are_shown_escaped(customer, contact_page, form_data):
    script = '<script>alert("x")</script>'
    response = customer.post(contact_page.url, form_data(
        message=f"{script} <img src=x onerror=alert(1)>", name=script, email=script
    ))
    html = response.content.decode()
    assert response.status_code == 200
    assert script not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_html_in_a_sent_message_is_stored_as_text(customer, contact_page, form_data):
    message = '<script>alert("x")</script> Where is my parcel?'
    customer.post(contact_page.url, form_data(message=message, name="<b>Ann</b>",
                                              suggestions_seen="1"))
    submission = Submission.objects.get()
    assert (submission.message, submission.name) == (message, "<b>Ann</b>")


def test_a_huge_message_is_refused_kindly(customer, contact_page, form_data):
    response = customer.post(contact_page.url, form_data(message="spam " * 100_000))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please shorten your message to 5000 characters (it has 500000)." in html
    assert len(html) < 60_000
    assert not Submission.objects.exists()


def test_a_request_larger_than_django_accepts_is_a_bad_request(
    customer, contact_page, form_data, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    response = customer.post(contact_page.url, form_data(message="x" * 60_000))
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_nul_bytes_are_removed_before_storing(customer, contact_page, form_data):
    customer.post(contact_page.url, form_data(
        message="Where\x00 is my parcel?", name="Ann\x00", suggestions_seen="1"
    ))
    submission = Submission.objects.get()
    assert (submission.message, submission.name) == ("Where is my parcel?", "Ann")


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Ann\r\nBcc: victim@example.com"), ("email", "ann@example.com\r\nBcc: x@y.example")],
)
def test_header_injection_is_refused_with_a_clear_message(
    customer, contact_page, form_data, committed, field, value
):
    with committed():
        response = customer.post(contact_page.url, form_data(**{field: value}))
    assert response.status_code == 200
    assert "on one line" in response.content.decode()
    assert not Submission.objects.exists() and not mail.outbox


def test_a_post_without_csrf_token_is_forbidden_and_stores_nothing(contact_page, form_data):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    response = client.post(contact_page.url, form_data(suggestions_seen="1"))
    assert response.status_code == 403
    assert client.post(deflect_url(contact_page), {"article": "1"}).status_code == 403
    assert not Submission.objects.exists() and not Deflection.objects.exists()


def test_the_csrf_failure_page_is_friendly_and_keeps_the_message(
    contact_page, form_data, settings
):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    response = client.post(contact_page.url, form_data(message="<i>Where</i> is my parcel?"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This page has expired" in html
    assert "&lt;i&gt;Where&lt;/i&gt; is my parcel?" in html
    assert 'class="hc-header"' in html  # the help center's own layout


def test_a_form_with_a_csrf_token_is_accepted(contact_page, form_data):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    html = client.get(contact_page.url).content.decode()
    token = hidden_value(html, "csrfmiddlewaretoken")
    data = form_data(suggestions_seen="1", csrfmiddlewaretoken=token)
    assert client.post(contact_page.url, data).status_code == 302
    assert Submission.objects.count() == 1


# Rate limit ------------------------------------------------------------------------------------


def test_too_many_messages_from_one_address_get_the_friendly_429(
    contact_page, form_data, settings
):
    settings.HELPCENTER_CONTACT_RATE_LIMIT_PER_HOUR = 2
    for number in range(2):
        response = Client(HTTP_USER_AGENT=BROWSER).post(contact_page.url, form_data(
            message=f"Message {number}: where is my parcel?", suggestions_seen="1"
        ))
        assert response.status_code == 302
    response = Client(HTTP_USER_AGENT=BROWSER).post(contact_page.url, form_data(
        message="Message 3: <b>still</b> no parcel", suggestions_seen="1"
    ))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a moment" in html and "has not been sent yet" in html
    assert "Message 3: &lt;b&gt;still&lt;/b&gt; no parcel" in html
    assert Submission.objects.count() == 2
    other = Client(HTTP_USER_AGENT=BROWSER).post(
        contact_page.url, form_data(suggestions_seen="1"), REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_mistakes_in_the_form_do_not_count_against_the_limit(contact_page, form_data, settings):
    settings.HELPCENTER_CONTACT_RATE_LIMIT_PER_HOUR = 1
    for _ in range(3):
        assert Client().post(contact_page.url, form_data(email="nope")).status_code == 200
    assert Client().post(contact_page.url, form_data(suggestions_seen="1")).status_code == 302


def test_deflections_are_rate_limited_too(contact_page, make_article, settings):
    settings.HELPCENTER_CONTACT_RATE_LIMIT_PER_HOUR = 1
    article = make_article()
    client = Client(HTTP_USER_AGENT=BROWSER)
    assert client.post(deflect_url(contact_page), {"article": article.pk}).status_code == 200
    response = client.post(deflect_url(contact_page), {"article": article.pk},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 429 and "error" in response.json()


# German ----------------------------------------------------------------------------------------


def test_a_german_page_suggests_german_answers_and_stores_the_language(
    form_data, indexed, locale_de
):
    german_home = HelpCenterPage.objects.get(locale=locale_de)
    page = german_home.add_child(instance=ContactPage(
        title="Kontakt", slug="kontakt", recipients="service@klarsicht.example",
    ))
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.url.startswith("/de/")
    client = Client(HTTP_USER_AGENT=BROWSER)
    html = client.get(page.url).content.decode()
    assert 'lang="de"' in html and 'data-locale="de"' in html

    step = client.post(page.url, form_data(
        message="Die Nasenpads meiner Brille sind abgenutzt. Wie tausche ich die Nasenpads aus?"
    ))
    assert step.status_code == 200
    assert "Wie tausche ich die Nasenpads aus?" in step.content.decode()
    sent = client.post(page.url, {**step_fields(step.content.decode()), "action": "send"})
    assert sent.url == "/de/kontakt/danke/"
    assert "Vielen Dank" in client.get(sent.url).content.decode()
    old = client.get("/de/kontakt/thanks/")
    assert old.status_code == 301 and old.url == "/de/kontakt/danke/"
    assert Client().get("/de/kontakt/danke/").url == "/de/kontakt/"
    submission = Submission.objects.get()
    assert submission.locale == "de"
    assert submission.suggested_answers[0]["title"] == "Wie tausche ich die Nasenpads aus?"
    assert submission.suggested_answers[0]["url"].startswith("http://localhost/de/")


def test_time_of_the_token_is_checked_on_the_server(customer, contact_page):
    """A token from the future (a forged clock) is not a way around the fill time."""
    data = {"message": "Hello there, where is my parcel?", "name": "Ann",
            "email": "ann@example.com", "token": issue_token(time.time() + 3600),
            "suggestions_seen": "1"}
    response = customer.post(contact_page.url, data)
    assert response.status_code == 200 and "once more" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_fast_sender_confirms_with_one_more_click_and_is_no_spam(
    customer, contact_page, form_data, committed
):
    response = customer.post(contact_page.url, form_data(shown_seconds_ago=0))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your message has not been sent yet." in html
    assert "press “Send message” once more" in html
    assert "My order KS-1048273" in html
    assert not Submission.objects.exists()

    token = html_lib.unescape(re.search(r'name="token" value="([^"]+)"', html)[1])
    with committed():
        response = customer.post(contact_page.url, form_data(token=token, suggestions_seen="1"))
    assert response.status_code == 302 and response.url == thanks_url(contact_page)
    submission = Submission.objects.get()
    assert (submission.status, submission.spam_reason) == (Submission.Status.NEW, "")
    assert mail.outbox


def test_editors_can_preview_the_page(contact_page):
    contact_page.intro = "<p>Draft introduction</p>"
    response = contact_page.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft introduction" in html and 'name="message"' in html
