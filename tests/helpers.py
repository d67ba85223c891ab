from django.test import Client


def publish_page(page):
    """Publish a page's current state as a revision and return it fresh from the database."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def client_for(user) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def run_concurrently(work, threads: int) -> list[str]:
    """Run `work(number)` in `threads` threads started together; return the errors they raised.

    Each thread closes its database connection, as a request would.
    """
    import threading

    from django.db import close_old_connections, connection

    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def worker(number):
        try:
            barrier.wait()
            work(number)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    started = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors


def run_check(tmp_path, settings_tail: str, *extra_path):
    """`django-admin check` in a new process, on the test settings plus `settings_tail`.

    For settings read while Django starts (INSTALLED_APPS, HAYSTACK_CONNECTIONS), which
    override_settings cannot change. `extra_path` folders come first on the import path.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    (tmp_path / "check_settings.py").write_text(
        "from example_site.settings.test import *  # noqa\n" + settings_tail
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "check_settings"}
    env["PYTHONPATH"] = os.pathsep.join([*map(str, extra_path), str(tmp_path), str(repo)])
    return subprocess.run(
        [sys.executable, "-c", _CHECK_AS_INSTALLED], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120,
    )


# The development virtualenv's editable install adds an import finder that serves this
# repository's modules even where another package of the same name comes first on the path (a
# project's own `search` would seem to have `search.registry`); a site that installed the wheel
# has no such finder, so the check runs without it.
_CHECK_AS_INSTALLED = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path
                    if not getattr(f, "__module__", "").startswith("__editable__")]
from django.core.management import execute_from_command_line
execute_from_command_line(["django-admin", "check"])
"""
