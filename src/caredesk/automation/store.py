"""The automation app's hand-written SQL and every branch on the database vendor.

Invariant: a claim (pending timers, due outbox rows) locks what it returns until the
caller's transaction ends and passes over rows another transaction holds: on PostgreSQL it
is ``SELECT ... FOR UPDATE SKIP LOCKED``, so workers side by side share the work and each
row goes to one of them; on SQLite, which has no row locks, the same statement without the
clause, and its transactions take the write lock when they begin (``IMMEDIATE`` in the
settings), so one writer claims at a time. Writes are idempotent where they may repeat
(``ON CONFLICT DO NOTHING`` on the row's key). Reads give what the ORM would (``infra.rows``
builds instances with its converters, so instants are aware UTC). Every statement runs in
the caller's transaction and opens none of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from caredesk.automation.models import Outbox, Timer, WebhookSubscription
from caredesk.infra.rows import Columns, Insert, fetch, placeholders

# -- timers ---------------------------------------------------------------------------


def claim_timers(now: datetime, batch: int) -> list[Timer]:
    """Pending timers due by ``now``, oldest first, locked for this transaction (others
    skip them), each with its case (the case is read, not locked)."""
    return list(
        Timer.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case")
        .filter(due_at__lte=now)
        .order_by("due_at", "id")[:batch]
    )


# A timer whose key is pending already is left as it is (scheduling again is idempotent).
_INSERT_TIMERS = Insert(Timer, ignore_conflicts=True)


def insert_timers(timers: list[Timer]) -> None:
    """Write new pending timers in one statement; a key pending already is skipped."""
    _INSERT_TIMERS(timers)


# -- the outbox -------------------------------------------------------------------------


def claim_outbox(now: datetime, limit: int, channel: str) -> list[Outbox]:
    """Up to ``limit`` pending rows of ``channel`` due by ``now``, in order, locked for this
    transaction (others skip them)."""
    return list(
        Outbox.objects.select_for_update(skip_locked=True)
        .filter(state=Outbox.State.PENDING, next_attempt_at__lte=now, channel=channel)
        .order_by("next_attempt_at", "id")[:limit]
    )


def relax_commit() -> None:
    """Inside a transaction of the outbox's own bookkeeping: commit without waiting for the
    WAL flush. Losing such a commit in a server crash only means a row is delivered again,
    which the idempotency key makes harmless; waiting for it would cost a flush per row.
    SQLite has no such setting (its ``synchronous`` is set per connection)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# -- webhook subscriptions --------------------------------------------------------------

# Every event appended asks this (opening a case among them): written once (``infra.rows``).
_SUBSCRIPTION = Columns(WebhookSubscription, "w")
_SUBSCRIPTIONS_SQL = (
    f"SELECT {_SUBSCRIPTION.sql} FROM {_SUBSCRIPTION.table}"
    " WHERE w.active AND w.organisation_id IN "
)


def active_subscriptions(org_ids: Iterable[int]) -> dict[int, list[WebhookSubscription]]:
    """The active subscriptions of these organisations, by organisation, in the order they
    were made, in one query."""
    by_org: dict[int, list[WebhookSubscription]] = {}
    ids = sorted(set(org_ids))
    if not ids:
        return by_org
    for row in fetch(f"{_SUBSCRIPTIONS_SQL}({placeholders(ids)}) ORDER BY w.id", ids):
        sub = _SUBSCRIPTION.build(row)
        assert sub is not None
        by_org.setdefault(sub.organisation_id, []).append(sub)
    return by_org
