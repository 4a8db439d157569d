"""A version of the ledger that changes whenever entries are booked, so that figures read
from it (the organisers' dashboards) can be kept in the cache exactly as long as they are
true.

The version changes at once, inside the booking transaction, and again after its commit:
a reader that took the first new version before the commit, and so computed figures
without the new entries, stored them under a version nobody asks for any more. One
version for the whole ledger: a booking needs no query to find its markets, and a
dashboard is read far less often than shoppers pay. While the cache is unreachable there
is no version and the figures are read from the database each time."""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CACHE_KEY = "ledger-version"


def ledger_version() -> str | None:
    """The ledger's current version, or None when the cache cannot keep one."""
    version = cache.get(CACHE_KEY)
    if version is None:
        cache.add(CACHE_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CACHE_KEY)
    return version


def _bump() -> None:
    try:
        cache.set(CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # A cache that failed here keeps an older version: the figures it holds expire on
        # their own (`reports.dashboard_views.FIGURES_SECONDS`).
        logger.exception("The ledger version could not be changed")


def ledger_changed() -> None:
    """Entries are being booked: figures read from the ledger so far are out of date."""
    _bump()
    transaction.on_commit(_bump, robust=True)
