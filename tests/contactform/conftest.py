import pytest

from .fixtures import (  # noqa: F401 - fixtures, shared with tests/browser
    contact_page,
    mail_server,
    store_submission,
    suggestion_for,
)
from .imap import dovecot, fetch, mailbox  # noqa: F401 - a real IMAP server (Dovecot) on loopback

# The customer's side: a browser's client and the data a filled-in form sends --------------------

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture
def customer():
    """A test client that looks like a browser (no User-Agent counts as a bot)."""
    from django.test import Client

    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def form_data():
    """What the contact form posts: a form shown 30 seconds ago, filled in by a person."""
    import time

    from helpcenter.spam import issue_token

    def make(shown_seconds_ago=30, **fields):
        data = {
            "message": "My order KS-1048273 has not arrived yet. What can I do?",
            "name": "Ann Example",
            "email": "ann@example.com",
            "website": "",
            "token": issue_token(time.time() - shown_seconds_ago),
        }
        data.update(fields)
        return data

    return make


@pytest.fixture
def agent(django_user_model):
    """An agent: a member of Wagtail's Editors group, which may read and answer the inbox."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "agent", "agent@klarsicht.example", "pw", first_name="Mia", last_name="Agent"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user
