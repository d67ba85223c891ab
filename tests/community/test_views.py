"""Every forum address for every role, bad input, and what reaches the page of untrusted text."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.test import Client

from community import posting
from community.models import MemberProfile, Post, PostState, Thread
from tests.helpers import client_for

from .fixtures import BROWSER

ROLES = ["anonymous", "asker", "other", "answerer", "moderator", "superuser"]


@pytest.fixture
def people(asker, answerer, moderator, make_member, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    return {"asker": asker, "answerer": answerer, "other": make_member("Olga"),
            "moderator": moderator, "superuser": superuser}


@pytest.fixture
def scene(forum, thread, answerer):
    reply = posting.reply(thread, answerer, "Ask for softer silicone pads.")
    posting.edit_post(reply, answerer, "Ask the optician for softer silicone pads.")
    return {"forum": forum.url, "thread": thread, "reply": reply,
            "question": thread.posts.get(is_question=True)}


def client_as(role, people):
    if role == "anonymous":
        return Client(HTTP_USER_AGENT=BROWSER)
    client = client_for(people[role])
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


LOGIN = "login"
# (name, method, path template, data) → status per role (LOGIN: a redirect to LOGIN_URL)
CASES = {
    "home": ("get", "", {}, dict.fromkeys(ROLES, 200)),
    "board": ("get", "boards/frames/", {}, dict.fromkeys(ROLES, 200)),
    "thread": ("get", "{thread}", {}, dict.fromkeys(ROLES, 200)),
    "compose": ("get", "new/", {}, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "edit question": ("get", "posts/{question}/edit/", {},
                      {"anonymous": LOGIN, "asker": 200, "other": 403, "answerer": 403,
                       "moderator": 200, "superuser": 200}),
    "edit reply": ("post", "posts/{reply}/edit/", {"text": "Changed."},
                   {"anonymous": LOGIN, "asker": 403, "other": 403, "answerer": 302,
                    "moderator": 302, "superuser": 302}),
    "history": ("get", "posts/{reply}/history/", {},
                {"anonymous": LOGIN, "asker": 403, "other": 403, "answerer": 403,
                 "moderator": 200, "superuser": 200}),
    "accept": ("post", "posts/{reply}/accept/", {},
               {"anonymous": LOGIN, "asker": 302, "other": 403, "answerer": 403,
                "moderator": 302, "superuser": 302}),
    "vote": ("post", "posts/{reply}/vote/", {}, {**dict.fromkeys(ROLES, 302),
                                                 "anonymous": LOGIN}),
    "delete reply": ("post", "posts/{reply}/delete/", {},
                     {"anonymous": LOGIN, "asker": 403, "other": 403, "answerer": 302,
                      "moderator": 302, "superuser": 302}),
    "reply": ("post", "{pk}/reply/", {"text": "Me too, same problem."},
              {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    "member": ("get", "members/{asker}/", {}, dict.fromkeys(ROLES, 200)),
    "profile": ("get", "profile/", {}, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "subscriptions": ("get", "subscriptions/", {},
                      {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "follow thread": ("post", "{pk}/follow/", {"follow": "1"},
                      {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    "follow board": ("post", "boards/frames/follow/", {"level": "everything"},
                     {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    "account": ("get", "account/", {}, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "export": ("get", "account/export/", {}, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "delete account, wrong password": ("post", "account/", {"password": "wrong"},
                                       {**dict.fromkeys(ROLES, 400), "anonymous": LOGIN}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_every_address_for_every_role(case, role, scene, people, settings):
    method, template, data, expected = CASES[case]
    path = scene["forum"] + template.format(
        thread=scene["thread"].url_part, pk=scene["thread"].pk, question=scene["question"].pk,
        reply=scene["reply"].pk, asker=people["asker"].pk,
    )
    response = getattr(client_as(role, people), method)(path, data)
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    else:
        assert response.status_code == expected[role], (case, role)


def test_writing_is_refused_without_a_csrf_token(scene, people):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    client.force_login(people["answerer"])
    response = client.post(f"{scene['forum']}{scene['thread'].pk}/reply/", {"text": "Hello"})
    assert response.status_code == 403
    assert Post.objects.filter(source="Hello").count() == 0


def test_an_unknown_thread_or_board_is_404(forum, thread):
    client = Client()
    assert client.get(f"{forum.url}{thread.pk + 100}-x/").status_code == 404
    assert client.get(f"{forum.url}boards/nope/").status_code == 404


def test_a_wrong_slug_redirects_to_the_canonical_address(forum, thread):
    response = Client().get(f"{forum.url}{thread.pk}-old-title/")
    assert response.status_code == 301
    assert response["Location"] == f"{forum.url}{thread.url_part}"
    assert Client().get(f"{forum.url}{thread.pk}/").status_code == 301


def test_a_deleted_thread_is_gone_for_members_but_moderators_see_it(forum, thread, moderator):
    Thread.objects.filter(pk=thread.pk).update(state=PostState.DELETED)
    assert Client().get(forum.url + thread.url_part).status_code == 404
    assert client_for(moderator).get(forum.url + thread.url_part).status_code == 200


# Bad input -------------------------------------------------------------------------------------


def compose(client, forum, board, **data):
    return client.post(f"{forum.url}new/", {"board": board.pk, "kind": "question",
                                            "action": "post_anyway", **data})


def test_an_empty_post_is_refused_with_a_message(forum, board, asker):
    response = compose(client_for(asker), forum, board, title="Frame too wide", text="   ")
    assert response.status_code == 400
    assert "Please write something first." in response.content.decode()
    assert "Frame too wide" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_huge_post_is_refused_and_kept(forum, board, asker):
    text = "glasses " * 12_500  # 100,000 characters
    response = compose(client_for(asker), forum, board, title="Long story", text=text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please shorten your text to 20000 characters (it has 99999)." in body
    assert text.strip() in body
    assert not Thread.objects.exists()


@pytest.mark.parametrize("title", ["😎🕶️👓", "?!?!...", "---", "\x00\x00"])
def test_a_title_of_only_symbols_is_refused(forum, board, asker, title):
    response = compose(client_for(asker), forum, board, title=title, text="Details here.")
    assert response.status_code == 400
    content = response.content.decode()
    assert ("not only symbols or emoji" in content) or ("give your question a title" in content)


def test_nul_bytes_are_dropped_and_the_post_is_stored(forum, board, asker):
    response = compose(client_for(asker), forum, board, title="Nose\x00 pads", text="Hel\x00lo")
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.title == "Nose pads" and thread.posts.get().source == "Hello"


def test_a_double_submit_makes_one_thread_and_one_reply(forum, board, asker, answerer):
    client = client_for(asker)
    first = compose(client, forum, board, title="Lens coating peels", text="After a year.")
    from django.core.cache import cache

    cache.clear()  # the rate limit would refuse the second: the duplicate check must hold alone
    second = compose(client, forum, board, title="Lens coating peels", text="After a year.")
    assert first["Location"] == second["Location"]
    assert Thread.objects.count() == 1
    thread = Thread.objects.get()
    other = client_for(answerer)
    for _attempt in range(2):
        other.post(f"{forum.url}{thread.pk}/reply/", {"text": "Warranty covers it."})
        cache.clear()
    assert thread.posts.filter(is_question=False).count() == 1


def test_new_threads_are_rate_limited_and_the_text_is_kept(forum, board, asker):
    client = client_for(asker)
    assert compose(client, forum, board, title="First question", text="One").status_code == 302
    response = compose(client, forum, board, title="Second question", text="Two two")
    assert response.status_code == 429
    assert "Two two" in response.content.decode()
    assert Thread.objects.count() == 1


def test_replies_are_rate_limited_and_the_text_is_kept(forum, thread, answerer):
    client = client_for(answerer)
    assert client.post(f"{forum.url}{thread.pk}/reply/", {"text": "One"}).status_code == 302
    response = client.post(f"{forum.url}{thread.pk}/reply/", {"text": "Second thought"})
    assert response.status_code == 429
    assert "Second thought" in response.content.decode()


@pytest.mark.parametrize("state", ["locked", "deleted"])
def test_posting_to_a_closed_thread_explains_and_keeps_the_text(forum, thread, answerer, state):
    changes = {"locked": True} if state == "locked" else {"state": PostState.DELETED}
    Thread.objects.filter(pk=thread.pk).update(**changes)
    response = client_for(answerer).post(f"{forum.url}{thread.pk}/reply/",
                                         {"text": "My careful answer"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "My careful answer" in body
    assert ("locked" in body) if state == "locked" else ("removed" in body)
    assert not Post.objects.filter(source="My careful answer").exists()


def test_quoting_fills_the_reply_box(forum, thread, answerer, asker):
    reply = posting.reply(thread, answerer, "Try softer pads.")
    response = client_for(asker).get(f"{forum.url}{thread.url_part}?quote={reply.pk}")
    assert "&gt; **Ben O.:**\n&gt; Try softer pads." in response.content.decode()


# Untrusted text on the page --------------------------------------------------------------------

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_titles_posts_and_display_names_are_escaped(forum, board, make_member, answerer):
    author = make_member(f"Eve {PAYLOAD}"[:40])
    thread = posting.start_thread(board, author, f"Help {PAYLOAD}", f"Body {PAYLOAD}")
    posting.reply(thread, answerer, PAYLOAD)
    pages = [forum.url, forum.url + thread.url_part, f"{forum.url}members/{author.pk}/"]
    for url in pages:
        body = Client().get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "<img src=x" not in body, url
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>',
                        Client().get(forum.url + thread.url_part).content.decode(), re.S)
    assert json.loads(json_ld.group(1))["mainEntity"]["name"] == f"Help {PAYLOAD}"


def test_a_display_name_cannot_be_an_address_or_taken(forum, asker, answerer):
    client = client_for(asker)
    assert "cannot contain" in client.post(f"{forum.url}profile/",
                                           {"display_name": "me@example.com"}).content.decode()
    assert "taken" in client.post(f"{forum.url}profile/",
                                  {"display_name": "ben o."}).content.decode()
    assert client.post(f"{forum.url}profile/", {"display_name": "Anna"}).status_code == 302
    assert MemberProfile.objects.get(user=asker).display_name == "Anna"


# Search engines -----------------------------------------------------------------------------------


def test_a_question_carries_qapage_markup(forum, thread, asker, answerer, make_member):
    good = posting.reply(thread, answerer, "Ask the optician for softer pads.")
    other = posting.reply(thread, make_member("Carl"), "Bend the pad arms a little.")
    posting.vote(good, asker)
    posting.accept(good, asker)
    hidden = posting.reply(thread, make_member("Dora"), "Hidden spam")
    Post.objects.filter(pk=hidden.pk).update(state=PostState.HIDDEN)
    body = Client().get(forum.url + thread.url_part).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert question["name"] == thread.title and question["answerCount"] == 3
    assert question["author"]["name"] == "Anna K."
    assert question["acceptedAnswer"]["text"] == "Ask the optician for softer pads."
    assert question["acceptedAnswer"]["upvoteCount"] == 1
    assert [a["text"] for a in question["suggestedAnswer"]] == [other.source]
    assert '<link rel="canonical" href="http://testserver' + forum.url + thread.url_part in body


def test_a_discussion_is_a_forum_posting(forum, board, asker, answerer):
    thread = posting.start_thread(board, asker, "Show your frames", "Mine are round.",
                                  kind=Thread.Kind.DISCUSSION)
    posting.reply(thread, answerer, "Cat-eye here.")
    body = Client().get(forum.url + thread.url_part).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Show your frames"
    assert [c["text"] for c in data["comment"]] == ["Cat-eye here."]


def test_forum_moderators_group_exists_with_the_permission(moderator):
    group = Group.objects.get(name="Forum moderators")
    assert group.permissions.filter(codename="moderate_forum").exists()
    assert moderator.has_perm("community.moderate_forum")


def test_a_thread_view_counts_once_per_customer_session(forum, thread, editor):
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    for _again in range(3):
        visitor.get(forum.url + thread.url_part)
    Client(HTTP_USER_AGENT="Googlebot/2.1").get(forum.url + thread.url_part)
    client_for(editor).get(forum.url + thread.url_part, HTTP_USER_AGENT=BROWSER)
    thread.refresh_from_db()
    assert thread.view_count == 1


def test_boards_are_managed_by_editors_in_the_admin(board, editor, admin_only_user, asker):
    url = "/admin/snippets/community/board/"
    assert client_for(editor).get(url).status_code == 200
    assert "Frames &amp; fit" in client_for(editor).get(url).content.decode()
    assert client_for(admin_only_user).get(url).status_code in (302, 403)
    assert client_for(asker).get(url).status_code == 302  # no admin access: to the admin login
