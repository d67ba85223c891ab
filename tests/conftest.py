import itertools
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from wagtail.models import Locale, Page, Site

from faq.models import ArticlePage, CategoryPage
from helpcenter.models import HelpCenterPage
from tests.helpers import publish_page

_numbers = itertools.count(1)
TRANSACTIONAL_FIXTURES = {"live_server", "transactional_db"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Transactional tests (browser, concurrency, mail) empty the database when they end. With
    serialized rollback each starts from the data of the migrations (content types, Wagtail's
    groups, our permission grants), whatever order they run in."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        requested = TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ()))
        if (marker and marker.kwargs.get("transaction")) or requested:
            kwargs = {**(marker.kwargs if marker else {})}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _fresh_search_index():
    """Each test starts with an empty Whoosh index of its own."""
    path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    shutil.rmtree(path, ignore_errors=True)
    from haystack import connections

    for alias in connections.connections_info:
        connections[alias].reset_sessions()
    yield
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Requests to /de/ leave German active in the thread: every test starts in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits live in the cache: no test inherits another's counts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    """A member of Wagtail's default Editors group."""
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def admin_only_user(django_user_model):
    """May log into the admin, but is in no group."""
    user = django_user_model.objects.create_user("plain", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def locale_en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def locale_de(db):
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def help_center(locale_en):
    """A published help center as the default site's root page."""
    # Transactional tests flush the tree that Wagtail's migrations create: plant a new root then.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale_en)
    )
    page = root.add_child(
        instance=HelpCenterPage(title="Help Center", slug="help", headline="How can we help?")
    )
    publish_page(page)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": page, "hostname": "localhost", "port": 80}
    )
    return page


@pytest.fixture
def make_category(help_center):
    def make(title="Orders", parent=None, **fields):
        parent = parent or help_center
        page = parent.add_child(
            instance=CategoryPage(title=title, slug=f"cat-{next(_numbers)}", **fields)
        )
        return publish_page(page)

    return make


@pytest.fixture
def make_article(make_category):
    default_category = []

    def make(title=None, category=None, publish=True, **fields):
        if category is None:
            if not default_category:
                default_category.append(make_category())
            category = default_category[0]
        number = next(_numbers)
        fields.setdefault("short_answer", f"Short answer number {number}.")
        page = category.add_child(
            instance=ArticlePage(
                title=title or f"Question {number}?",
                slug=f"article-{number}",
                live=publish,
                **fields,
            )
        )
        return publish_page(page) if publish else page

    return make
