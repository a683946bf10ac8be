"""Django's PostgreSQL backend with a cheaper health check.

With ``CONN_HEALTH_CHECKS``, Django checks a persistent connection at the start of every
request with ``SELECT 1``: a round trip to the server, which on a read served in one or two
statements was a third of its database work. A server that ends a session (restart,
``pg_terminate_backend``, an idle timeout) sends its reason and closes the socket, so an idle
connection with nothing to read has not been ended by the server; only when the socket has
something to read (or the connection is not idle) is the round trip made. go-sql-driver/mysql
checks pooled connections the same way before reuse.

A peer that vanished without closing (a cut cable) is not seen by either check until the
statement's own timeout, as with ``SELECT 1``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
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
