"""Counting requests per key in the cache, to slow down whoever repeats an action too
often (the sign-in links sent by e-mail: per address and per client address).

The counter is a cache entry living `window` seconds from its first hit. A cache that
cannot be reached counts nothing: the action is allowed, as a cache outage must not shut
shoppers out (axes still guards the back-office logins in the database)."""

import hashlib

from django.core.cache import cache


def throttle_key(scope: str, value: str) -> str:
    """A cache key for `value` that does not store it in clear (an e-mail address)."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def throttle_allows(key: str, *, limit: int, window: int) -> bool:
    """Count one more hit on `key`; False once more than `limit` hits fell in the window."""
    try:
        hits = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    except ValueError:
        # The entry expired between add and incr, or the cache is unreachable.
        return True
    return hits <= limit
