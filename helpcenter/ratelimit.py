"""A fixed-window rate limit on Django's cache, shared by every public form of the suite."""

import time

from django.core.cache import cache

from .visitors import pseudonym


def allow(scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `identity` in `scope`; False once `limit` fall in one window."""
    window = int(time.time() // window_seconds)
    key = f"helpcenter:rl:{scope}:{pseudonym(identity)}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds + 1)
        return True
    return count <= limit
