"""Load: eight new members post while two moderators work the queue; nothing is lost or counted
twice (a post two moderators decide at once is decided once)."""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from community import moderation, posting
from community.models import Post, PostState, Thread
from community.trust import TrustLevel
from tests.helpers import run_concurrently

POSTERS = 8
MODERATORS = 2
PER_POSTER = 25
RUN_SECONDS = 60  # the bound: moderators stop when the posters are done and the queue is empty


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_posters_and_moderators_at_once_lose_no_post_and_no_action(board, thread, make_member,
                                                                    settings):
    settings.HELPCENTER_COMMUNITY_PREMODERATE_FIRST_POSTS = 10**6  # every post waits
    settings.HELPCENTER_COMMUNITY_NEW_MEMBER_POSTS_PER_DAY = 10**6
    settings.HELPCENTER_COMMUNITY_NEW_MEMBER_THREADS_PER_DAY = 10**6
    posters = [make_member(trust_level=TrustLevel.NEW) for _ in range(POSTERS)]
    moderators = [make_member() for _ in range(MODERATORS)]
    for user in moderators:
        user.groups.add(Group.objects.get(name="Forum moderators"))
    posting_done = threading.Event()
    finished_posters = []
    decisions = {"approve": 0, "reject": 0, "already decided": 0}
    lock = threading.Lock()

    def post(number):
        member = posters[number]
        for count in range(PER_POSTER):
            if count % 5 == 0:
                posting.start_thread(board, member, f"Question {count} from poster {number}",
                                     f"Text {count}")
            else:
                posting.reply(thread, member, f"Reply {count} from poster {number}")
        with lock:
            finished_posters.append(number)
            if len(finished_posters) == POSTERS:
                posting_done.set()

    def moderate(number):
        moderator = moderators[number]
        deadline = time.monotonic() + RUN_SECONDS
        while time.monotonic() < deadline:
            # Both moderators take the oldest items: they often race for the same post.
            waiting = list(moderation.queue("pending")[:3])
            if not waiting and posting_done.is_set():
                return
            for item in waiting:
                action = "approve" if item.pk % 3 else "reject"
                done = (moderation.approve(item, moderator) if action == "approve"
                        else moderation.reject(item, moderator, "Load test"))
                with lock:
                    decisions[action if done else "already decided"] += 1

    def work(number):
        if number < POSTERS:
            post(number)
        else:
            moderate(number - POSTERS)

    assert run_concurrently(work, POSTERS + MODERATORS) == []
    total = POSTERS * PER_POSTER
    mine = Post.objects.exclude(pk=thread.posts.get(is_question=True).pk)
    assert mine.count() == total
    assert mine.filter(state=PostState.PENDING).count() == 0
    approved = mine.filter(state=PostState.APPROVED).count()
    rejected = mine.filter(state=PostState.REJECTED).count()
    assert (approved, rejected) == (decisions["approve"], decisions["reject"])
    assert approved + rejected == total
    logged = ModelLogEntry.objects.filter(action__in=["community.approve", "community.reject"])
    assert logged.count() == total
    assert logged.values("object_id").distinct().count() == total  # each decided once
    thread.refresh_from_db()
    assert thread.reply_count == thread.posts.filter(is_question=False,
                                                     state=PostState.APPROVED).count()
    assert Thread.objects.filter(state=PostState.APPROVED).count() == 1 + mine.filter(
        is_question=True, state=PostState.APPROVED).count()
    print(f"\n{total} posts, {decisions['approve']} approved, {decisions['reject']} rejected "
          f"by {MODERATORS} moderators, {decisions['already decided']} times the other "
          "moderator had decided first")
