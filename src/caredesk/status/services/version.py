"""The status page's version: a number kept in Django's cache and bumped, once the
transaction commits, by every use-case that changes what the page shows (incidents,
advisories, announced maintenance). Pages and answers built from the status tables are
cached under it, so while nothing changes a request costs no database query."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

KEY = "status:version"


def current() -> int:
    """The version now; a cache that lost it starts again from a fresh number (so no page
    cached under an older one is served)."""
    found = cache.get(KEY)
    if found is None:
        cache.add(KEY, 1, timeout=None)
        found = cache.get(KEY, 1)
    return int(found)


def changed() -> None:
    """The status tables changed in the current transaction: bump after it commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not in the cache (evicted or never read): start afresh
        cache.set(KEY, current() + 1, timeout=None)
