"""A member's data: the JSON export, deleting the account (posts kept as "former member" or
removed), erase_contact and the retention purge reaching the forum."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from community import posting, privacy, subscriptions
from community.models import (
    MemberProfile,
    Post,
    PostRevision,
    PostState,
    Subscription,
    Thread,
    Vote,
)
from helpcenter import erasure
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(thread, board, asker, answerer):
    """The answerer replied, voted, follows the board and edited a post."""
    reply = posting.reply(thread, answerer, "Ask for softer silicone pads.")
    posting.edit_post(reply, answerer, "Ask the optician for softer silicone pads.")
    posting.vote(thread.posts.get(is_question=True), answerer)
    posting.vote(reply, asker)
    subscriptions.follow_board(answerer, board, Subscription.Level.NEW_THREADS)
    own = posting.start_thread(board, answerer, "Temples too tight", "They press behind my ears.")
    posting.reply(own, asker, "Have them widened.")
    return {"reply": reply, "own": own}


def test_export_has_profile_threads_posts_votes_and_subscriptions(forum, history, answerer):
    response = client_for(answerer).get(f"{forum.url}account/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="forum-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Ben O."
    assert [t["title"] for t in data["threads"]] == ["Temples too tight"]
    assert {p["text"] for p in data["posts"]} == {"Ask the optician for softer silicone pads.",
                                                  "They press behind my ears."}
    assert len(data["votes"]) == 1
    assert {(s["thread"] is None, s["level"]) for s in data["subscriptions"]} == {
        (True, "new_threads"), (False, None)}
    assert answerer.email not in response.content.decode()


def test_delete_account_keeps_posts_as_former_member(forum, thread, history, answerer, settings):
    settings.HELPCENTER_COMMUNITY_DELETED_MEMBER_POSTS = "keep"
    reply = history["reply"]
    client = client_for(answerer)
    response = client.post(f"{forum.url}account/", {"password": "pw"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=answerer.pk).exists()
    reply.refresh_from_db()
    assert reply.author is None and reply.state == PostState.APPROVED
    assert Thread.objects.get(title="Temples too tight").author is None
    assert not MemberProfile.objects.filter(display_name="Ben O.").exists()
    page = client.get(forum.url + thread.url_part).content.decode()
    assert "Former member" in page and "Ben O." not in page
    assert thread.posts.get(is_question=True).vote_count == 0  # the vote went with the member


def test_delete_account_can_remove_posts(forum, thread, history, answerer, settings):
    settings.HELPCENTER_COMMUNITY_DELETED_MEMBER_POSTS = "remove"
    counts = privacy.delete_account(answerer)
    assert counts["forum threads"] == 1 and counts["forum posts"] == 1
    assert not Thread.objects.filter(title="Temples too tight").exists()
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert not Post.objects.filter(source__contains="silicone").exists()


def test_a_wrong_password_deletes_nothing(forum, answerer):
    response = client_for(answerer).post(f"{forum.url}account/", {"password": "nope"})
    assert response.status_code == 400
    assert "The password is not right" in response.content.decode()
    assert get_user_model().objects.filter(pk=answerer.pk).exists()


def test_erase_contact_reaches_the_forum(history, answerer, settings):
    settings.HELPCENTER_COMMUNITY_DELETED_MEMBER_POSTS = "keep"
    counts = erasure.erase(erasure.Person(email=answerer.email.upper()))
    assert counts["forum profiles"] == 1
    assert counts["forum subscriptions"] == 3  # a thread answered, one started, a board
    assert counts["forum votes"] == 1
    assert not MemberProfile.objects.filter(user=answerer).exists()
    assert not Subscription.objects.filter(member=answerer).exists()
    assert not Vote.objects.filter(member=answerer).exists()
    assert not Post.objects.filter(author=answerer).exists()
    assert Post.objects.filter(source__contains="softer silicone", author=None).exists()
    assert not PostRevision.objects.filter(edited_by=answerer).exists()


def test_erasure_redacts_the_address_in_other_posts(thread, asker, answerer):
    quoted = posting.reply(thread, asker, f"Write to {answerer.email.upper()} for the pads.")
    counts = erasure.erase(erasure.Person(email=answerer.email))
    quoted.refresh_from_db()
    assert answerer.email not in quoted.source.lower()
    assert "[…]" in quoted.source and "[…]" in quoted.html
    assert counts["forum posts redacted"] == 1


def test_purge_deletes_old_deleted_posts_and_turned_off_subscriptions(thread, asker, answerer,
                                                                       make_thread):
    reply = posting.reply(thread, answerer, "Wrong thread, sorry.")
    posting.delete_post(reply, answerer)
    gone = make_thread(title="Never mind", author=answerer)
    posting.delete_post(gone.posts.get(is_question=True), answerer)
    subscriptions.unfollow(asker, thread=thread)
    later = timezone.now() + dt.timedelta(days=1)
    counts = erasure.purge(later, dry_run=True)
    assert counts["deleted forum posts"] == 1
    assert counts["deleted forum threads"] == 1
    assert counts["turned-off forum subscriptions"] == 1
    assert Post.objects.filter(pk=reply.pk).exists()  # a dry run
    erasure.purge(later)
    assert not Post.objects.filter(pk=reply.pk).exists()
    assert not Thread.objects.filter(pk=gone.pk).exists()
    assert Thread.objects.filter(pk=thread.pk).exists()
    earlier = erasure.purge(timezone.now() - dt.timedelta(days=1))
    assert earlier["deleted forum posts"] == earlier["turned-off forum subscriptions"] == 0
