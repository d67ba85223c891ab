"""Eight members posting at once: every thread and reply is stored and counted."""

import pytest

from community import posting
from community.models import Post, Thread
from tests.helpers import run_concurrently

POSTERS = 8
PER_POSTER = 50


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_posters_lose_nothing(board, thread, make_member):
    members = [make_member() for _ in range(POSTERS)]

    def post(number):
        member = members[number]
        for count in range(PER_POSTER):
            if count % 10 == 0:
                posting.start_thread(board, member, f"Question {count} from poster {number}",
                                     f"Text {count}")
            else:
                posting.reply(thread, member, f"Reply {count} from poster {number}")

    assert run_concurrently(post, POSTERS) == []
    replies = POSTERS * PER_POSTER * 9 // 10
    assert Thread.objects.count() == 1 + POSTERS * PER_POSTER // 10
    assert thread.posts.filter(is_question=False).count() == replies
    thread.refresh_from_db()
    assert thread.reply_count == replies
    assert Post.objects.count() == 1 + POSTERS * PER_POSTER
