"""Fixtures of the contact-form tests, in a plain module so that tests/browser can use them too
(`pytest_plugins = ["tests.contactform.fixtures"]`); tests/contactform/conftest.py imports them."""

import pytest

from contactform.models import ContactPage


@pytest.fixture
def contact_page(help_center):
    """A published contact page below the help center, sending to two team addresses."""
    page = help_center.add_child(
        instance=ContactPage(
            title="Contact us",
            slug="contact",
            recipients="team@klarsicht.example\nsupport@klarsicht.example",
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# A real SMTP server on loopback (aiosmtpd) -----------------------------------------------------


class _Collector:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self, received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(envelope)
        return "250 Message accepted for delivery"


class MailServer:
    """An SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self):
        self.port = _free_port()
        self.envelopes = []
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(
            _Collector(self.envelopes), hostname="127.0.0.1", port=self.port
        )
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        """The received messages, parsed (email.message.EmailMessage)."""
        import email
        from email import policy

        return [
            email.message_from_bytes(
                envelope.original_content.replace(b"\r\n", b"\n"), policy=policy.default
            )
            for envelope in self.envelopes
        ]

    def to(self, address):
        return [
            message
            for envelope, message in zip(self.envelopes, self.messages, strict=True)
            if address in envelope.rcpt_tos
        ]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """Django sends through SMTP to a server on loopback; `.messages` is what it received."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def store_submission(rf):
    """Store a submission the way the contact form does (contactform.submissions.receive)."""
    from contactform.submissions import receive

    def store(page, *, suggestions=(), opened=(), spam_reason="", locale=None, **fields):
        data = {
            "name": "Ann Example",
            "email": "ann@example.com",
            "topic": "",
            "message": "My order has not arrived yet, what can I do?",
        }
        data.update(fields)
        request = rf.post(page.url or "/", HTTP_USER_AGENT="pytest")
        from django.utils import translation

        with translation.override(locale or page.locale.language_code):
            return receive(
                page,
                data,
                request,
                suggestions=list(suggestions),
                opened_answers=list(opened),
                spam_reason=spam_reason,
            )

    return store


@pytest.fixture
def suggestion_for():
    """A real suggestion (search.suggestions.Suggestion) of an article page."""
    from search.service import SearchResult
    from search.suggestions import Suggestion

    def make(article, confidence):
        result = SearchResult(
            title=article.title,
            url=article.url,
            category=article.get_parent().title,
            short_answer=article.short_answer,
            score=1.0,
            relevance=1.0,
            popularity=0.0,
            pk=article.pk,
            model=article._meta.label_lower,
        )
        return Suggestion(result=result, confidence=confidence, source="articles")

    return make
