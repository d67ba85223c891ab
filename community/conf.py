"""Settings of the community forum (``HELPCENTER_COMMUNITY_*``); docs/community.md has them all."""

from helpcenter.conf import AppSettings

app_settings = AppSettings(
    "HELPCENTER_COMMUNITY_",
    {
        # The page model the forum's views and links use: set it when you subclass the mixin.
        "PAGE_MODEL": "community.ForumPage",
        # Threads per page of a thread list.
        "THREADS_PER_PAGE": 25,
        # Replies per page of a thread.
        "REPLIES_PER_PAGE": 20,
        # Longest title and post, in characters.
        "TITLE_MAX_LENGTH": 150,
        "POST_MAX_LENGTH": 20000,
        # Seconds a member must wait between two new threads, and between two replies.
        "THREAD_INTERVAL_SECONDS": 15,
        "REPLY_INTERVAL_SECONDS": 5,
        # The same text from the same member within this many seconds is a double submit.
        "DUPLICATE_WINDOW_SECONDS": 600,
        # How many similar threads and articles the composer suggests.
        "SUGGESTIONS": 5,
        # Unsolved threads rank this much lower than solved ones in the help search (0..1).
        "UNSOLVED_SEARCH_WEIGHT": 0.8,
        # Sender of the forum's notification mails; Django's DEFAULT_FROM_EMAIL when None.
        "FROM_EMAIL": None,
        # Unsolved threads older than this many months rank lower still in the help search
        # (their scores are multiplied by STALE_SEARCH_WEIGHT); 0 turns it off.
        "STALE_AFTER_MONTHS": 12,
        "STALE_SEARCH_WEIGHT": 0.5,
        # When a member deletes their account: "keep" their posts as "former member", or
        # "remove" them.
        "DELETED_MEMBER_POSTS": "keep",
    },
)
