"""Following on the forum pages, the member's subscriptions page, and the one-click unsubscribe
address (RFC 8058: a POST without a CSRF token, trusted for its signature only)."""

import pytest
from django.test import Client
from django.utils.html import escape

from community import posting, subscriptions
from community.models import Subscription
from tests.helpers import client_for

from .test_posting import XSS_PAYLOADS

RAW_ACTIVE = ["<script>alert", "<img src=x", "<svg/onload", "<iframe", "<style>body",
              'href="javascript:', 'href="JaVaScRiPt:', 'href="data:', "<a href=\"javascript"]

pytestmark = pytest.mark.django_db


def test_follow_and_stop_following_a_thread(forum, thread, answerer):
    client = client_for(answerer)
    response = client.post(f"{forum.url}{thread.pk}/follow/", {"follow": "1"})
    assert response.status_code == 302
    assert subscriptions.follows(answerer, thread)
    page = client.get(forum.url + thread.url_part).content.decode()
    assert "You follow this thread" in page and "Stop following" in page
    client.post(f"{forum.url}{thread.pk}/follow/", {"follow": "0"})
    assert not subscriptions.follows(answerer, thread)
    assert "Follow this thread" in client.get(forum.url + thread.url_part).content.decode()


def test_following_redirects_only_to_this_site(forum, thread, answerer):
    response = client_for(answerer).post(f"{forum.url}{thread.pk}/follow/",
                                         {"follow": "1", "next": "https://evil.example/"})
    assert response["Location"] == forum.url + thread.url_part


def test_follow_a_board_and_change_the_level(forum, board, answerer):
    client = client_for(answerer)
    client.post(f"{forum.url}boards/frames/follow/", {"level": "new_threads"})
    assert subscriptions.board_level(answerer, board) == "new_threads"
    page = client.get(f"{forum.url}boards/frames/").content.decode()
    assert '<option value="new_threads" selected>' in page
    client.post(f"{forum.url}boards/frames/follow/", {"level": "everything"})
    assert subscriptions.board_level(answerer, board) == "everything"
    client.post(f"{forum.url}boards/frames/follow/", {"level": "off"})
    assert subscriptions.board_level(answerer, board) == ""
    assert client.post(f"{forum.url}boards/none/follow/", {"level": "off"}).status_code == 404


def test_the_subscriptions_page_lists_and_turns_off(forum, thread, board, asker):
    subscriptions.follow_board(asker, board, Subscription.Level.EVERYTHING)
    client = client_for(asker)
    page = client.get(f"{forum.url}subscriptions/").content.decode()
    assert thread.title in page and "followed automatically" in page
    assert escape(board.name) in page
    client.post(f"{forum.url}subscriptions/", {})  # the mention box unticked
    asker.forum_profile.refresh_from_db()
    assert asker.forum_profile.mention_mails is False
    client.post(f"{forum.url}{thread.pk}/follow/", {"follow": "0"})
    assert thread.title not in client.get(f"{forum.url}subscriptions/").content.decode()


def unsubscribe_path(member, subscription=None):
    token = subscriptions.unsubscribe_token(member, subscription)
    return f"/en/community-mail/unsubscribe/{token}/"


def test_get_asks_to_confirm_and_changes_nothing(thread, asker):
    subscription = Subscription.objects.get(member=asker, thread=thread)
    response = Client().get(unsubscribe_path(asker, subscription))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these e-mails?" in page and thread.title in page
    assert subscriptions.follows(asker, thread)


def test_one_click_post_without_csrf_token_unsubscribes(thread, asker):
    subscription = Subscription.objects.get(member=asker, thread=thread)
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path(asker, subscription),
                           "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not subscriptions.follows(asker, thread)


def test_a_forged_or_foreign_token_changes_nothing(thread, asker, answerer):
    subscription = Subscription.objects.get(member=asker, thread=thread)
    client = Client(enforce_csrf_checks=True)
    good = subscriptions.unsubscribe_token(asker, subscription)
    for token in (good[:-3] + "abc", subscriptions.unsubscribe_token(answerer, subscription),
                  "x" * 5000):
        response = client.post(f"/en/community-mail/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert subscriptions.follows(asker, thread)


def test_unsubscribing_from_mentions_and_from_a_board(board, asker):
    follow = subscriptions.follow_board(asker, board, Subscription.Level.EVERYTHING)
    Client().post(unsubscribe_path(asker, follow))
    assert subscriptions.board_level(asker, board) == ""
    Client().post(unsubscribe_path(asker))
    asker.forum_profile.refresh_from_db()
    assert not asker.forum_profile.mention_mails


def test_the_unsubscribe_page_speaks_german(thread, asker, locale_de):
    subscription = Subscription.objects.get(member=asker, thread=thread)
    path = unsubscribe_path(asker, subscription).replace("/en/", "/de/")
    assert "Diese E-Mails abbestellen?" in Client().get(path).content.decode()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_in_titles_and_names_stay_text_on_the_new_pages(forum, board, make_member,
                                                                  payload):
    member = make_member(f"Eve {payload}"[:40])
    thread = posting.start_thread(board, member, f"Help {payload}", f"Body {payload}")
    client = client_for(member)
    subscription = Subscription.objects.get(member=member, thread=thread)
    for path in (f"{forum.url}subscriptions/", unsubscribe_path(member, subscription),
                 f"{forum.url}account/", f"{forum.url}boards/frames/"):
        page = client.get(path).content.decode()
        for raw in RAW_ACTIVE:
            assert raw not in page, (path, raw)
    assert escape(f"Help {payload}") in client.get(f"{forum.url}subscriptions/").content.decode()
