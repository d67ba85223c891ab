"""Moderators' thread actions: close with a reason, pin, move, merge (301, posts, accepted answer,
followers' signal), mark as duplicate; per role, each in Wagtail's log without personal data."""

import pytest
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.test import Client
from wagtail.models import ModelLogEntry

from community import posting, thread_actions
from community.models import Board, MemberProfile, Post, PostState, Thread
from community.signals import thread_merged
from tests.helpers import client_for

from .fixtures import BROWSER

pytest_plugins = ["tests.contactform.fixtures"]  # mail_server

ROLES = ["anonymous", "member", "moderator", "editor", "superuser"]
LOGIN = "login"


@pytest.fixture
def people(asker, moderator, make_member, editor, django_user_model):
    MemberProfile.objects.create(user=editor, display_name="Edda Editor")
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    return {"member": make_member("Olga"), "moderator": moderator, "editor": editor,
            "superuser": superuser, "asker": asker}


@pytest.fixture
def second_board(forum):
    return Board.objects.create(name="Lenses", slug="lenses", locale=forum.locale, order=2)


@pytest.fixture
def solved(make_thread, answerer, asker):
    thread = make_thread("Nose pads hurt after an hour", "My nose pads press. Any tip?")
    answer = posting.reply(thread, answerer, "Ask the optician to widen the pad arms.")
    posting.accept(answer, asker)
    thread.refresh_from_db()
    return thread


def client_as(role, people):
    if role == "anonymous":
        return Client(HTTP_USER_AGENT=BROWSER)
    client = client_for(people[role])
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


MODERATORS_ONLY = {"anonymous": LOGIN, "member": 403, "moderator": 302, "editor": 403,
                   "superuser": 302}
FORM_FOR_MODERATORS = {**MODERATORS_ONLY, "moderator": 200, "superuser": 200}
CASES = {
    "close form": ("get", "actions/close/", {}, FORM_FOR_MODERATORS),
    "close": ("post", "actions/close/", {"reason": "Answered elsewhere"}, MODERATORS_ONLY),
    "pin": ("post", "actions/pin/", {}, MODERATORS_ONLY),
    "unpin": ("post", "actions/unpin/", {}, MODERATORS_ONLY),
    "move form": ("get", "actions/move/", {}, FORM_FOR_MODERATORS),
    "move": ("post", "actions/move/", {"board": "{board}"}, MODERATORS_ONLY),
    "merge form": ("get", "actions/merge/", {}, FORM_FOR_MODERATORS),
    "merge": ("post", "actions/merge/", {"target": "{other}"}, MODERATORS_ONLY),
    "duplicate form": ("get", "actions/duplicate/", {}, FORM_FOR_MODERATORS),
    "duplicate": ("post", "actions/duplicate/", {"target": "{other}"}, MODERATORS_ONLY),
    "promote form": ("get", "promote/", {}, {**FORM_FOR_MODERATORS, "editor": 200}),
    "promote": ("post", "promote/", {"category": "{category}"},
                {**MODERATORS_ONLY, "editor": 302}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_every_thread_action_for_every_role(case, role, forum, solved, make_thread, people,
                                            second_board, make_category, settings):
    other = make_thread("Nose pads press", "Same here, pads hurt.", author=people["member"])
    category = make_category("Frames")
    method, part, data, expected = CASES[case]
    data = {key: value.format(board=second_board.pk, other=other.pk, category=category.pk)
            for key, value in data.items()}
    response = getattr(client_as(role, people), method)(f"{forum.url}{solved.pk}/{part}", data)
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    else:
        assert response.status_code == expected[role], (case, role)


def test_an_unknown_action_is_404_and_a_button_action_wants_post(forum, thread, moderator):
    client = client_for(moderator)
    assert client.post(f"{forum.url}{thread.pk}/actions/explode/").status_code == 404
    assert client.get(f"{forum.url}{thread.pk}/actions/pin/").status_code == 405


def test_thread_actions_need_a_csrf_token(forum, thread, moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(f"{forum.url}{thread.pk}/actions/close/", {"reason": "Spam"})
    assert response.status_code == 403
    assert not Thread.objects.get(pk=thread.pk).locked


def test_a_closed_thread_shows_why_and_a_reply_keeps_its_text(forum, thread, moderator, answerer):
    client_for(moderator).post(f"{forum.url}{thread.pk}/actions/close/",
                               {"reason": "Answered in the shipping FAQ"})
    page = Client().get(forum.url + thread.url_part).content.decode()
    assert "This thread is closed." in page
    assert "Answered in the shipping FAQ" in page
    response = client_for(answerer).post(f"{forum.url}{thread.pk}/reply/",
                                         {"text": "My long careful answer"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Reason: Answered in the shipping FAQ" in body
    assert "My long careful answer" in body
    assert not Post.objects.filter(source="My long careful answer").exists()


def test_closing_without_a_reason_asks_for_one(forum, thread, moderator):
    response = client_for(moderator).post(f"{forum.url}{thread.pk}/actions/close/", {"reason": ""})
    assert response.status_code == 400
    assert "Please give a reason" in response.content.decode()
    assert not Thread.objects.get(pk=thread.pk).locked


def test_pinned_threads_come_first(forum, make_thread, moderator):
    old = make_thread("Old question about frames", "Older text here.")
    make_thread("Newer question about lenses", "Newer text here.", author=moderator)
    client_for(moderator).post(f"{forum.url}{old.pk}/actions/pin/")
    page = Client().get(forum.url).content.decode()
    assert page.index("Old question about frames") < page.index("Newer question about lenses")


def test_move_to_a_board_of_the_same_language_only(forum, thread, moderator, second_board,
                                                   locale_de):
    german = Board.objects.create(name="Fassungen", slug="fassungen", locale=locale_de)
    client = client_for(moderator)
    refused = client.post(f"{forum.url}{thread.pk}/actions/move/", {"board": german.pk})
    assert refused.status_code == 400
    assert Thread.objects.get(pk=thread.pk).board_id == thread.board_id
    client.post(f"{forum.url}{thread.pk}/actions/move/", {"board": second_board.pk})
    assert Thread.objects.get(pk=thread.pk).board_id == second_board.pk


def test_merge_keeps_posts_and_accepted_answer_and_redirects(forum, solved, make_thread,
                                                             moderator, answerer, make_member):
    target = make_thread("Pads press on my nose", "Pads press, what now?", author=make_member())
    posting.reply(target, answerer, "Try softer pads.")
    moved = set(solved.posts.values_list("pk", flat=True))
    accepted = solved.accepted_post_id
    received = []
    thread_merged.connect(lambda **kwargs: received.append(kwargs), weak=False,
                          dispatch_uid="test-merge")
    try:
        response = client_for(moderator).post(
            f"{forum.url}{solved.pk}/actions/merge/",
            {"target": f"https://localhost{forum.url}{target.url_part}", "reason": "Same question"},
        )
    finally:
        thread_merged.disconnect(dispatch_uid="test-merge")
    assert response.status_code == 302
    target.refresh_from_db()
    assert response["Location"] == forum.url + target.url_part
    assert moved <= set(target.posts.values_list("pk", flat=True))
    assert target.posts.filter(is_question=True).count() == 1
    assert target.accepted_post_id == accepted
    assert target.reply_count == 3  # its reply, the moved question and the moved answer
    assert [(r["source"].pk, r["target"].pk) for r in received] == [(solved.pk, target.pk)]
    old = Client().get(forum.url + solved.url_part)
    assert old.status_code == 301
    assert old["Location"] == forum.url + target.url_part
    landed = Client().get(old["Location"])
    assert "Ask the optician to widen the pad arms." in landed.content.decode()
    assert Client().get(f"{forum.url}{solved.pk}/").status_code == 301
    assert Thread.objects.visible().filter(pk=solved.pk).count() == 0


def test_merge_into_itself_or_an_unknown_thread_is_refused(forum, thread, moderator):
    client = client_for(moderator)
    for target in (str(thread.pk), "999999", "not a thread"):
        response = client.post(f"{forum.url}{thread.pk}/actions/merge/", {"target": target})
        assert response.status_code == 400, target
    assert Thread.objects.get(pk=thread.pk).state == PostState.APPROVED


def test_a_duplicate_of_a_thread_links_to_it_and_is_closed(forum, solved, make_thread, moderator,
                                                           answerer):
    duplicate = make_thread("Pads hurt my nose", "Pads hurt, help.", author=answerer)
    response = client_for(moderator).post(f"{forum.url}{duplicate.pk}/actions/duplicate/",
                                          {"target": str(solved.pk)})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.locked and duplicate.duplicate_of_id == solved.pk
    page = Client().get(forum.url + duplicate.url_part).content.decode()
    assert "This question has been asked before." in page
    assert f'href="{forum.url}{solved.url_part}"' in page
    assert Thread.objects.searchable().filter(pk=duplicate.pk).count() == 0


def test_a_duplicate_of_an_article_links_to_it(forum, thread, moderator, make_article):
    article = make_article("How do I adjust nose pads?")
    client = client_for(moderator)
    unknown = client.post(f"{forum.url}{thread.pk}/actions/duplicate/", {"article": "nope"})
    assert unknown.status_code == 400
    both = client.post(f"{forum.url}{thread.pk}/actions/duplicate/",
                       {"article": str(article.pk), "target": str(thread.pk)})
    assert both.status_code == 400
    client.post(f"{forum.url}{thread.pk}/actions/duplicate/", {"article": article.url})
    thread.refresh_from_db()
    assert thread.duplicate_of_article_id == article.pk
    page = Client().get(forum.url + thread.url_part).content.decode()
    assert f'href="{article.url}"' in page


def test_every_action_is_logged_without_personal_data(forum, solved, make_thread, moderator,
                                                      second_board):
    other = make_thread("Mail me at anna@example.com", "Same here.", author=moderator)
    thread_actions.close(solved, moderator, "Old")
    thread_actions.reopen(solved, moderator)
    thread_actions.pin(solved, moderator)
    thread_actions.move(solved, moderator, second_board)
    thread_actions.mark_duplicate(other, moderator, of_thread=solved, reason="Same")
    entries = ModelLogEntry.objects.filter(object_id__in=[str(solved.pk), str(other.pk)])
    assert sorted(entries.values_list("action", flat=True)) == sorted([
        thread_actions.CLOSE, thread_actions.REOPEN, thread_actions.PIN, thread_actions.MOVE,
        thread_actions.DUPLICATE,
    ])
    assert all(entry.user_id == moderator.pk for entry in entries)
    assert {entry.label for entry in entries} == {f"Thread #{solved.pk}", f"Thread #{other.pk}"}
    closed = entries.get(action=thread_actions.CLOSE)
    assert closed.data["reason"] == "Old"
    assert closed.message == "Thread closed"


def test_a_moderator_without_the_group_cannot_act(forum, thread, make_member):
    member = make_member("Regular")
    with pytest.raises(thread_actions.PermissionDenied):
        thread_actions.close(thread, member, "No")
    member.groups.add(Group.objects.get(name="Forum moderators"))
    member = type(member).objects.get(pk=member.pk)
    assert thread_actions.close(thread, member, "Yes").locked


# The asker is told -----------------------------------------------------------------------------


def test_the_asker_is_told_of_a_merge_by_e_mail(forum, thread, make_thread, moderator,
                                                mail_server, django_capture_on_commit_callbacks):
    target = make_thread("Pads press on my nose", "Same here.", author=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        thread_actions.merge(thread, target, moderator, "Same question")
    [message] = mail_server.to(thread.author.email)
    assert message["Subject"] == "Your question was merged with a similar thread"
    body = message.get_content()
    assert "Hello Anna K.," in body
    assert f"http://localhost{forum.url}{target.url_part}" in body
    assert thread.mails.get().status == "sent"


def test_the_asker_is_told_of_a_duplicate_in_the_thread_language(
        forum, thread, make_article, moderator, mail_server, settings,
        django_capture_on_commit_callbacks):
    article = make_article("How do I adjust nose pads?")
    with django_capture_on_commit_callbacks(execute=True):
        thread_actions.mark_duplicate(thread, moderator, of_article=article,
                                      reason="See the article")
    [message] = mail_server.to(thread.author.email)
    assert message["Subject"] == "Your question has been answered before"
    body = message.get_content()
    assert "“How do I adjust nose pads?”" in body and "See the article" in body
    assert f"http://localhost{article.url}" in body


def test_an_asker_without_an_address_is_recorded_as_not_told(forum, thread, make_thread,
                                                             moderator):
    type(thread.author).objects.filter(pk=thread.author_id).update(email="")
    thread.refresh_from_db()
    thread_actions.mark_duplicate(thread, moderator, of_thread=make_thread("Other", "Text"))
    mail = thread.mails.get()
    assert mail.status == "skipped"
    assert mail.last_error == "No e-mail address."


@pytest.fixture
def german_merge(locale_de, make_member, moderator, mail_server,
                 django_capture_on_commit_callbacks):
    """A German asker's thread merged into another one; returns the mail the asker got."""
    board = Board.objects.create(name="Fassungen", slug="fassungen", locale=locale_de)
    asker = make_member("Jana B.")
    first = posting.start_thread(board, asker, "Bügel drückt", "Der Bügel drückt hinter dem Ohr.")
    second = posting.start_thread(board, moderator, "Bügel drückt am Ohr", "Drückt.")

    def merge():
        with django_capture_on_commit_callbacks(execute=True):
            thread_actions.merge(first, second, moderator)
        [message] = mail_server.to(asker.email)
        return message

    return merge


def test_a_german_asker_is_told_in_german(german_merge):
    message = german_merge()
    subject = message["Subject"].strip()
    assert subject == "Ihre Frage wurde mit einem ähnlichen Thema zusammengeführt"
    assert "Guten Tag Jana B.," in message.get_content()


def test_the_asker_mail_comes_from_the_forums_sender(german_merge, settings):
    settings.HELPCENTER_COMMUNITY_FROM_EMAIL = "Forum <forum@klarsicht.example>"
    assert german_merge()["From"] == "Forum <forum@klarsicht.example>"
