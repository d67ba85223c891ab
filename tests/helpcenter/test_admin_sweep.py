"""Every admin URL of the suite, found in the URL resolver, per role and with hostile parameters.

A new admin URL of one of our apps fails `test_every_admin_url_has_an_expected_permission`
until it is listed in `REQUIRED` below with the permission that opens it.
"""

import functools
import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from community.members import profile_of
from community.models import Board, Post, Thread, WatchedWord
from contactform.models import Attachment, Contact, SavedReply, Submission
from faq.models import ArticleFeedback, ArticleStats
from helpcenter.models import OutgoingMail
from search.models import LearnedPhrasing, PhrasingStatus, Query, SearchSettings, Synonym
from tests.contactform.fixtures import contact_page, store_submission  # noqa: F401 - fixtures
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SUITE_APPS = {
    config.label for config in apps.get_app_configs() if Path(config.path).parent == ROOT
}
NOBODY = None  # no role opens this URL, not even a superuser



def snippet_urls(app: str, model: str) -> dict[str, str]:
    """The admin URLs of a Wagtail snippet with the permission that opens each."""
    urls = {
        f"wagtailsnippets_{app}_{model}:{name}": f"{app}.{action}_{model}"
        for name, action in [
            ("list", "view"), ("list_results", "view"), ("add", "add"), ("edit", "change"),
            ("delete", "delete"), ("usage", "view"), ("history", "view"),
            ("history_results", "view"), ("copy", "add"),
        ]
    }
    # Wagtail opens choosers to every admin user (to pick a snippet in any editor); synonyms
    # and boards are editorial, not personal data.
    urls.update({
        f"wagtailsnippetchoosers_{app}_{model}:{name}": "wagtailadmin.access_admin"
        for name in ("choose", "choose_results", "chosen", "chosen_multiple")
    })
    urls[f"wagtailsnippetchoosers_{app}_{model}:create"] = f"{app}.add_{model}"
    return urls


# URL name -> the permission that opens it (NOBODY: refused to everyone).
REQUIRED = {
    "faq_reports:popularity": "faq.view_articlestats",
    "faq_reports:popularity_results": "faq.view_articlestats",
    "faq_reports:feedback": "faq.view_articlefeedback",
    "faq_reports:feedback_results": "faq.view_articlefeedback",
    **{
        f"helpcenter_search_admin:{name}{suffix}": "search.view_query"
        for name in ("top_searches", "without_results", "without_clicks", "clicked_results")
        for suffix in ("", "_results")
    },
    "helpcenter_search_admin:query_tester": "search.view_query",
    **{
        f"contactform_reports:{name}{suffix}": "contactform.view_submission"
        for name in ("deflection_rate", "deflecting_articles", "content_gaps")
        for suffix in ("", "_results")
    },
    "contact_messages_modeladmin_index": "contactform.view_submission",
    "contact_messages_modeladmin_inspect": "contactform.view_submission",
    "contact_messages_modeladmin_history": "contactform.view_submission",
    "contact_messages_modeladmin_delete": "contactform.delete_submission",
    "contact_messages_modeladmin_create": NOBODY,
    "contact_messages_modeladmin_edit": NOBODY,
    "contact_contacts_modeladmin_index": "contactform.view_contact",
    "contact_contacts_modeladmin_inspect": "contactform.view_contact",
    "contact_contacts_modeladmin_history": "contactform.view_contact",
    "contact_contacts_modeladmin_delete": "contactform.delete_contact",
    "contact_contacts_modeladmin_create": NOBODY,
    "contact_contacts_modeladmin_edit": NOBODY,
    **snippet_urls("search", "synonym"),
    **snippet_urls("community", "board"),
    **snippet_urls("contactform", "savedreply"),
    **snippet_urls("community", "watchedword"),
    **{
        f"community_moderation:{name}": "community.moderate_forum"
        for name in ("queue", "review", "act", "bulk", "member")
    },
    **{
        name: permission
        for name, permission in snippet_urls("search", "learnedphrasing").items()
        if not name.endswith(":copy")  # learned, not written: no copies ...
    },
    # ... and nobody adds one, not even a superuser.
    "wagtailsnippets_search_learnedphrasing:add": NOBODY,
    "wagtailsnippetchoosers_search_learnedphrasing:create": NOBODY,
    "helpcenter_search_admin:query_visibility": "search.change_query",
    "community_recurring:report": "community.view_recurring_questions",
    "community_recurring:report_results": "community.view_recurring_questions",
    "community_recurring:link": "community.view_recurring_questions",
    "community_recurring:dismiss": "community.view_recurring_questions",
    "community_recurring:duplicates": "community.moderate_forum",
    "helpcenter_admin:outgoing_mail": "helpcenter.view_outgoingmail",
    "helpcenter_admin:outgoing_mail_results": "helpcenter.view_outgoingmail",
    "helpcenter_admin:resend_mail": "helpcenter.change_outgoingmail",
    "contactform_attachment": "contactform.view_submission",
    # Generic admin URLs that serve one of our models.
    "wagtailsettings:edit search searchsettings": "search.change_searchsettings",
}
# URLs that only take a POST (an action): URL name -> the form data of the action.
POSTED = {
    "helpcenter_search_admin:query_visibility": {"hidden": "1"},
    "community_moderation:act": {"action": "approve"},
    "community_moderation:bulk": {"action": "approve", "ids": ["1"]},
    **{f"community_recurring:{name}": {"cluster": "1-2"}
       for name in ("link", "dismiss", "duplicates")},
    "helpcenter_admin:resend_mail": {},
}
EXTRA_URLS = {  # URL name and a description -> its arguments
    "wagtailsettings:edit search searchsettings": lambda: (
        "search",
        "searchsettings",
        SearchSettings.load().pk,
    ),
    "helpcenter_search_admin:query_visibility": lambda: (Query.objects.get().pk,),
    "community_moderation:review": lambda: (Post.objects.get().pk,),
    "community_moderation:act": lambda: (Post.objects.get().pk,),
    "community_moderation:member": lambda: (Post.objects.get().author_id,),
    "helpcenter_admin:resend_mail": lambda: (OutgoingMail.objects.first().pk,),
    "contactform_attachment": lambda: (Attachment.objects.get().pk,),
}


def _patterns(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name, pattern.callback


def _model_and_owner(callback):
    """The model a view serves (if any) and the module that defines it."""
    view = inspect.unwrap(callback)
    model_admin = getattr(view, "__self__", None)
    if model_admin is not None:  # a wagtail-modeladmin view: a bound method of the ModelAdmin
        return model_admin.model, type(model_admin).__module__
    view_class = getattr(view, "view_class", None)
    model = (getattr(view, "view_initkwargs", None) or {}).get("model")
    if isinstance(model, str):
        model = apps.get_model(model)
    return model, view_class.__module__ if view_class else view.__module__


@functools.cache
def suite_admin_urls() -> dict[str, tuple]:
    """URL name -> (model or None, path arguments) for every admin URL of the suite's apps."""
    found = {}
    for route, name, callback in _patterns(get_resolver().url_patterns):
        if not route.lstrip("^").startswith("admin/"):
            continue
        model, module = _model_and_owner(callback)
        owner = model._meta.app_label if model is not None else module.split(".")[0]
        if owner in SUITE_APPS:
            takes_pk = "pk>" in route
            found[name] = (model, takes_pk)
    return found


def url_of(name: str, objects: dict) -> str:
    if name in EXTRA_URLS:
        return reverse(name.split()[0], args=EXTRA_URLS[name]())
    model, takes_pk = suite_admin_urls()[name]
    return reverse(name, args=[objects[model].pk]) if takes_pk else reverse(name)


@pytest.fixture
def objects(contact_page, store_submission, make_article, locale_en,  # noqa: F811 - fixtures
            django_user_model):
    submission = store_submission(contact_page)
    article = make_article()
    board = Board.objects.create(name="Frames", slug="frames", locale=locale_en)
    ArticleStats.objects.get_or_create(page=article)
    ArticleFeedback.objects.create(page=article, helpful=False, comment="Too short")
    query = Query.objects.create(text="brille kaputt", locale="en")
    return {
        Submission: submission,
        Contact: submission.contact,
        Synonym: Synonym.objects.create(locale=locale_en, line="refund, money back"),
        Board: board,
        SavedReply: SavedReply.objects.create(locale=locale_en, title="Hello", text="Hi {name}"),
        Query: query,
        LearnedPhrasing: LearnedPhrasing.objects.create(
            query=query, page=article, status=PhrasingStatus.APPROVED, visitors=3,
            last_seen_at=timezone.now(),
        ),
        WatchedWord: WatchedWord.objects.create(phrase="cheap pills"),
        Post: _waiting_post(board, django_user_model),
        Attachment: Attachment.objects.create(
            submission=submission,
            file=ContentFile(b"receipt", name="receipt.txt"),
            filename="receipt.txt",
            content_type="text/plain",
            size=7,
        ),
    }


def _waiting_post(board, user_model):
    """A new member's question waiting in the review queue."""
    author = user_model.objects.create_user("poster", "poster@example.com", "pw")
    profile_of(author)
    thread = Thread.objects.create(board=board, title="Frames", author=author, state="pending")
    return Post.objects.create(thread=thread, author=author, is_question=True, source="Help",
                               html="<p>Help</p>", state="pending")


PERMISSIONS_OF = {
    "admin_only": ["access_admin"],
    "inbox_reader": ["access_admin", "view_submission"],  # a read-only agent of the inbox
}
ROLES = [
    "anonymous", "logged_in", "admin_only", "inbox_reader", "Editors", "Moderators",
    "Forum moderators", "admin",
]


@pytest.fixture
def role_user(request, django_user_model):
    def make(role):
        if role == "anonymous":
            return None
        if role == "admin":
            return django_user_model.objects.create_superuser("root", "root@example.com", "pw")
        user = django_user_model.objects.create_user(role.lower().replace(" ", "_"), password="pw")
        if role in ("Editors", "Moderators", "Forum moderators"):
            user.groups.add(Group.objects.get(name=role))
        for codename in PERMISSIONS_OF.get(role, []):
            user.user_permissions.add(Permission.objects.get(codename=codename))
        return user

    return make


def outcome(response, posted: bool = False) -> str:
    login = reverse("wagtailadmin_login")
    if response.status_code == 200:
        return "allowed"
    done = response.status_code == 302 and not response.url.startswith(login)
    if posted and done and response.url != reverse("wagtailadmin_home"):
        return "allowed"  # an action redirects to where it was asked from
    if response.status_code == 302 and response.url.startswith(login):
        return "login"
    if response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    ):
        return "refused"
    return f"status {response.status_code}"


def test_every_admin_url_has_an_expected_permission():
    discovered = set(suite_admin_urls())
    assert len(discovered) > 40
    assert discovered | set(EXTRA_URLS) == set(REQUIRED), (
        "list new admin URLs in REQUIRED with the permission that opens them"
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_admin_urls_its_permissions_open(role, role_user, objects):
    user = role_user(role)
    client = client_for(user) if user else Client()
    wrong = {}
    for name, permission in sorted(REQUIRED.items()):
        if user is None or not user.has_perm("wagtailadmin.access_admin"):
            expected = "login"
        elif permission is not NOBODY and user.has_perm(permission):
            expected = "allowed"
        else:
            expected = "refused"
        url = url_of(name, objects)
        if name in POSTED:
            got = outcome(client.post(url, POSTED[name]), posted=True)
        else:
            got = outcome(client.get(url))
        if got != expected:
            wrong[name] = f"expected {expected}, got {got}"
    assert wrong == {}


# Actions POSTed to a page that everyone with the view permission may read: URL name -> the
# form data and the permission the action needs.
ACTIONS = {
    "contact_messages_modeladmin_inspect": (
        {"action": "compose", "body": "Checked the order.", "note": "1"},
        "contactform.change_submission",
    ),
    "contact_contacts_modeladmin_inspect": (
        {"email": "nobody@example.com", "confirm": "on"},
        "contactform.change_contact",
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_post_exactly_the_actions_its_permissions_open(role, role_user, objects):
    user = role_user(role)
    client = client_for(user) if user else Client()
    wrong = {}
    for name, (data, permission) in ACTIONS.items():
        if user is None or not user.has_perm("wagtailadmin.access_admin"):
            expected = "login"
        else:
            expected = "allowed" if user.has_perm(permission) else "refused"
        got = outcome(client.post(url_of(name, objects), data), posted=True)
        if got != expected:
            wrong[name] = f"expected {expected}, got {got}"
    assert wrong == {}


def test_the_roles_differ_where_the_issue_found_leaks(role_user, objects):
    """The findings of the audit, spelled out: history needs the view permission."""
    contact_history = url_of("contact_contacts_modeladmin_history", objects)
    message_history = url_of("contact_messages_modeladmin_history", objects)
    admin_only = client_for(role_user("admin_only"))
    assert outcome(admin_only.get(contact_history)) == "refused"
    assert outcome(admin_only.get(message_history)) == "refused"
    reader = client_for(role_user("inbox_reader"))
    assert outcome(reader.get(message_history)) == "allowed"
    assert outcome(reader.get(contact_history)) == "refused"


# Hostile parameters: never a server error ------------------------------------------------------

HOSTILE_PKS = ["abc", "0", "-1", "99999999999999999999", "1e5"]
HOSTILE_QUERIES = [
    {"page": "2"},
    {"p": "2"},
    {"p": "99999999999999999999"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"locale": "zz"},
    {"status": "zz"},
    {"topic": "\x00"},
    {"page": "x", "o": "99", "ot": "up"},
    {"ordering": "-nope"},
    {"date_from": "31.02.2026", "date_to": "yesterday"},
    {"created_at__gte": "not-a-date"},
    {"source": "nope", "all": "1"},
    {"id": ["abc", "99999999999999999999"]},
    {"q": " ".join(f"word{n}" for n in range(2000))},
    {"q": "x" * 20000},
    {"export": "csv", "locale": "zz"},
]


@pytest.fixture
def superuser_client(django_user_model):
    client = client_for(
        django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    )
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("params", HOSTILE_QUERIES, ids=lambda params: ",".join(params))
def test_no_admin_url_of_the_suite_fails_on_hostile_parameters(superuser_client, objects, params):
    failures = {}
    for name in sorted(REQUIRED):
        response = superuser_client.get(url_of(name, objects), params)
        if response.status_code >= 500:
            failures[name] = response.status_code
    assert failures == {}


def test_malformed_or_unknown_ids_are_not_found(superuser_client, objects):
    failures = {}
    for name, (_model, takes_pk) in suite_admin_urls().items():
        if not takes_pk:
            continue
        for pk in HOSTILE_PKS:
            try:
                url = reverse(name, args=[pk])
            except Exception:  # noqa: BLE001, S112 - the URL pattern refuses this id itself
                continue
            if name in POSTED:
                status = superuser_client.post(url, POSTED[name]).status_code
            else:
                status = superuser_client.get(url).status_code
            if status not in (302, 404):
                failures[f"{name} {pk}"] = status
    assert failures == {}
