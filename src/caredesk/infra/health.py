"""Whether this process can serve: the database answers."""

from __future__ import annotations

from django.db import connection


def database_answers() -> bool:
    """One round trip to the default database; an error propagates (the caller's 500 and
    log say why)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return row is not None and tuple(row) == (1,)
