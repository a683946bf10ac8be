"""Django's PostgreSQL backend with a cheaper health check, and one plan per prepared
statement.

With ``CONN_HEALTH_CHECKS``, Django checks a persistent connection at the start of every
request with ``SELECT 1``: a round trip to the server, which on a read served in one or two
statements was a third of its database work. A server that ends a session (restart,
``pg_terminate_backend``, an idle timeout) sends its reason and closes the socket, so an idle
connection with nothing to read has not been ended by the server; only when the socket has
something to read (or the connection is not idle) is the round trip made. go-sql-driver/mysql
checks pooled connections the same way before reuse.

A peer that vanished without closing (a cut cable) is not seen by either check until the
statement's own timeout, as with ``SELECT 1``.

The statements CareDesk prepares (``infra.rows.fetch``; Django's own are never prepared) are
seeks by key whose best plan does not depend on their values. PostgreSQL plans a prepared
statement anew for each run unless its generic plan's estimate is below the custom plans'
average; for a queue page after a cursor the two came close and the generic plan lost, so
every page was planned again, which cost the server more than running it.
``plan_cache_mode = force_generic_plan`` is set on the session when statements are
prepared (``DATABASE_PREPARE=on``).
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def _configure_connection(self, connection: Any) -> bool:
        # Django's hook for a new connection (and its pool's), not in the type stubs.
        commit = bool(super()._configure_connection(connection))  # type: ignore[misc]
        if self.settings_dict["OPTIONS"].get("prepare_threshold") is None:
            return commit
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        return True

    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed:
            return False
        if conn.info.transaction_status == TransactionStatus.IDLE and not _readable(conn.fileno()):
            return True
        return bool(super().is_usable())


def _readable(fd: int) -> bool:
    """Whether the socket ``fd`` has something to read (or its end), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
