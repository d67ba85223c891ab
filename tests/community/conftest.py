from tests.contactform.fixtures import mail_server  # noqa: F401, E402 - the loopback SMTP server

from .fixtures import (  # noqa: F401 - fixtures, shared with tests/browser
    BROWSER,
    answerer,
    asker,
    board,
    forum,
    make_member,
    make_thread,
    moderator,
    thread,
)
