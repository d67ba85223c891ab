"""A real IMAP server on loopback for the e-mail channel's tests: Debian's Dovecot
(dovecot-imapd), started with a configuration of its own in a temporary folder (static password,
Maildir per user, a free port). One server per test session; each test gets a mailbox of its own
(a new user name), so tests never see each other's mail."""

import getpass
import grp
import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from io import StringIO
from pathlib import Path

import pytest

PASSWORD = "mailbox-secret"  # noqa: S105 - a throwaway test server's static password
_users = itertools.count(1)

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


class Dovecot:
    """Dovecot running in the foreground as a child of the test process."""

    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.process = None

    def start(self):
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(binary):
            pytest.fail("Dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)")
        if os.geteuid() == 0:
            # Dovecot refuses to log in or keep mail as root: use the package's own users.
            login, internal = "dovenull", "dovecot"
            mail_user = pwd.getpwnam(internal)
        else:
            login = internal = getpass.getuser()
            mail_user = pwd.getpwuid(os.geteuid())
        for folder in ("mail", "home"):
            (self.root / folder).mkdir(parents=True)
            os.chown(self.root / folder, mail_user.pw_uid, mail_user.pw_gid)
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                internal_user=internal,
                internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
                login_user=login,
                password=PASSWORD,
                uid=mail_user.pw_uid,
                gid=mail_user.pw_gid,
                port=self.port,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Dovecot did not start: {self.process.stderr.read().decode()}")
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as probe:
                    probe.noop()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"Dovecot did not answer on port {self.port}: {self.log()}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""


class Mailbox:
    """One user's INBOX on the server: put mail in, look at its flags."""

    def __init__(self, server: Dovecot, user: str):
        self.server = server
        self.user = user

    def setting(self, page, **extra) -> dict:
        """A HELPCENTER_CONTACT_MAILBOX value for this mailbox, tied to `page`."""
        value = {
            "HOST": "127.0.0.1",
            "PORT": self.server.port,
            "SECURITY": "none",
            "USER": self.user,
            "PASSWORD": PASSWORD,
            "FOLDER": "INBOX",
            "PAGE": page.pk,
        }
        value.update(extra)
        return value

    def connect(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.server.port, timeout=10)
        imap.login(self.user, PASSWORD)
        imap.select("INBOX")
        return imap

    def append(self, *messages: bytes) -> None:
        with self.connect() as imap:
            for message in messages:
                status, detail = imap.append("INBOX", None, None, message)
                assert status == "OK", detail

    def count(self, criterion: str = "ALL") -> int:
        with self.connect() as imap:
            _status, data = imap.uid("SEARCH", None, criterion)
            return len((data[0] or b"").split())


def mail(
    body="My order KS-1048 has not arrived yet. What can I do?",
    *,
    sender="Ann Example <ann@example.com>",
    subject="Where is my order?",
    **headers,
) -> bytes:
    """A customer's e-mail as it arrives (headers given as `In_Reply_To=...`)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "service@klarsicht.example"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("Message_ID", None) or make_msgid(domain="mail.example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def dovecot():
    root = Path(tempfile.mkdtemp(prefix="helpcenter-dovecot-"))
    root.chmod(0o755)  # Dovecot's own users read their mail below it
    server = Dovecot(root)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(dovecot, contact_page, settings):
    """An empty IMAP mailbox of its own, set as HELPCENTER_CONTACT_MAILBOX for `contact_page`."""
    box = Mailbox(dovecot, f"service{next(_users)}-{os.getpid()}")
    settings.HELPCENTER_CONTACT_MAILBOX = box.setting(contact_page)
    return box


@pytest.fixture
def fetch(django_capture_on_commit_callbacks):
    """fetch_mail as cron runs it (what follows its commits, the e-mails, included); returns
    what it printed (stdout and stderr)."""
    from django.core.management import call_command

    def run():
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("fetch_mail", stdout=out, stderr=out)
        return out.getvalue()

    return run
