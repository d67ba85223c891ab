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
        # Moderation (docs/community.md, "Moderation"). A new member's first posts that wait
        # for a moderator's approval (0: none).
        "PREMODERATE_FIRST_POSTS": 1,
        # Links a post may hold per trust level before it waits for review.
        "MAX_LINKS_NEW": 2,
        "MAX_LINKS_MEMBER": 10,
        "MAX_LINKS_REGULAR": 25,
        # Posts and new threads a new member may write per day.
        "NEW_MEMBER_POSTS_PER_DAY": 20,
        "NEW_MEMBER_THREADS_PER_DAY": 3,
        # Promotion: approved posts and days since joining, with no upheld flag.
        "MEMBER_MIN_POSTS": 3,
        "MEMBER_MIN_DAYS": 1,
        "REGULAR_MIN_POSTS": 30,
        "REGULAR_MIN_DAYS": 30,
        # Upheld flags count against a member for this many days (each one lowers a level).
        "UPHELD_FLAG_MEMORY_DAYS": 180,
        # Flag weights per trust level and the score that hides a post (like Discourse: three
        # members, or one moderator).
        "FLAG_WEIGHT_NEW": 1,
        "FLAG_WEIGHT_MEMBER": 1,
        "FLAG_WEIGHT_REGULAR": 2,
        "FLAG_WEIGHT_MODERATOR": 3,
        "FLAG_HIDE_SCORE": 3,
        # Flags a member may raise per day.
        "FLAGS_PER_DAY": 10,
        # Staff are reminded by e-mail of queue items waiting longer than this many hours.
        "REVIEW_REMINDER_HOURS": 24,
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
