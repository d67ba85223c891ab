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
