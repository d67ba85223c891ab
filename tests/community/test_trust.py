"""Trust levels from constructed histories: promotion by approved posts and days, demotion by
upheld flags."""

import datetime as dt

import pytest
from django.utils import timezone

from community import posting, trust
from community.models import Flag, Post, PostState
from community.trust import TrustLevel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("posts", "days", "upheld", "level"),
    [
        (0, 0, 0, TrustLevel.NEW),
        (2, 10, 0, TrustLevel.NEW),       # too few posts
        (3, 0.5, 0, TrustLevel.NEW),      # too soon
        (3, 1, 0, TrustLevel.MEMBER),
        (29, 100, 0, TrustLevel.MEMBER),
        (30, 30, 0, TrustLevel.REGULAR),
        (30, 30, 1, TrustLevel.MEMBER),   # one upheld flag: one level down
        (30, 30, 2, TrustLevel.NEW),
        (3, 1, 5, TrustLevel.NEW),
    ],
)
def test_earned_level(posts, days, upheld, level):
    assert trust.earned_level(posts, days, upheld) == level


def test_thresholds_are_settings(settings):
    settings.HELPCENTER_COMMUNITY_MEMBER_MIN_POSTS = 1
    settings.HELPCENTER_COMMUNITY_MEMBER_MIN_DAYS = 0
    assert trust.earned_level(1, 0, 0) == TrustLevel.MEMBER


def _history(member, thread, approved: int, joined_days_ago: float):
    profile = member.forum_profile
    profile.joined_at = timezone.now() - dt.timedelta(days=joined_days_ago)
    profile.save()
    for number in range(approved):
        Post.objects.create(thread=thread, author=member, source=f"Answer {number}",
                            html=f"<p>Answer {number}</p>")


def test_a_constructed_history_promotes_then_an_upheld_flag_demotes(thread, make_member,
                                                                   moderator):
    member = make_member(trust_level=TrustLevel.NEW)
    _history(member, thread, approved=30, joined_days_ago=40)
    assert trust.refresh(member) == TrustLevel.REGULAR
    post = Post.objects.filter(author=member).first()
    Flag.objects.create(post=post, member=moderator, reason="spam", state=Flag.State.UPHELD,
                        resolved_at=timezone.now())
    assert trust.refresh(member) == TrustLevel.MEMBER
    member.forum_profile.refresh_from_db()
    assert member.forum_profile.trust_level == TrustLevel.MEMBER


def test_an_old_upheld_flag_is_forgotten(thread, make_member, moderator, settings):
    settings.HELPCENTER_COMMUNITY_UPHELD_FLAG_MEMORY_DAYS = 30
    member = make_member(trust_level=TrustLevel.NEW)
    _history(member, thread, approved=3, joined_days_ago=90)
    Flag.objects.create(post=Post.objects.filter(author=member).first(), member=moderator,
                        reason="spam", state=Flag.State.UPHELD,
                        resolved_at=timezone.now() - dt.timedelta(days=31))
    assert trust.refresh(member) == TrustLevel.MEMBER


def test_approval_promotes_automatically(board, make_member, moderator, settings):
    from community import moderation

    settings.HELPCENTER_COMMUNITY_MEMBER_MIN_POSTS = 1
    settings.HELPCENTER_COMMUNITY_MEMBER_MIN_DAYS = 0
    member = make_member(trust_level=TrustLevel.NEW)
    thread = posting.start_thread(board, member, "Lens cloth or tissue?", "Which is better?")
    question = thread.posts.get()
    assert question.state == PostState.PENDING
    moderation.approve(question, moderator)
    member = type(member).objects.get(pk=member.pk)  # as the next request loads it
    assert trust.level_of(member) == TrustLevel.MEMBER
    assert posting.reply(thread, member, "A link: https://a.example https://b.example "
                         "https://c.example").state == PostState.APPROVED


def test_regulars_and_the_asker_may_improve_a_title_members_may_not(forum, thread, make_member,
                                                                    asker):
    from django.test import Client

    from community.models import PostRevision
    from tests.helpers import client_for

    url = forum.url + forum.reverse_subpage("retitle", args=[thread.pk])
    member = make_member()
    assert client_for(member).post(url, {"title": "Nose pads"}).status_code == 403
    assert Client().post(url, {"title": "Nose pads"}).status_code == 302  # to the login
    regular = make_member(trust_level=TrustLevel.REGULAR)
    page = client_for(regular).get(forum.url + thread.url_part).content.decode()
    assert "Improve the title" in page
    client_for(regular).post(url, {"title": "Nose pads leave marks after a week"})
    thread.refresh_from_db()
    assert thread.title == "Nose pads leave marks after a week"
    assert PostRevision.objects.get().title == "My nose pads press after a week"
    client_for(asker).post(url, {"title": "!!"}, follow=True)
    thread.refresh_from_db()
    assert thread.title == "Nose pads leave marks after a week"
    assert "Improve the title" not in client_for(member).get(
        forum.url + thread.url_part).content.decode()
