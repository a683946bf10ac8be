"""Hand-written SELECTs that still give model instances, and INSERTs of model instances.

The hottest reads (the token behind every API request, a case with its clocks) cost more to
*compile* as querysets than to run: Django builds the SQL anew for every call. Their SQL is
written once here instead, and each row becomes instances through ``Model.from_db`` with the
same converters the ORM would apply, so the rest of the code cannot tell the difference.
The same holds for the few rows a new case is written with (``Insert``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from psycopg.types.datetime import TimestamptzLoader

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


class Columns(Generic[M]):
    """The concrete columns of ``model`` (all, or those named in ``only``) under the table
    alias ``alias``; the primary key is always among them."""

    def __init__(self, model: type[M], alias: str, only: Sequence[str] = ()) -> None:
        self.model = model
        self.alias = alias
        pk = model._meta.pk.name
        self.fields = tuple(
            f
            for f in model._meta.concrete_fields
            if not only or f.name in only or f.attname in only or f.name == pk
        )
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self.sql = ", ".join(f'{alias}."{f.column}"' for f in self.fields)
        self.table = f'"{model._meta.db_table}" {alias}'
        self._pk = self.attnames.index(model._meta.pk.attname)
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}

    def converters(self, conn: BaseDatabaseWrapper) -> list[tuple[int, list[Converter], Any]]:
        """The converters the ORM would apply to each column, found once per backend."""
        found = self._converters.get(conn.vendor)
        if found is None:
            found = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                convs = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
                if convs:
                    found.append((i, convs, col))
            self._converters[conn.vendor] = found
        return found

    def values(self, rows: Sequence[Sequence[Any]], start: int = 0) -> list[list[Any]]:
        """Each row's converted values in ``row[start:start + width]``, in ``attnames``
        order."""
        conn = connections[DEFAULT_DB_ALIAS]
        converters = self.converters(conn)
        end = start + self.width
        found = []
        for row in rows:
            values = list(row[start:end])
            for i, convs, col in converters:
                for conv in convs:
                    values[i] = conv(values[i], col, conn)
            found.append(values)
        return found

    def build(self, row: Sequence[Any], start: int = 0) -> M | None:
        """The instance in ``row[start:start + width]`` (unselected fields load when read);
        ``None`` for an outer join's miss."""
        if row[start + self._pk] is None:
            return None
        (values,) = self.values([row], start)
        if pre_init.receivers or post_init.receivers:
            return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, values)
        # What ``from_db`` leaves behind when nobody listens to its signals, without
        # ``Model.__init__``'s walk over every field (a request builds about ten): the
        # values in the instance's dict, where the fields' descriptors keep them.
        obj = self.model.__new__(self.model)
        obj.__dict__.update(zip(self.attnames, values, strict=True))
        state = obj._state = ModelState()
        state.adding = False
        state.db = DEFAULT_DB_ALIAS
        return obj


def fetch(sql: str, params: Sequence[Any], *, rows: bool = True) -> list[tuple[Any, ...]]:
    """Run one of these statements (``rows=False``: one that returns none). On PostgreSQL
    its plan is prepared once per connection (planning these wide joins cost the server
    more than running them), and instants are loaded by psycopg's compiled loader."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if rows else []
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Django's own cursors bind parameters on the client and never prepare; this one binds
    # on the server, and the connection prepares what it runs (settings: ``prepare_threshold``).
    from django.db.backends.postgresql.base import ServerBindingCursor

    raw: Any = ServerBindingCursor(connection.connection)  # type: ignore[call-arg]
    if connection.timezone_name == "UTC":
        # Django loads each timestamptz through a Python subclass of psycopg's loader (to
        # give a database's own TIME_ZONE), several microseconds a value; in UTC, psycopg's
        # compiled loader gives the same aware instants.
        raw.adapters.register_loader("timestamptz", TimestamptzLoader)
    wrap: Any = connection._prepare_cursor  # type: ignore[attr-defined]
    with wrap(raw) as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if rows else []


class Insert(Generic[M]):
    """INSERT of instances of ``model``, the statement written once per row count
    (``save`` and ``bulk_create`` compile it anew on every call, which cost more than
    running it for the handful of rows a new case is written with), run through ``fetch``.

    Each field prepares its value as the ORM does (``pre_save``, then ``get_db_prep_save``,
    after the ORM's own check of related instances); new primary keys are read back with
    ``RETURNING``, or, with ``ignore_conflicts``, rows whose unique key exists are skipped
    (``ON CONFLICT DO NOTHING``, as ``bulk_create(ignore_conflicts=True)``; no keys are read
    back). ``with_pk``: the instances carry their primary key (reserved by the caller).
    """

    def __init__(
        self, model: type[M], *, ignore_conflicts: bool = False, with_pk: bool = False
    ) -> None:
        meta = model._meta
        self.model = model
        self.ignore_conflicts = ignore_conflicts
        self._pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if with_pk or f is not meta.pk]
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        self._head = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES '
        self._row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._tail = (
            " ON CONFLICT DO NOTHING" if ignore_conflicts else f' RETURNING "{meta.pk.column}"'
        )
        self._sql: dict[int, str] = {}

    def sql(self, count: int) -> str:
        found = self._sql.get(count)
        if found is None:
            found = self._sql[count] = self._head + ", ".join([self._row] * count) + self._tail
        return found

    def __call__(self, objs: Sequence[M]) -> list[M]:
        """Write ``objs`` (in the caller's transaction); returns them, saved."""
        if not objs:
            return []
        conn = connections[DEFAULT_DB_ALIAS]
        if not self.ignore_conflicts and not conn.features.can_return_rows_from_bulk_insert:
            return self.model._base_manager.bulk_create(objs)  # old SQLite: no RETURNING
        params: list[Any] = []
        for obj in objs:
            # The ORM's own check that related instances are saved (and their ids taken).
            obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
            params.extend(f.get_db_prep_save(f.pre_save(obj, True), conn) for f in self.fields)
        rows = fetch(self.sql(len(objs)), params, rows=not self.ignore_conflicts)
        if not self.ignore_conflicts:
            for obj, (pk,) in zip(objs, rows, strict=True):
                setattr(obj, self._pk.attname, pk)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = DEFAULT_DB_ALIAS
        return list(objs)


def placeholders(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def among(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """``column`` is one of ``values`` (not empty), as SQL and its parameters. PostgreSQL
    gets one array parameter: a single prepared statement for every length, bound as one
    value instead of fifty; SQLite, which has no arrays, a list of parameters."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({placeholders(values)})", list(values)
