"""The review queue in the Wagtail admin, per role: every URL and every action.

Roles: anonymous, new member, member, regular (customers without admin access), moderator (the
"Forum moderators" group), editor (Wagtail's Editors), superuser.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from community import flags, posting
from community.models import Flag, Post, PostState
from community.trust import TrustLevel
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "new member", "member", "regular", "moderator", "editor", "superuser"]
MAY_MODERATE = {"moderator", "superuser"}


@pytest.fixture
def user_in_role(make_member, django_user_model):
    def make(role):
        if role == "anonymous":
            return None
        if role == "superuser":
            return django_user_model.objects.create_superuser("root", "root@example.com", "pw")
        levels = {"new member": TrustLevel.NEW, "regular": TrustLevel.REGULAR}
        user = make_member(trust_level=levels.get(role, TrustLevel.MEMBER))
        group = {"moderator": "Forum moderators", "editor": "Editors"}.get(role)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def waiting(board, make_member):
    """A new member's question with three links: it waits in the queue."""
    newcomer = make_member("Nina New", trust_level=TrustLevel.NEW)
    thread = posting.start_thread(board, newcomer, "Three shops for frames",
                                  "https://a.example https://b.example https://c.example")
    return thread.posts.get()


def outcome(response) -> str:
    if response.status_code == 302 and "/login/" in response.url:
        return "login"
    if response.status_code == 403 or (response.status_code == 302
                                       and response.url == reverse("wagtailadmin_home")):
        return "refused"
    return "allowed" if response.status_code in (200, 302) else str(response.status_code)


def expected(role) -> str:
    if role in MAY_MODERATE:
        return "allowed"
    return "refused" if role == "editor" else "login"


@pytest.mark.parametrize("role", ROLES)
def test_every_queue_url_per_role(role, user_in_role, waiting):
    user = user_in_role(role)
    client = client_for(user) if user else Client()
    urls = {
        "queue": reverse("community_moderation:queue"),
        "review": reverse("community_moderation:review", args=[waiting.pk]),
        "member": reverse("community_moderation:member", args=[waiting.author_id]),
    }
    got = {name: outcome(client.get(url)) for name, url in urls.items()}
    assert got == dict.fromkeys(urls, expected(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["approve", "spam", "delete", "reject"])
def test_every_action_per_role(role, action, user_in_role, waiting):
    user = user_in_role(role)
    client = client_for(user) if user else Client()
    response = client.post(reverse("community_moderation:act", args=[waiting.pk]),
                           {"action": action, "reason": "Not for this forum"})
    assert outcome(response) == expected(role)
    state = Post.objects.get(pk=waiting.pk).state
    if role in MAY_MODERATE:
        assert state == {"approve": "approved", "spam": "spam", "delete": "deleted",
                         "reject": "rejected"}[action]
        assert ModelLogEntry.objects.filter(user=user).exists()
    else:
        assert state == PostState.PENDING
        assert not ModelLogEntry.objects.exists()


def test_the_queue_lists_pending_flagged_and_spam_with_the_count_in_the_menu(
    waiting, thread, answerer, make_member, user_in_role
):
    flagged = posting.reply(thread, answerer, "A reply some find rude")
    flags.flag(flagged, make_member(), Flag.Reason.INAPPROPRIATE)
    client = client_for(user_in_role("moderator"))
    page = client.get(reverse("community_moderation:queue")).content.decode()
    assert "Three shops for frames" in page and "A reply some find rude" in page
    assert "Review queue (2)" in client.get(reverse("wagtailadmin_home")).content.decode()
    only_flagged = client.get(reverse("community_moderation:queue"), {"show": "flagged"})
    assert "A reply some find rude" in only_flagged.content.decode()
    assert "Three shops for frames" not in only_flagged.content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Forum review queue" in dashboard
    editor_home = client_for(user_in_role("editor")).get(reverse("wagtailadmin_home"))
    assert "Forum review queue" not in editor_home.content.decode()


def test_review_shows_the_thread_around_the_post(thread, answerer, make_member, user_in_role):
    before = posting.reply(thread, answerer, "An earlier helpful reply")
    newcomer = make_member(trust_level=TrustLevel.NEW)
    waiting = posting.reply(thread, newcomer, "My waiting reply")
    client = client_for(user_in_role("moderator"))
    page = client.get(reverse("community_moderation:review", args=[waiting.pk])).content.decode()
    assert thread.title in page
    assert "They leave marks" in page  # the question
    assert before.source in page and "My waiting reply" in page
    assert 'aria-current="true"' in page


def test_reject_needs_a_reason_and_mails_the_author(waiting, user_in_role,
                                                    django_capture_on_commit_callbacks):
    client = client_for(user_in_role("moderator"))
    url = reverse("community_moderation:act", args=[waiting.pk])
    response = client.post(url, {"action": "reject", "reason": "  "}, follow=True)
    assert "Please give the author a reason" in response.content.decode()
    assert Post.objects.get(pk=waiting.pk).state == PostState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "reason": "Please no shop links."})
    assert Post.objects.get(pk=waiting.pk).state == PostState.REJECTED
    assert "Please no shop links." in mail.outbox[0].body


def test_edit_in_the_admin_keeps_the_earlier_text(waiting, user_in_role):
    client = client_for(user_in_role("moderator"))
    url = reverse("community_moderation:act", args=[waiting.pk])
    client.post(url, {"action": "edit", "text": "Links removed by a moderator."})
    post = Post.objects.get(pk=waiting.pk)
    assert post.source == "Links removed by a moderator."
    assert post.revisions.get().source.startswith("https://a.example")
    empty = client.post(url, {"action": "edit", "text": ""}, follow=True)
    assert "Please write something first." in empty.content.decode()
    assert client.post(url, {"action": "nonsense"}, follow=True).status_code == 200


def test_bulk_actions(board, make_member, user_in_role):
    newcomers = [make_member(trust_level=TrustLevel.NEW) for _ in range(3)]
    posts = [posting.start_thread(board, member, f"Question number {n}", "Text").posts.get()
             for n, member in enumerate(newcomers)]
    client = client_for(user_in_role("moderator"))
    client.post(reverse("community_moderation:bulk"),
                {"action": "approve", "ids": [posts[0].pk, posts[1].pk, "abc", "999999999999"]})
    assert [Post.objects.get(pk=p.pk).state for p in posts] == ["approved", "approved", "pending"]
    nothing = client.post(reverse("community_moderation:bulk"), {"action": "approve"},
                          follow=True)
    assert "Please choose one or more posts." in nothing.content.decode()


def test_member_page_silences_bans_and_shows_the_log(waiting, user_in_role,
                                                     django_capture_on_commit_callbacks):
    client = client_for(user_in_role("moderator"))
    url = reverse("community_moderation:member", args=[waiting.author_id])
    assert "Please tell the member why" in client.post(
        url, {"action": "silence", "days": "3"}, follow=True).content.decode()
    assert "from 1 to 365" in client.post(
        url, {"action": "silence", "days": "9999", "reason": "x"}, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "silence", "days": "3", "reason": "Shop links again"})
    page = client.get(url).content.decode()
    assert "read-only until" in page
    assert "Shop links again" in page  # in the log, with the moderator
    assert "Shop links again" in mail.outbox[0].body
    author = type(waiting.author).objects.get(pk=waiting.author_id)
    with pytest.raises(posting.ForumError):
        posting.reply(waiting.thread, author, "More")
