"""Settings of `python -m tests.benchmarks`: the test settings plus the benchmark's forum."""

import os

from example_site.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.forum"]  # noqa: F405

# Tasks wait, as they wait for the worker on a site: posting is timed without index updates,
# which the benchmark applies itself, timed per backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

# Passage vectors outlive the run (keyed by model and text hash): a re-run embeds nothing new.
HELPCENTER_SEARCH_EMBEDDING_CACHE = os.environ.get(
    "HELPCENTER_BENCH_EMBEDDINGS", str(VAR_DIR / "bench-embeddings")  # noqa: F405
)

# Threads of the model (HELPCENTER_BENCH_ENCODER_THREADS, default 1 as on a site).
HELPCENTER_SEARCH_ENCODER_THREADS = int(os.environ.get("HELPCENTER_BENCH_ENCODER_THREADS", "1"))

# The database is a file, so that a second process (a second web worker) can open it.
_database = os.environ.get("HELPCENTER_BENCH_DATABASE", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    if _database:
        DATABASES["default"]["TEST"] = {"NAME": _database}  # noqa: F405
        if os.environ.get("HELPCENTER_BENCH_SECOND_PROCESS"):
            DATABASES["default"]["NAME"] = _database  # noqa: F405
else:
    # The benchmark may run inside the test suite, whose test database is in use.
    _test_name = f"test_{DATABASES['default']['NAME']}_benchmark"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": _test_name}  # noqa: F405
    if os.environ.get("HELPCENTER_BENCH_SECOND_PROCESS"):
        DATABASES["default"]["NAME"] = _test_name  # noqa: F405
