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
        # The recurring questions report compares the newest RECURRING_MAX_THREADS open
        # questions of the last RECURRING_DAYS days, shows at most RECURRING_MAX_CLUSTERS
        # clusters and keeps its result RECURRING_CACHE_SECONDS.
        "RECURRING_DAYS": 180,
        "RECURRING_MAX_THREADS": 300,
        "RECURRING_MAX_CLUSTERS": 50,
        "RECURRING_CACHE_SECONDS": 600,
        # How similar two questions must be to share a cluster: cosine of their passage
        # vectors (semantic search on), or token set ratio of their words (0..1, off).
        "RECURRING_SEMANTIC_THRESHOLD": 0.88,
        "RECURRING_LEXICAL_THRESHOLD": 0.65,
    },
)
