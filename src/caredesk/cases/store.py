"""The cases app's hand-written SQL, and every database-vendor branch of the app.

Invariant: each statement here reads or writes exactly what the ORM path would (where both
exist, the ORM path is the tested reference and a test compares them); reads of a
tenant's data take the caller's organisation scope (``org_ids``: ``None`` is Care's, every
organisation); instants go in and come out timezone-aware UTC (SQLite's naive text is made
aware on the way out); every write runs inside the caller's transaction. The SQL is
written once because these are the hottest paths (a case read, a list page, opening a case,
appending events, a bulk recompute), where compiling a queryset costs more than running it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from caredesk.accounts.models import Organisation
from caredesk.cases.keyset import Order
from caredesk.cases.models import CLOCK_COLUMNS, NEVER, Case, CaseEvent, ClockRow, SlaClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Metric
from caredesk.infra.rows import Columns, Insert, among, fetch, placeholders

# -- one case ---------------------------------------------------------------------------------

_CASE = Columns(Case, "c")
_CASE_ORG = Columns(Organisation, "o")
_CLOCK = Columns(SlaClock, "k")
_READ_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}, {_CLOCK.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id"
    f" LEFT JOIN {_CLOCK.table} ON k.case_id = c.id WHERE c.id = %s"
)
_READ_WITHOUT_CLOCKS_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id WHERE c.id = %s"
)
_CASE_ORG_FIELD = Case._meta.get_field("organisation")


def read_case(
    case_id: int, org_ids: set[int] | None, *, with_clocks: bool
) -> tuple[Case, list[SlaClock]] | None:
    """A case in scope with its organisation (and its clocks: else an empty list), in one
    query; ``None`` when there is none in scope."""
    sql, params = (_READ_SQL if with_clocks else _READ_WITHOUT_CLOCKS_SQL), [case_id]
    if org_ids is not None:
        sql += f" AND c.organisation_id IN ({placeholders(list(org_ids))})"
        params.extend(org_ids)
    rows = fetch(sql, params)
    if not rows:
        return None
    case = _CASE.build(rows[0])
    assert case is not None
    _CASE_ORG_FIELD.set_cached_value(case, _CASE_ORG.build(rows[0], _CASE.width))
    clocks: list[SlaClock] = []
    if with_clocks:
        start = _CASE.width + _CASE_ORG.width
        clocks = [c for row in rows if (c := _CLOCK.build(row, start)) is not None]
    return case, clocks


# -- opening ------------------------------------------------------------------------------------


def open_statuses() -> list[str]:
    """Statuses of a case still open (every one but closed)."""
    return [s.value for s in CaseStatus if s is not CaseStatus.CLOSED]


_OPEN = open_statuses()
_SUBJECTS_SQL = (
    f'SELECT c."id", c."number", c."subject" FROM "{Case._meta.db_table}" c'
    f" WHERE c.organisation_id = %s AND c.status IN ({placeholders(_OPEN)})"
)
_SUBJECTS_ORDER = " ORDER BY c.opened_at DESC, c.id DESC LIMIT %s"


def open_subjects(org_id: int, product: str, window: int) -> list[tuple[int, str, str]]:
    """(id, number, subject) of the organisation's ``window`` newest open cases (of
    ``product`` when given), newest first."""
    sql, params = _SUBJECTS_SQL, [org_id, *_OPEN]
    if product:
        sql += " AND c.product = %s"
        params.append(product)
    params.append(window)
    return [(row[0], row[1], row[2]) for row in fetch(sql + _SUBJECTS_ORDER, params)]


_INSERT_CASE = Insert(Case)
_INSERT_CASE_WITH_ID = Insert(Case, with_pk=True)
_INSERT_EVENT = Insert(CaseEvent)
_INSERT_CLOCKS = Insert(SlaClock)
_NEXT_CASE_ID_SQL = f"SELECT nextval(pg_get_serial_sequence('\"{Case._meta.db_table}\"', 'id'))"


def case_number(case_id: int) -> str:
    return f"CD{case_id:07d}"


def insert_case(case: Case) -> None:
    """Write a new case with its number. On PostgreSQL the id is reserved first, so that
    the number goes in with it; elsewhere the number follows in an UPDATE."""
    if connection.vendor == "postgresql":
        ((case.id,),) = fetch(_NEXT_CASE_ID_SQL, [])
        case.number = case_number(case.id)
        _INSERT_CASE_WITH_ID([case])
    else:
        _INSERT_CASE([case])
        case.number = case_number(case.id)
        Case.objects.filter(id=case.id).update(number=case.number)


def insert_first_event(event: CaseEvent) -> None:
    _INSERT_EVENT([event])


def insert_clocks(rows: list[SlaClock]) -> list[SlaClock]:
    return _INSERT_CLOCKS(rows)


# -- history --------------------------------------------------------------------------------------


def reserve_event_numbers(added: dict[int, int], at: datetime) -> dict[int, int]:
    """Take the row locks of the cases in ``added`` (case id: events to append) and reserve
    their next sequence numbers; returns each case's new event count."""
    table = Case._meta.db_table
    counts: dict[int, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(added) > 1:
            # Row locks in one order (by id), so that batches touching the same cases
            # queue instead of deadlocking (one case: the UPDATE below takes its lock).
            cursor.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                [sorted(added)],
            )
        # One statement per step takes the row locks and reserves the next sequence
        # numbers, so concurrent writers to a case queue and keep distinct, ordered numbers.
        by_step: dict[int, list[int]] = {}
        for case_id, step in added.items():
            by_step.setdefault(step, []).append(case_id)
        for step, ids in by_step.items():
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"UPDATE {table} SET event_count = event_count + %s, updated_at = %s "
                f"WHERE id IN ({marks}) RETURNING id, event_count",
                [step, connection.ops.adapt_datetimefield_value(at), *ids],
            )
            counts.update(cursor.fetchall())
    return counts


_HISTORY_SQL = (
    f"SELECT case_id, seq, at, kind, data FROM {CaseEvent._meta.db_table} "
    "WHERE case_id = ANY(%s) AND kind = ANY(%s) ORDER BY case_id, seq"
)


def event_rows(
    case_ids: list[int], kinds: Sequence[str]
) -> Iterator[tuple[int, int, datetime, str, dict[str, Any]]]:
    """(case, seq, at, kind, data) of the cases' events of those kinds, in order."""
    if connection.vendor != "postgresql":
        rows = (
            CaseEvent.objects.filter(case_id__in=case_ids, kind__in=kinds)
            .order_by("case_id", "seq")
            .values_list("case_id", "seq", "at", "kind", "data")
        )
        yield from rows.iterator(chunk_size=10_000)
        return
    # On PostgreSQL the driver already returns aware instants, so the ORM's per-value
    # converters are skipped; prepared (``fetch``), since the SLA view reads one case's
    # history on every request.
    for case_id, seq, at, kind, data in fetch(_HISTORY_SQL, [case_ids, list(kinds)]):
        yield case_id, seq, at, kind, json.loads(data) if isinstance(data, str) else data


# -- stored clocks --------------------------------------------------------------------------------

_CLOCK_ROW = Columns(SlaClock, "k", only=ClockRow._fields)
assert tuple(_CLOCK_ROW.attnames[1:]) == ClockRow._fields  # the id comes first
_CLOCK_ROWS_SQL = f"SELECT {_CLOCK_ROW.sql} FROM {_CLOCK_ROW.table} WHERE "


def clock_rows_of(case_ids: list[int]) -> dict[int, list[ClockRow]]:
    """The stored clocks of many cases in one query (a prefetch costs a queryset per
    case), by case id."""
    found: dict[int, list[ClockRow]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        condition, params = among("k.case_id", case_ids)
        for values in _CLOCK_ROW.values(fetch(_CLOCK_ROWS_SQL + condition, params)):
            row = ClockRow._make(values[1:])
            found[row.case_id].append(row)
    return found


def write_recomputed(
    clock_rows: list[tuple[object, ...]], next_dues: list[tuple[int, datetime | None]]
) -> None:
    """Write a bulk recompute's clock rows (``CLOCK_COLUMNS`` order; the old rows were
    deleted) and each case's next due instant."""
    table = SlaClock._meta.db_table
    cases_table = Case._meta.db_table
    columns = ", ".join(CLOCK_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3's COPY: rows streamed, no statement per row
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in clock_rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {cases_table} AS c SET next_due = v.next_due "
                f"FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, next_due) "
                f"WHERE c.id = v.id",
                [[cid for cid, _ in next_dues], [due for _, due in next_dues]],
            )
            return
        # Raw SQL skips the ORM's adaptation: instants are written as the ORM writes
        # them (SQLite compares them as text).
        adapt = connection.ops.adapt_datetimefield_value

        def value(v: object) -> object:
            return adapt(v) if isinstance(v, datetime) else v

        marks = ", ".join(["%s"] * len(CLOCK_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [tuple(value(v) for v in row) for row in clock_rows],  # type: ignore[misc]
        )
        cursor.executemany(
            f"UPDATE {cases_table} SET next_due = %s WHERE id = %s",
            [(value(due), cid) for cid, due in next_dues],  # type: ignore[misc]
        )


def people_names(ids: set[int]) -> dict[int, str]:
    """The names of the people ``ids`` (their full name, else their e-mail address), by id:
    the assignees of a page, in one query."""
    if not ids:
        return {}
    rows = User.objects.filter(id__in=ids).values_list("id", "first_name", "last_name", "email")
    return {pk: f"{first} {last}".strip() or email for pk, first, last, email in rows}


# -- search ---------------------------------------------------------------------------------------

# The text a search reads on PostgreSQL, as the ``case_search`` GIN index (migration 0012)
# has it: the planner uses the index only for this very expression. The ``simple``
# configuration neither stems nor drops words, so English and Japanese text are both
# searched by their words as written.
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    'COALESCE("cases_case"."subject", \'\') || \' \' || COALESCE("cases_case"."description", \'\'))'
)
_WORD = re.compile(r"\w+")


def search_condition(text: str) -> Q:
    """Cases whose number is ``text``, or (PostgreSQL) whose subject and description hold
    every word of ``text``, the last as a prefix (``disk ful`` finds "disk full"), through
    the full-text index; elsewhere whose subject or description contains ``text``."""
    text = text.strip()
    by_number = Q(number=text.upper())  # numbers are stored in capitals (``case_number``)
    if connection.vendor != "postgresql":
        return by_number | Q(subject__icontains=text) | Q(description__icontains=text)
    words = _WORD.findall(text)
    if not words:
        return by_number
    # Only word characters reach the query, so no operator of tsquery's can be injected.
    query = " & ".join([*words[:-1], f"{words[-1]}:*"])
    matches = RawSQL(
        f"{SEARCH_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)",
        [query],
        output_field=BooleanField(),
    )
    return by_number | Q(matches)


# -- list pages ---------------------------------------------------------------------------------

# What a summary shows of the case row itself (a summary adds the organisation's name, the
# SLA state and the clocks).
SUMMARY_FIELDS = (
    "id",
    "number",
    "organisation_id",
    "case_type",
    "severity",
    "priority",
    "channel",
    "product",
    "subject",
    "status",
    "policy",
    "policy_version",
    "plan",
    "timezone",
    "opened_at",
    "updated_at",
    "closed_at",
    "next_due",
    "assignee_id",
)
METRIC_ORDER = {metric.value: i for i, metric in enumerate(Metric)}

_SUMMARY_CASE = Columns(Case, "c", only=SUMMARY_FIELDS)
_SUMMARY_ORG = Columns(Organisation, "o", only=("name",))
_ORG_NAME = _SUMMARY_ORG.attnames.index("name")
# Each metric's clock, joined by the unique (case, metric) index; a case without one (a
# metric its type has no clock for) gets nulls.
_STATE_FIELDS = ClockRow._fields[2:]  # target and the instants the display state reads
_SUMMARY_CLOCKS = [Columns(SlaClock, f"m{i}", only=_STATE_FIELDS) for i in METRIC_ORDER.values()]
assert tuple(_SUMMARY_CLOCKS[0].attnames[1:]) == _STATE_FIELDS  # the id comes first
_CLOCK_JOINS = "".join(
    f" LEFT JOIN {k.table} ON {k.alias}.case_id = c.id AND {k.alias}.metric = '{metric}'"
    for metric, k in zip(METRIC_ORDER, _SUMMARY_CLOCKS, strict=True)
)
# A summary's row: the case (``c``), its organisation's name and its clocks; an unfiltered
# page selects it with its ids.
_SUMMARY_COLUMNS = ", ".join(
    [_SUMMARY_CASE.sql, _SUMMARY_ORG.sql, *(k.sql for k in _SUMMARY_CLOCKS)]
)
_SUMMARY_JOINS = f" JOIN {_SUMMARY_ORG.table} ON o.id = c.organisation_id{_CLOCK_JOINS}"
_SUMMARIES_SQL = f"SELECT {_SUMMARY_COLUMNS} FROM {_SUMMARY_CASE.table}{_SUMMARY_JOINS} WHERE "

# A summary row decoded: the case's fields (``SUMMARY_FIELDS``), its organisation's name,
# and per metric (in ``METRIC_ORDER``) its clock's values, if it has one: the clock's id,
# then target, due, at risk, stopped and paused since.
SummaryRow = tuple[dict[str, Any], str, list[tuple[str, list[Any]]]]


def summary_rows_by_id(ids: list[int]) -> list[SummaryRow]:
    """The summary rows of the cases ``ids`` (in no particular order)."""
    if not ids:
        return []
    condition, params = among("c.id", ids)
    return decode_summary_rows(fetch(_SUMMARIES_SQL + condition, params))


def decode_summary_rows(rows: Sequence[Sequence[Any]]) -> list[SummaryRow]:
    if not rows:
        return []
    cases = [dict(zip(_SUMMARY_CASE.attnames, v, strict=True)) for v in _SUMMARY_CASE.values(rows)]
    names = _SUMMARY_ORG.values(rows, _SUMMARY_CASE.width)
    start = _SUMMARY_CASE.width + _SUMMARY_ORG.width
    clocks: list[list[tuple[str, list[Any]]]] = [[] for _ in cases]
    for metric, k in zip(METRIC_ORDER, _SUMMARY_CLOCKS, strict=True):
        for found, values in zip(clocks, k.values(rows, start), strict=True):
            if values[0] is not None:
                found.append((metric, values))
        start += k.width
    return [
        (case, org[_ORG_NAME], found) for case, org, found in zip(cases, names, clocks, strict=True)
    ]


_NEVER_TEXT = NEVER.strftime("%Y-%m-%d %H:%M:%S.%f")  # as Django stores instants on SQLite
_NEVER_SQL = {"postgresql": f"'{_NEVER_TEXT}+00'::timestamptz", "sqlite": f"'{_NEVER_TEXT}'"}


def _key_columns(order: Order, vendor: str) -> list[str]:
    return [c.format(never=_NEVER_SQL[vendor]) for c in order.columns]


def _after(columns: list[str], order: Order) -> str:
    """Cases after a key (its values are the parameters), as one row comparison the
    index can seek to."""
    marks = ", ".join(["%s"] * len(columns))
    return f"({', '.join(columns)}) {'>' if order.ascending else '<'} ({marks})"


@dataclass(frozen=True)
class Statement:
    sql: str
    params: list[Any]


def unfiltered_statements(
    order: Order,
    org_ids: set[int] | None,
    key: tuple[Any, ...] | None,
    *,
    open_only: bool,
    offset: int,
    limit: int,
    with_summaries: bool,
) -> tuple[Statement, Statement | None]:
    """The SELECT of a page of ids with their keys (and their summary rows), one row more
    than ``limit`` to tell whether a page follows; without a cursor, the COUNT of the list."""
    columns = _key_columns(order, connection.vendor)
    where: list[str] = []
    params: list[Any] = []
    if org_ids is not None:
        ids = sorted(org_ids)
        where.append(f"c.organisation_id IN ({placeholders(ids)})")
        params.extend(ids)
    if open_only:
        # A literal, not a parameter: a prepared statement's generic plan can only use the
        # partial index ``case_queue`` (open cases) when it sees the index's condition.
        where.append(f"c.status <> '{CaseStatus.CLOSED.value}'")
    source = f'"{Case._meta.db_table}" c'
    count = None
    if key is None:
        count = Statement(f"SELECT COUNT(*) FROM {source}{_where(where)}", list(params))
    else:
        where.append(_after(columns, order))
        adapt = connection.ops.adapt_datetimefield_value
        params.extend(adapt(v) if i in order.instants else v for i, v in enumerate(key))
    keys = [f"{column} AS k{i}" for i, column in enumerate(columns)]
    # The limit is written in the statement, not passed: for a LIMIT parameter a prepared
    # statement's generic plan guesses a tenth of the list, and for those rows it hashed the
    # whole case table to join the page's ids, or, kept off that plan, PostgreSQL planned
    # every page anew. A client uses a few sizes. No OFFSET on a page from the start or
    # from a cursor: an OFFSET parameter is guessed as a tenth of the list too.
    sql = (
        f"SELECT c.id, {', '.join(keys)} FROM {source}{_where(where)}"
        f" ORDER BY {order.order_by(columns)} LIMIT {int(limit) + 1:d}"
    )
    if offset:
        sql += " OFFSET %s"
        params.append(offset)
    if with_summaries:
        # The page's ids first, then its wide rows: an offset skips index entries only.
        sql = (
            f"SELECT p.*, {_SUMMARY_COLUMNS} FROM ({sql}) p JOIN {source} ON c.id = p.id"
            f"{_SUMMARY_JOINS} ORDER BY {order.order_by([f'p.k{i}' for i in range(len(keys))])}"
        )
    return Statement(sql, params), count


def unfiltered_page(
    order: Order,
    org_ids: set[int] | None,
    key: tuple[Any, ...] | None,
    *,
    open_only: bool,
    offset: int,
    limit: int,
) -> tuple[list[tuple[Any, ...]], int | None]:
    """Rows of (id, key columns..., summary row columns...) of one page, and the list's
    count when the page has no cursor."""
    select, counting = unfiltered_statements(
        order, org_ids, key, open_only=open_only, offset=offset, limit=limit, with_summaries=True
    )
    rows: list[tuple[Any, ...]] = fetch(select.sql, select.params)
    count = fetch(counting.sql, counting.params)[0][0] if counting else None
    return rows, count


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


# -- the dashboard ------------------------------------------------------------------------------


def count_by_plan_and_rank(per_case: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """``per_case`` (a row per case: ``id``, ``plan``, ``worst``) counted by plan and
    worst: the ORM cannot group by an aggregate, so its SQL is wrapped in one that does."""
    sql, params = per_case.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.plan, t.worst, COUNT(*) FROM ({sql}) t GROUP BY t.plan, t.worst", params
        )
        return list(cursor.fetchall())
