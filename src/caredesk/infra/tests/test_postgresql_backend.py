"""CareDesk's PostgreSQL backend: the health check makes no round trip while the server
has said nothing, and a real check (and a new connection) once the server has ended the
session; a session that prepares statements keeps their generic plans."""

from __future__ import annotations

import select
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = pytest.mark.django_db(transaction=True)  # an idle connection, no transaction


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connection checks")
    assert getattr(connection, "health_check_enabled")  # noqa: B009 (not in the stubs)


def check() -> None:
    """What Django does at a request's first statement."""
    setattr(connection, "health_check_done", False)  # noqa: B010 (not in the stubs)
    connection.close_if_health_check_failed()


def test_an_idle_connection_the_server_has_not_ended_is_kept_without_a_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection.ensure_connection()
    kept = connection.connection

    def select_one(self: Any) -> bool:
        raise AssertionError("the health check ran SELECT 1 on a healthy idle connection")

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", select_one)
    check()
    assert connection.connection is kept


def test_a_connection_the_server_ended_is_closed_and_the_next_statement_reconnects() -> None:
    connection.ensure_connection()
    ended = connection.connection
    pid = ended.info.backend_pid
    with raw_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server sends its reason and closes the socket; wait for that (not for a time).
    readable, _, _ = select.select([ended.fileno()], [], [], 10)
    assert readable
    check()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_inside_a_transaction_gets_djangos_own_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection.ensure_connection()
    calls: list[str] = []

    def select_one(self: Any) -> bool:
        calls.append("SELECT 1")
        return True

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", select_one)
    connection.connection.execute("BEGIN")
    try:
        check()
    finally:
        connection.connection.execute("ROLLBACK")
    assert calls == ["SELECT 1"]


def raw_connection() -> psycopg.Connection[Any]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


@pytest.mark.parametrize(("prepare_threshold", "mode"), [(0, "force_generic_plan"), (None, "auto")])
def test_a_session_keeps_its_statements_generic_plans_when_it_prepares_them(
    monkeypatch: pytest.MonkeyPatch, prepare_threshold: int | None, mode: str
) -> None:
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", prepare_threshold)
    with raw_connection() as raw:
        connection._configure_connection(raw)  # type: ignore[attr-defined]
        assert raw.execute("SHOW plan_cache_mode").fetchone() == (mode,)
