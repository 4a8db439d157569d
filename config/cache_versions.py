"""Versions naming a family of cache entries: an entry's key carries the version it was built
under, so renewing the version makes every older entry unreachable at once, in every process,
without knowing their keys. Versions are random, never counted, so that one lost from the
cache (evicted, or Redis restarted) cannot come back and revive what it named.

A version is renewed at once and again when the transaction commits: a page read during the
write cannot then keep the old state under the new version.
"""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

# What a market's catalogue offers to filter on: products, categories, vendors, participations.
CATALOGUE = "catalogue"


def _key(name: str) -> str:
    return f"cache-version:{name}"


def cache_version(name: str) -> str:
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), uuid4().hex, None)
        version = cache.get(_key(name)) or ""
    return version


def cache_version_renew(name: str) -> None:
    _renew(name)
    transaction.on_commit(lambda: _renew(name))


def _renew(name: str) -> None:
    cache.set(_key(name), uuid4().hex, None)
