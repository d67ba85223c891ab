"""A mail server that accepts connections and never answers must not hold the worker: delivery
gives up after EMAIL_TIMEOUT and the notification waits for its retry; mail tasks run on their
own queue, apart from index updates."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from contactform import notifications
from helpcenter.models import OutgoingMail

ROOT = Path(__file__).resolve().parents[2]


class SilentMailServer:
    """Accepts TCP connections on loopback and never says a word (no SMTP greeting)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def close(self):
        for connection in self.connections:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent_mail_server(settings):
    server = SilentMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.close()


@pytest.mark.django_db(transaction=True)
def test_a_silent_mail_server_costs_one_timeout_and_the_notification_waits_for_a_retry(
    contact_page, store_submission, silent_mail_server, settings
):
    assert settings.EMAIL_TIMEOUT  # set in base.py: every site built on it is bounded
    settings.EMAIL_TIMEOUT = 1  # shorter here, to keep the test quick
    stored = []
    sender = threading.Thread(target=lambda: stored.append(store_submission(contact_page)))
    sender.start()
    # Far above the timeout: the delivery must end, not wait for the server (it never answers).
    sender.join(timeout=60)

    assert not sender.is_alive()
    assert silent_mail_server.connections  # the worker did reach the server
    notification = OutgoingMail.objects.get(submission=stored[0], kind=notifications.TEAM)
    assert notification.status == OutgoingMail.Status.PENDING
    assert notification.attempts == 1 and notification.next_attempt_at is not None
    assert "timed out" in notification.last_error


@pytest.mark.django_db(transaction=True)
def test_mail_tasks_run_on_their_own_queue(contact_page, store_submission, make_article, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    settings.HELPCENTER_MAIL_QUEUE = "mail"
    from django_tasks import default_task_backend

    default_task_backend.clear()
    make_article("Where is my parcel?")
    store_submission(contact_page)

    queues = {(r.task.name, r.task.queue_name) for r in default_task_backend.results}
    assert ("deliver_mail", "mail") in queues
    assert ("apply_index_queue", "default") in queues
    assert not any(name == "deliver_mail" and queue != "mail" for name, queue in queues)


def test_production_settings_bound_smtp_and_separate_the_mail_queue():
    code = (
        "import example_site.settings.production as p;"
        "print(p.EMAIL_TIMEOUT, p.HELPCENTER_MAIL_QUEUE,"
        " sorted(p.TASKS['default']['QUEUES']))"
    )
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.com"}
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=2)
    assert 0 < int(output[0]) <= 30
    assert output[1] == "mail" and output[2].strip() == "['default', 'mail']"
