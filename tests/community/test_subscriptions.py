"""Following threads and boards, who is told about what, mentions, and moving followers when
threads are merged."""

import pytest

from community import posting, subscriptions
from community.models import Subscription
from community.signals import thread_merged
from community.subscriptions import Reason

pytestmark = pytest.mark.django_db


def followers(thread):
    return set(thread.subscriptions.filter(active=True).values_list("member_id", flat=True))


def test_asker_and_repliers_follow_their_thread(thread, asker, answerer):
    assert followers(thread) == {asker.pk}
    posting.reply(thread, answerer, "Have the nose pads adjusted.")
    assert followers(thread) == {asker.pk, answerer.pk}
    assert Subscription.objects.get(member=answerer, thread=thread).automatic


def test_a_thread_turned_off_stays_off_when_posting_again(thread, asker, answerer):
    posting.reply(thread, answerer, "Have the nose pads adjusted.")
    assert subscriptions.unfollow(answerer, thread=thread)
    posting.reply(thread, answerer, "Or try silicone pads.")
    assert followers(thread) == {asker.pk}
    subscriptions.follow_thread(answerer, thread)
    assert followers(thread) == {asker.pk, answerer.pk}


def test_reply_recipients(thread, board, asker, answerer, make_member):
    everything, new_only, muted = make_member(), make_member(), make_member()
    subscriptions.follow_board(everything, board, Subscription.Level.EVERYTHING)
    subscriptions.follow_board(new_only, board, Subscription.Level.NEW_THREADS)
    subscriptions.follow_board(muted, board, Subscription.Level.EVERYTHING)
    subscriptions.unfollow(muted, thread=thread)
    post = posting.reply(thread, answerer, "Have the nose pads adjusted.")
    recipients = {member.pk: reason for member, reason in
                  subscriptions.recipients_for_post(post).items()}
    assert recipients == {asker.pk: Reason.REPLY, everything.pk: Reason.BOARD}


def test_new_thread_recipients_are_the_boards_followers(board, asker, make_member, make_thread):
    everything, new_only = make_member(), make_member()
    subscriptions.follow_board(everything, board, Subscription.Level.EVERYTHING)
    subscriptions.follow_board(new_only, board, Subscription.Level.NEW_THREADS)
    subscriptions.follow_board(asker, board, Subscription.Level.EVERYTHING)
    thread = make_thread()
    question = thread.posts.get(is_question=True)
    recipients = subscriptions.recipients_for_post(question)
    assert {member.pk: reason for member, reason in recipients.items()} == {
        everything.pk: Reason.NEW_THREAD, new_only.pk: Reason.NEW_THREAD,
    }


def test_a_mention_wins_and_the_author_is_never_told(thread, asker, answerer):
    post = posting.reply(thread, answerer, "@Anna K. does this help? And @Ben O. agrees.")
    recipients = subscriptions.recipients_for_post(post)
    assert {member.pk: reason for member, reason in recipients.items()} == {
        asker.pk: Reason.MENTION
    }


def test_members_who_turned_mentions_off_are_not_mentioned(thread, asker, make_member):
    quiet = make_member("Quiet Quentin")
    quiet.forum_profile.mention_mails = False
    quiet.forum_profile.save()
    post = posting.reply(thread, asker, "Maybe @Quiet Quentin knows?")
    assert quiet not in subscriptions.recipients_for_post(post)


@pytest.mark.parametrize(("text", "names"), [
    ("Thanks @Anna K.!", ["Anna K."]),
    ("thanks @anna k. for this", ["Anna K."]),
    ("Ask @Ann about it", ["Ann"]),
    ("@Anna: yes", ["Anna"]),
    ("mail me at anna@example.com", []),
    ("@Nobody here", []),
    ("@Ann and @Ann again, and @Anna K.", ["Ann", "Anna K."]),
])
def test_mentions_name_whole_display_names(make_member, text, names):
    for name in ("Ann", "Anna", "Anna K."):
        make_member(name)
    found = [member.forum_profile.display_name for member in
             subscriptions.mentioned_members(text)]
    assert found == names


def test_accepted_answer_tells_followers_and_the_answers_author_not_the_asker(
        thread, asker, answerer, make_member):
    follower = make_member()
    subscriptions.follow_thread(follower, thread)
    post = posting.reply(thread, answerer, "Have the nose pads adjusted.")
    subscriptions.unfollow(answerer, thread=thread)
    recipients = subscriptions.recipients_for_accepted(post, asker)
    assert set(recipients) == {follower, answerer}


def test_inactive_members_and_members_without_address_are_not_told(thread, asker, answerer):
    asker.is_active = False
    asker.save()
    post = posting.reply(thread, answerer, "Have the nose pads adjusted.")
    assert subscriptions.recipients_for_post(post) == {}


def test_merging_moves_followers_to_the_target(make_thread, asker, answerer, make_member):
    source = make_thread(title="Nose pads hurt")
    target = make_thread(title="Nose pads press", author=answerer)
    both, off = make_member(), make_member()
    for member in (both, off):
        subscriptions.follow_thread(member, source)
    subscriptions.follow_thread(both, target)
    subscriptions.unfollow(off, thread=target)
    thread_merged.send(sender=type(source), source=source, target=target)
    assert not Subscription.objects.filter(thread=source).exists()
    assert followers(target) == {answerer.pk, asker.pk, both.pk}


def test_unsubscribe_tokens_are_signed(thread, asker, answerer):
    subscription = Subscription.objects.get(member=asker, thread=thread)
    token = subscriptions.unsubscribe_token(asker, subscription)
    assert subscriptions.read_token(token) == (asker, subscription)
    assert subscriptions.read_token(token[:-2] + "xx") is None
    assert subscriptions.read_token("not-a-token") is None
    other = subscriptions.unsubscribe_token(answerer, subscription)  # not answerer's
    assert subscriptions.read_token(other) is None
    assert subscriptions.read_token(subscriptions.unsubscribe_token(asker)) == (asker, None)
