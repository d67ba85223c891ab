"""Settings of `python -m tests.benchmarks`: the test settings plus the benchmark's forum."""

from example_site.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.forum"]  # noqa: F405
