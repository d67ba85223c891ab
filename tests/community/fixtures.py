"""Fixtures of the forum tests, shared with tests/browser
(`pytest_plugins = ["tests.community.fixtures"]`); tests/community/conftest.py imports them."""

import itertools

import pytest
from django.contrib.auth.models import Group

from community import posting
from community.models import Board, ForumPage, MemberProfile
from community.trust import TrustLevel

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
_numbers = itertools.count(1)


@pytest.fixture
def forum(help_center):
    """A published forum page below the help center, linked from it."""
    page = help_center.add_child(instance=ForumPage(title="Community", slug="community"))
    page.save_revision().publish()
    page.refresh_from_db()
    help_center.refresh_from_db()
    help_center.community_page = page
    help_center.save_revision().publish()
    return page


@pytest.fixture
def board(forum):
    return Board.objects.create(name="Frames & fit", slug="frames", locale=forum.locale,
                                description="Sizes, nose pads, temples", order=1)


@pytest.fixture
def make_member(django_user_model):
    def make(display_name=None, trust_level=TrustLevel.MEMBER, **fields):
        """An established member by default (no pre-moderation); `trust_level=0` for a new one."""
        number = next(_numbers)
        user = django_user_model.objects.create_user(
            f"member{number}", f"member{number}@example.com", "pw", **fields
        )
        MemberProfile.objects.create(user=user, display_name=display_name or f"Member {number}",
                                     trust_level=trust_level)
        return user

    return make


@pytest.fixture
def asker(make_member):
    return make_member("Anna K.")


@pytest.fixture
def answerer(make_member):
    return make_member("Ben O.")


@pytest.fixture
def moderator(make_member):
    user = make_member("Mod Maria")
    user.groups.add(Group.objects.get(name="Forum moderators"))
    return user


@pytest.fixture
def make_thread(board, asker):
    def make(title="My nose pads press after a week", text="They leave marks. What helps?",
             author=None, **kwargs):
        return posting.start_thread(kwargs.pop("board", board), author or asker, title, text,
                                    **kwargs)

    return make


@pytest.fixture
def thread(make_thread):
    return make_thread()
