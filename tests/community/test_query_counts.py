"""Forum pages run a fixed number of SQL queries, however many threads and replies there are."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.markup import render_markdown
from community.models import Board, MemberProfile, Post, Thread, Vote
from tests.helpers import client_for

from .fixtures import BROWSER


def add_threads(board, authors, count):
    """Bulk rows: threads with a question each, some solved, by several members."""
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(board=board, title=f"Question {n} about frames", slug=f"question-{n}",
               author=authors[n % len(authors)], reply_count=n % 4, view_count=n,
               vote_count=n % 5, last_activity_at=now)
        for n in range(count)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=thread.author, is_question=True, source="Why?",
             html=render_markdown("Why?"))
        for thread in threads
    )
    return threads


def add_replies(thread, authors, count):
    posts = Post.objects.bulk_create(
        Post(thread=thread, author=authors[n % len(authors)], source=f"Answer **{n}**",
             html=render_markdown(f"Answer **{n}**"), vote_count=n % 3, edit_count=n % 2)
        for n in range(count)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=count, accepted_post=posts[3])
    return posts


def queries_for(make_client, url):
    client = make_client()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.slow
def test_thread_list_and_thread_page_queries_do_not_grow(forum, board, make_member, moderator):
    authors = [make_member() for _ in range(6)]
    MemberProfile.objects.filter(user=authors[5]).delete()  # a member without a profile yet
    second_board = Board.objects.create(name="Lenses", slug="lenses", locale=forum.locale)
    add_threads(board, authors, 6)
    add_threads(second_board, authors, 4)
    thread = Thread.objects.filter(board=board).first()
    posts = add_replies(thread, authors, 10)
    Vote.objects.create(post=posts[1], member=authors[0])
    viewers = {  # each measurement starts with a new visitor (no session yet)
        "anonymous": lambda: Client(HTTP_USER_AGENT=BROWSER),
        "member": lambda: client_for(authors[0]),
        "moderator": lambda: client_for(moderator),
    }
    urls = {
        "latest": forum.url,
        "top": forum.url + "?tab=top",
        "solved, board": forum.url + "boards/frames/?tab=solved",
        "thread": forum.url + thread.url_part,
        "thread, last page": forum.url + thread.url_part + "?order=time&page=last",
        "member": f"{forum.url}members/{authors[0].pk}/",
    }

    def measure():
        return {(who, name): queries_for(client, url)
                for who, client in viewers.items() for name, url in urls.items()}

    small = measure()
    add_threads(board, authors, 600)
    add_threads(second_board, authors, 390)
    more = add_replies(thread, authors, 490)
    Vote.objects.bulk_create(Vote(post=post, member=authors[0]) for post in more[:100])
    assert Thread.objects.count() == 1000 and thread.posts.count() == 501
    large = measure()

    print("\nSQL queries per forum page (10 threads/10 replies -> 1,000 threads/500 replies):")
    for key in small:
        print(f"  {key[0]:10s} {key[1]:18s} {small[key]:3d} -> {large[key]:3d}")
    assert large == small
    assert max(large.values()) <= 26
