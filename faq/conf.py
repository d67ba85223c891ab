"""Settings of the knowledge base (``HELPCENTER_*``); docs/faq.md describes each one."""

from helpcenter.conf import AppSettings

app_settings = AppSettings(
    "HELPCENTER_",
    {
        # The page models the listings query: set these when you subclass the mixins.
        "ARTICLE_MODEL": "faq.ArticlePage",
        "CATEGORY_MODEL": "faq.CategoryPage",
        # Views lose half their weight in the popularity score after this many days.
        "POPULARITY_HALF_LIFE_DAYS": 30,
        # How many "top questions" the help home shows.
        "HOME_TOP_QUESTIONS": 8,
        # How many recently updated articles the help home shows.
        "HOME_RECENT_ARTICLES": 5,
        # Articles per page on a category page.
        "CATEGORY_PAGE_SIZE": 20,
        # How many related articles an article shows (editor-chosen first, then automatic ones).
        "RELATED_ARTICLES": 5,
        # Votes one address may cast per hour, across all articles.
        "FEEDBACK_RATE_LIMIT_PER_HOUR": 60,
        # Votes that count per article, address and day (visitors behind one address share it).
        "FEEDBACK_VOTES_PER_ADDRESS_PER_DAY": 5,
        # Views that count per article, address and day, whatever the sessions.
        "VIEWS_PER_ADDRESS_PER_DAY": 5,
        # Longest comment a customer may leave with a "No" vote.
        "FEEDBACK_COMMENT_MAX_LENGTH": 2000,
    },
)
