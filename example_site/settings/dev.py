from .base import *

DEBUG = True
SECRET_KEY = "demo-only-insecure-key-change-me"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
