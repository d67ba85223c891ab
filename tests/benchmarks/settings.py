"""Settings of `python -m tests.benchmarks`: the test settings plus the benchmark's forum."""

from example_site.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.forum"]  # noqa: F405

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # The benchmark may run inside the test suite, whose test database is in use.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_benchmark"  # noqa: F405
    }
