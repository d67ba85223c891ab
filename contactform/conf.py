"""Settings of the contact form (``HELPCENTER_CONTACT_*``); docs/contactform.md has them all."""

from helpcenter.conf import AppSettings

app_settings = AppSettings(
    "HELPCENTER_CONTACT_",
    {
        # The page model the contact views and reports use: set it when you subclass the mixin.
        "PAGE_MODEL": "contactform.ContactPage",
        # Longest message a customer may send, in characters.
        "MESSAGE_MAX_LENGTH": 5000,
        # Messages with more links than this are refused with a message the customer can fix.
        "MAX_LINKS": 3,
        # Submissions one address may send per hour; more get a friendly "too many" page.
        "RATE_LIMIT_PER_HOUR": 5,
        # The same message from the same e-mail within this many hours is a duplicate.
        "DUPLICATE_WINDOW_HOURS": 24,
        # Automatic replies one recipient may receive per day, whatever is sent in their name.
        "AUTO_REPLIES_PER_RECIPIENT_PER_DAY": 2,
        # Automatic replies that messages from one IP address may cause per day (any recipients).
        "AUTO_REPLIES_PER_IP_PER_DAY": 5,
        # How many suggested answers the form shows and the automatic reply may include.
        "SUGGESTIONS": 3,
        # Minimum number of words before the form suggests answers.
        "SUGGEST_MIN_WORDS": 3,
        # Delivery attempts of a notification before it is marked failed (the admin can resend).
        "NOTIFICATION_MAX_ATTEMPTS": 6,
        # Seconds before the first retry; doubles on each further attempt.
        "NOTIFICATION_RETRY_BACKOFF_SECONDS": 60,
        # django-tasks queue of the mail tasks. Give mail its own queue and worker so that a slow
        # mail server never holds up index updates (example_site/settings/production.py).
        "MAIL_QUEUE": "default",
        # Sender of notifications and automatic replies; Django's DEFAULT_FROM_EMAIL when None.
        "FROM_EMAIL": None,
        # Reply-To of agents' replies: the mailbox customers answer to (FROM_EMAIL when None).
        "SERVICE_ADDRESS": None,
        # Prefix of conversation reference numbers ("#HC-1042"), shown to customers and in subjects.
        "REFERENCE_PREFIX": "HC",
        # The IMAP mailbox `manage.py fetch_mail` reads (docs/contactform.md, "E-mail channel"):
        # {"HOST", "PORT", "SECURITY": "ssl" | "starttls" | "none", "USER", "PASSWORD",
        # "FOLDER", "PAGE": id of the contact page the mails belong to}. None: no e-mail channel.
        "MAILBOX": None,
        # Mails larger than this (bytes) are not downloaded: their headers are stored with a note.
        "MAIL_MAX_BYTES": 25 * 1024 * 1024,
        # Longest text kept of one mail, in characters; a longer one is shortened with a note.
        "MAIL_MAX_TEXT_LENGTH": 100_000,
        # Attachments larger than this (bytes) are not kept (the conversation notes their names).
        "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        # Runs that may fail to store one mail (it stays unseen and is tried again); then it is
        # kept as it came, as a new conversation with the raw mail attached, and marked seen.
        "MAILBOX_MAX_ATTEMPTS": 5,
        # Seconds an IMAP server may take to answer before the run gives up.
        "MAIL_TIMEOUT": 30,
        # Days submissions are kept before `purge_contact_submissions` deletes them.
        "RETENTION_DAYS": 365,
    },
)
