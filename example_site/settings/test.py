import os
import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.backends.whoosh.HelpWhooshEngine",
        "PATH": os.path.join(tempfile.gettempdir(), f"helpcenter-test-index-{os.getpid()}"),
    }
}
# Shared by test runs and processes: an index build embeds only texts no run has embedded.
HELPCENTER_SEARCH_EMBEDDING_CACHE = os.path.join(
    tempfile.gettempdir(), "helpcenter-test-embeddings"
)
# Results must not depend on how busy the test machine is (the deadline has its own test).
HELPCENTER_SEARCH_ENCODER_DEADLINE_MS = 10_000
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that threads in concurrency tests share it the way processes would.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"helpcenter-test-{os.getpid()}.sqlite3")
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
