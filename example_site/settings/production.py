"""Production settings: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY for production.")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The e-mail channel (docs/contactform.md): `manage.py fetch_mail` from cron reads this mailbox.
if os.environ.get("SERVICE_MAILBOX_HOST"):
    HELPCENTER_CONTACT_MAILBOX = {
        "HOST": os.environ["SERVICE_MAILBOX_HOST"],
        "PORT": int(os.environ.get("SERVICE_MAILBOX_PORT", "993")),
        "SECURITY": os.environ.get("SERVICE_MAILBOX_SECURITY", "ssl"),
        "USER": os.environ.get("SERVICE_MAILBOX_USER", ""),
        "PASSWORD": os.environ.get("SERVICE_MAILBOX_PASSWORD", ""),
        "FOLDER": os.environ.get("SERVICE_MAILBOX_FOLDER", "INBOX"),
        "PAGE": os.environ.get("SERVICE_MAILBOX_PAGE", ""),
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background work runs in a worker (`manage.py db_worker`), never inside a request: index
# updates, notification mail.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
# Mail has its own queue and worker, so index updates never wait behind a slow mail server:
#   manage.py db_worker --queue-name default   (index updates, the single index writer)
#   manage.py db_worker --queue-name mail      (notifications and automatic replies)
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
}
HELPCENTER_MAIL_QUEUE = "mail"

# Rate limits and synonym versions must be shared by every worker process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "helpcenter_cache",
    }
}
