"""Flags: weights by trust level, the hiding threshold, one flag per reason, a daily limit."""

import pytest
from django.contrib.auth.models import Group

from community import flags, moderation, posting, trust
from community.models import Flag, Post, PostState
from community.trust import TrustLevel
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(thread, answerer):
    return posting.reply(thread, answerer, "Buy our frames at a discount!")


def state_of(post):
    return Post.objects.get(pk=post.pk).state


def test_three_members_hide_a_post_two_do_not(reply, make_member):
    first, second, third = (make_member() for _ in range(3))
    assert not flags.flag(reply, first, Flag.Reason.SPAM)
    assert not flags.flag(reply, second, Flag.Reason.OFF_TOPIC)
    assert state_of(reply) == PostState.APPROVED
    assert flags.flag(reply, third, Flag.Reason.INAPPROPRIATE)
    assert state_of(reply) == PostState.HIDDEN
    assert reply in moderation.queue("flagged")


def test_one_moderator_hides_a_post_and_a_regular_counts_twice(reply, moderator, make_member):
    assert flags.flag(reply, moderator, Flag.Reason.SPAM)
    other = posting.reply(reply.thread, make_member(), "Another post")
    regular = make_member(trust_level=TrustLevel.REGULAR)
    assert not flags.flag(other, regular, Flag.Reason.SPAM)
    assert flags.score(other) == 2
    assert flags.flag(other, make_member(), Flag.Reason.SPAM)


def test_the_threshold_and_weights_are_settings(reply, make_member, settings):
    settings.HELPCENTER_COMMUNITY_FLAG_HIDE_SCORE = 1
    assert flags.flag(reply, make_member(trust_level=TrustLevel.NEW), Flag.Reason.SPAM)


def test_no_reflag_for_the_same_reason_but_another_reason_counts(reply, make_member):
    member = make_member()
    flags.flag(reply, member, Flag.Reason.SPAM)
    with pytest.raises(flags.FlagRefused, match="already flagged"):
        flags.flag(reply, member, Flag.Reason.SPAM)
    flags.flag(reply, member, Flag.Reason.OFF_TOPIC)
    assert Flag.objects.filter(post=reply, member=member).count() == 2


def test_other_needs_a_text_and_the_author_cannot_flag_their_post(reply, answerer, make_member):
    with pytest.raises(flags.FlagRefused, match="what is wrong"):
        flags.flag(reply, make_member(), Flag.Reason.OTHER, "  ")
    with pytest.raises(flags.FlagRefused, match="cannot be flagged"):
        flags.flag(reply, answerer, Flag.Reason.SPAM)
    with pytest.raises(flags.FlagRefused, match="choose why"):
        flags.flag(reply, make_member(), "nonsense")


def test_flags_per_member_per_day_are_limited(thread, make_member, settings):
    settings.HELPCENTER_COMMUNITY_FLAGS_PER_DAY = 2
    flagger, author = make_member(), make_member()
    posts = [posting.reply(thread, author, f"Reply number {n}") for n in range(3)]
    flags.flag(posts[0], flagger, Flag.Reason.SPAM)
    flags.flag(posts[1], flagger, Flag.Reason.SPAM)
    with pytest.raises(flags.FlagRefused, match="2 posts a day"):
        flags.flag(posts[2], flagger, Flag.Reason.SPAM)


def test_the_author_may_edit_a_hidden_post_and_others_see_a_placeholder(
    forum, reply, answerer, asker, moderator
):
    flags.flag(reply, moderator, Flag.Reason.SPAM)
    hidden = Post.objects.get(pk=reply.pk)
    assert posting.can_edit(hidden, answerer)
    posting.edit_post(hidden, answerer, "Sorry, here is a proper answer.")
    url = forum.url + reply.thread.url_part
    others = client_for(asker).get(url).content.decode()
    assert "proper answer" not in others
    assert "hidden until a moderator" in others
    assert "proper answer" in client_for(answerer).get(url).content.decode()


def test_ignoring_flags_publishes_again_and_upholding_demotes(reply, answerer, moderator):
    assert answerer.forum_profile.trust_level == TrustLevel.MEMBER
    flags.flag(reply, moderator, Flag.Reason.SPAM)
    moderation.ignore_flags(Post.objects.get(pk=reply.pk), moderator)
    assert state_of(reply) == PostState.APPROVED
    assert set(Flag.objects.values_list("state", flat=True)) == {Flag.State.IGNORED}
    other = posting.reply(reply.thread, answerer, "More advertising")
    flags.flag(other, moderator, Flag.Reason.SPAM)
    moderation.delete(Post.objects.get(pk=other.pk), moderator, "Advertising")
    answerer.forum_profile.refresh_from_db()
    assert answerer.forum_profile.trust_level == TrustLevel.NEW
    assert trust.upheld_flags_against(answerer) == 1


def test_flag_over_http(forum, reply, make_member):
    member = make_member()
    url = forum.url + forum.reverse_subpage("flag", args=[reply.pk])
    response = client_for(member).post(url, {"reason": "spam"})
    assert response.status_code == 302
    assert Flag.objects.filter(post=reply, member=member, reason="spam").exists()
    again = client_for(member).post(url, {"reason": "spam"}, follow=True)
    assert "already flagged" in again.content.decode()
    assert client_for(member).get(url).status_code == 405


def test_moderators_group_members_weigh_as_moderators(reply, make_member):
    staff = make_member()
    staff.groups.add(Group.objects.get(name="Moderators"))
    assert trust.level_of(staff) == TrustLevel.MODERATOR
    assert flags.flag(reply, staff, Flag.Reason.SPAM)
