"""Pre-moderation, the moderators' actions, their log entries and mail, and the search index."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from wagtail.models import ModelLogEntry

from community import moderation, posting
from community.models import Flag, Post, PostState, ReviewReason, Thread, WatchedWord
from community.trust import TrustLevel
from helpcenter.models import OutgoingMail
from search import service
from tests.helpers import client_for

from .fixtures import BROWSER

pytestmark = pytest.mark.django_db
THREE_LINKS = "See https://a.example, https://b.example and https://c.example for frames."


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def newcomer(make_member):
    return make_member("Nina New", trust_level=TrustLevel.NEW)


def community_hits(query):
    return [r.pk for r in service.search(query, "en").results if r.model == "community.thread"]


# The policy ------------------------------------------------------------------------------------


def test_a_new_members_first_post_waits_and_the_next_after_approval_does_not(
    board, newcomer, moderator
):
    first = posting.start_thread(board, newcomer, "Which frame suits a round face?", "Ideas?")
    assert first.state == PostState.PENDING
    question = first.posts.get()
    assert (question.state, question.review_reason) == (PostState.PENDING,
                                                        ReviewReason.FIRST_POST)
    moderation.approve(question, moderator)
    first.refresh_from_db()
    assert first.state == PostState.APPROVED
    second = posting.reply(first, newcomer, "Thanks, I found one.")
    assert second.state == PostState.APPROVED


def test_premoderation_can_be_switched_off(board, newcomer, settings):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0
    assert posting.start_thread(board, newcomer, "Round face frames", "Ideas?").state == "approved"


def test_more_links_than_the_trust_level_allows_wait_for_review(thread, newcomer, answerer,
                                                                settings):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0
    held = posting.reply(thread, newcomer, THREE_LINKS)
    assert (held.state, held.review_reason) == (PostState.PENDING, ReviewReason.LINKS)
    assert posting.reply(thread, newcomer, "Only https://a.example here.").state == "approved"
    assert posting.reply(thread, answerer, THREE_LINKS).state == "approved"  # a member: 10
    thread.refresh_from_db()
    assert thread.reply_count == 2  # the waiting reply is not counted


def test_watched_words_hold_block_or_flag_a_post(thread, answerer):
    WatchedWord.objects.create(phrase="cheap pills", action=WatchedWord.Action.REQUIRE_APPROVAL)
    WatchedWord.objects.create(phrase="idiot", action=WatchedWord.Action.BLOCK)
    WatchedWord.objects.create(phrase="competitor", action=WatchedWord.Action.FLAG)
    held = posting.reply(thread, answerer, "Buy CHEAP\n pills here")
    assert (held.state, held.review_reason) == (PostState.PENDING, ReviewReason.WATCHED_WORD)
    with pytest.raises(posting.ForumError, match="“idiot”"):
        posting.reply(thread, answerer, "What an idiot.")
    flagged = posting.reply(thread, answerer, "The competitor has cheaper frames.")
    assert flagged.state == PostState.APPROVED
    assert flagged in moderation.queue("flagged")
    assert Flag.objects.get(post=flagged).member is None
    ok = posting.reply(thread, answerer, "Idiotic is a different word; pillsbury too.")
    assert ok.state == PostState.APPROVED


def test_new_members_have_daily_limits(board, newcomer, settings):
    settings.HELPCENTER_COMMUNITY_NEW_MEMBER_THREADS_PER_DAY = 2
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 0
    posting.start_thread(board, newcomer, "First question here", "One")
    posting.start_thread(board, newcomer, "Second question here", "Two")
    with pytest.raises(posting.ForumError, match="2 threads a day"):
        posting.start_thread(board, newcomer, "Third question here", "Three")


def test_moderators_posts_are_never_held(thread, moderator):
    WatchedWord.objects.create(phrase="refund", action=WatchedWord.Action.REQUIRE_APPROVAL)
    assert posting.reply(thread, moderator, f"Refund info: {THREE_LINKS}").state == "approved"


# Visibility ------------------------------------------------------------------------------------


def test_a_waiting_thread_is_shown_to_its_author_only_until_approved(
    forum, board, newcomer, answerer, moderator, after_commit
):
    with after_commit():
        thread = posting.start_thread(board, newcomer, "Bifocal lenses make me dizzy",
                                      "Dizzy with bifocal lenses on stairs.")
    url = forum.url + thread.url_part
    assert Client(HTTP_USER_AGENT=BROWSER).get(url).status_code == 404
    assert client_for(answerer).get(url).status_code == 404
    own = client_for(newcomer).get(url).content.decode()
    assert "Awaiting review" in own
    listing = Client().get(forum.url).content.decode()
    assert "Bifocal lenses make me dizzy" not in listing
    assert community_hits("bifocal dizzy") == []
    with after_commit():
        moderation.approve(thread.posts.get(), moderator)
    assert Client(HTTP_USER_AGENT=BROWSER).get(url).status_code == 200
    assert community_hits("bifocal dizzy") == [thread.pk]


def test_a_waiting_reply_is_seen_by_its_author_and_moderators(forum, thread, newcomer, answerer,
                                                                moderator):
    reply = posting.reply(thread, newcomer, "Have you tried a wider bridge?")
    assert reply.state == PostState.PENDING
    url = forum.url + thread.url_part
    assert "wider bridge" not in client_for(answerer).get(url).content.decode()
    assert "wider bridge" in client_for(newcomer).get(url).content.decode()


@pytest.mark.parametrize("action", ["reject", "delete", "spam"])
def test_a_rejected_deleted_or_spam_thread_leaves_the_index(board, asker, moderator,
                                                            after_commit, action):
    with after_commit():
        thread = posting.start_thread(board, asker, "Polarised sunglasses and phone screens",
                                      "The phone screen looks black with polarised lenses.")
    assert community_hits("polarised phone screen") == [thread.pk]
    question = thread.posts.get()
    with after_commit():
        if action == "spam":
            moderation.mark_spam(question, moderator)
        else:
            moderation.ACTIONS[action](question, moderator, "Off-topic")
    assert community_hits("polarised phone screen") == []
    assert Thread.objects.get(pk=thread.pk).state != PostState.APPROVED


# Actions ---------------------------------------------------------------------------------------


def test_reject_tells_the_author_why_and_logs_without_personal_data(
    thread, newcomer, moderator, after_commit
):
    newcomer.email = "nina@example.com"
    newcomer.save()
    reply = posting.reply(thread, newcomer, "Call me on +49 170 1234567")
    with after_commit():
        moderation.reject(reply, moderator, "Please do not post phone numbers.")
    assert Post.objects.get(pk=reply.pk).state == PostState.REJECTED
    [message] = mail.outbox
    assert message.to == ["nina@example.com"]
    stored = OutgoingMail.objects.get(kind="community.post-rejected")
    assert (stored.status, stored.recipients) == ("sent", "nina@example.com")
    assert "Please do not post phone numbers." in message.body
    entry = ModelLogEntry.objects.get(action="community.reject")
    assert entry.user == moderator
    assert entry.label == f"Post {reply.pk}"
    assert entry.data == {"reason": "Please do not post phone numbers.",
                          "thread": thread.pk, "member": newcomer.pk}


def test_mark_spam_holds_the_authors_other_waiting_posts(board, thread, newcomer, moderator,
                                                         answerer):
    first = posting.reply(thread, newcomer, "Visit my shop")
    other = posting.start_thread(board, newcomer, "Great deals on frames", "Visit my shop")
    unrelated = posting.reply(thread, answerer, "A real answer.")
    assert moderation.mark_spam(first, moderator) == 2
    assert set(Post.objects.filter(state=PostState.SPAM).values_list("pk", flat=True)) == {
        first.pk, other.posts.get().pk}
    assert Post.objects.get(pk=unrelated.pk).state == PostState.APPROVED
    assert moderation.queue("spam").count() == 0  # a moderator's decision leaves the queue
    assert ModelLogEntry.objects.filter(action="community.spam").count() == 2


def test_delete_is_soft_and_restore_brings_the_reply_and_its_count_back(thread, answerer,
                                                                        moderator):
    reply = posting.reply(thread, answerer, "Try silicone pads.")
    moderation.delete(reply, moderator, "Duplicate")
    thread.refresh_from_db()
    assert (Post.objects.get(pk=reply.pk).state, thread.reply_count) == ("deleted", 0)
    moderation.restore(Post.objects.get(pk=reply.pk), moderator)
    thread.refresh_from_db()
    assert (Post.objects.get(pk=reply.pk).state, thread.reply_count) == ("approved", 1)
    assert list(ModelLogEntry.objects.filter(data__thread=thread.pk).order_by("pk")
                .values_list("action", flat=True)) == ["community.delete", "community.restore"]


def test_only_moderators_may_act(thread, answerer, asker):
    reply = posting.reply(thread, answerer, "Try silicone pads.")
    for action in (moderation.approve, moderation.mark_spam, moderation.restore):
        with pytest.raises(PermissionDenied):
            action(reply, asker)
    assert Post.objects.get(pk=reply.pk).state == PostState.APPROVED


def test_silence_and_ban_make_a_member_read_only_and_tell_them(
    thread, answerer, moderator, after_commit
):
    from django.utils import timezone

    profile = answerer.forum_profile
    with after_commit():
        moderation.silence(profile, moderator, timezone.now() + timezone.timedelta(days=3),
                           "Three rude replies")
    with pytest.raises(posting.ForumError, match="read-only until .*Three rude replies"):
        posting.reply(thread, answerer, "Another reply")
    assert "Three rude replies" in mail.outbox[-1].body
    moderation.lift(profile, moderator)
    posting.reply(thread, answerer, "Sorry, a kind reply")
    with after_commit():
        moderation.ban(profile, moderator, "Spam links")
    with pytest.raises(posting.ForumError, match="no longer post.*Spam links"):
        posting.reply(thread, answerer, "Back again")
    assert [entry.label for entry in ModelLogEntry.objects.filter(
        action__in=["community.silence", "community.ban"])] == [f"Member {answerer.pk}"] * 2


def test_a_silenced_member_sees_why_on_the_thread_page(forum, thread, answerer, moderator):
    from django.utils import timezone

    moderation.silence(answerer.forum_profile, moderator,
                       timezone.now() + timezone.timedelta(days=1), "Cool down")
    page = client_for(answerer).get(forum.url + thread.url_part).content.decode()
    assert "Cool down" in page
    assert 'name="text"' not in page.split('id="reply"')[1]


def test_the_reminder_mails_moderators_once_per_overdue_item(thread, newcomer, moderator,
                                                             after_commit):
    from django.core.management import call_command
    from django.utils import timezone

    moderator.email = "mod@example.com"
    moderator.save()
    reply = posting.reply(thread, newcomer, "Waiting reply")
    Post.objects.filter(pk=reply.pk).update(
        state_changed_at=timezone.now() - timezone.timedelta(hours=25))
    posting.reply(thread, newcomer, "Fresh reply")  # waits, but not for long yet
    with after_commit():
        call_command("remind_moderators", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]
    assert "Waiting reply" not in mail.outbox[0].body  # no member text in the staff mail
    with after_commit():
        call_command("remind_moderators", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # the outbox key: one reminder per post and waiting spell
    assert OutgoingMail.objects.filter(kind="community.review-reminder").count() == 1


def test_a_filled_honeypot_holds_the_post_as_spam_in_the_queue(forum, thread, answerer, asker):
    url = forum.url + forum.reverse_subpage("reply", args=[thread.pk])
    client_for(answerer).post(url, {"text": "Cheap frames here", "website": "http://x.example"})
    held = Post.objects.get(source="Cheap frames here")
    assert (held.state, held.review_reason) == (PostState.SPAM, ReviewReason.SPAM_SIGNAL)
    assert list(moderation.queue("spam")) == [held]
    client_for(asker).post(url, {"text": "A real answer", "website": ""})
    assert Post.objects.get(source="A real answer").state == PostState.APPROVED
    thread.refresh_from_db()
    assert thread.reply_count == 1
