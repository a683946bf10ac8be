"""Case lists: filters and the Care queue, with SLA states computed in SQL from the stored
instants and now (the same rules as ``sla.display_state``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from caredesk.cases import sla
from caredesk.cases.keyset import NEWEST, QUEUE, Order
from caredesk.cases.models import Case, SlaClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import DomainError
from caredesk.infra.rows import fetch, placeholders


def _clock_conditions(now: datetime) -> dict[str, Q]:
    applicable = ~Q(target="")
    running = Q(stopped_at__isnull=True)
    overdue = Q(due_at__lt=now)
    return {
        sla.BREACHED: applicable
        & (
            (running & overdue)
            | (
                Q(stopped_at__isnull=False)
                & (Q(due_at__isnull=True) | Q(stopped_at__gt=F("due_at")))
            )
        ),
        sla.PAUSED: applicable & running & ~overdue & Q(paused_since__isnull=False),
        sla.AT_RISK: applicable
        & running
        & ~overdue
        & Q(paused_since__isnull=True)
        & Q(at_risk_at__lte=now),
        sla.ON_TRACK: applicable
        & running
        & ~overdue
        & Q(paused_since__isnull=True)
        & (Q(at_risk_at__isnull=True) | Q(at_risk_at__gt=now)),
        sla.MET: applicable
        & Q(stopped_at__isnull=False, due_at__isnull=False)
        & Q(stopped_at__lte=F("due_at")),
    }


def _has(condition: Q) -> Exists:
    return Exists(SlaClock.objects.filter(condition, case=OuterRef("pk")))


def filter_by_state(qs: QuerySet[Case], state: str, now: datetime) -> QuerySet[Case]:
    """Cases whose worst clock is in ``state``."""
    conditions = _clock_conditions(now)
    order = [s for s in sla.DISPLAY_ORDER if s != sla.NOT_APPLICABLE]
    if state not in order:
        raise DomainError(f"unknown SLA state {state!r}; expected one of: {', '.join(order)}")
    worse = order[: order.index(state)]
    qs = qs.filter(_has(conditions[state]))
    for other in worse:
        qs = qs.exclude(_has(conditions[other]))
    return qs


def filter_cases(
    qs: QuerySet[Case],
    *,
    now: datetime,
    status: str | None = None,
    severity: int | None = None,
    organisation_id: int | None = None,
    plan: str | None = None,
    state: str | None = None,
    breaching_within_hours: float | None = None,
    open_only: bool = False,
) -> QuerySet[Case]:
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.exclude(status="closed")
    if severity is not None:
        qs = qs.filter(severity=severity)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if plan:
        qs = qs.filter(plan=plan)
    if state:
        qs = filter_by_state(qs, state, now)
    if breaching_within_hours is not None:
        if breaching_within_hours <= 0:
            raise DomainError(
                f"breaching_within_hours {breaching_within_hours!r} must be greater than zero"
            )
        qs = qs.filter(
            next_due__gte=now, next_due__lte=now + timedelta(hours=breaching_within_hours)
        )
    return qs


def newest(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The lists' order: newest first."""
    return NEWEST.ordered(qs)


def queue(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Care's order: severity, then the customer's priority, then the nearest due instant
    (cases without one last)."""
    return QUEUE.ordered(qs)


@dataclass(frozen=True)
class Unfiltered:
    """Every case in scope (``org_ids``; ``None``: Care's, all of them) without a filter,
    or, for the queue, every open one: the lists asked for most. Their page is read by
    hand-written statements (``unfiltered_statements``), prepared once per connection,
    instead of a queryset compiled twice per page. A test compares every page with the
    queryset's."""

    org_ids: set[int] | None
    queue: bool = False

    @property
    def order(self) -> Order:
        return QUEUE if self.queue else NEWEST


@dataclass(frozen=True)
class Filtered:
    """A filtered list: ``cases``, to be read in ``order``."""

    cases: QuerySet[Case]
    order: Order


@dataclass(frozen=True)
class Page:
    ids: list[int]
    count: int | None  # None: not counted (a page after a cursor)
    next: str | None  # the cursor of the following page; None on the last
    # With ``joined``, on an unfiltered list: each case's row of those columns (a filtered
    # list's page gives ids only).
    rows: list[tuple[Any, ...]] | None = None


# More columns read with an unfiltered page's ids, saving a query by id: the SQL of the
# columns (``c`` is the case) and of the joins they need.
Joined = tuple[str, str]


def page(
    cases: Unfiltered | Filtered,
    *,
    limit: int,
    offset: int = 0,
    after: str | None = None,
    joined: Joined | None = None,
) -> Page:
    """One page: ``limit`` cases from ``offset``, or from ``offset`` after the cursor
    ``after``. Only a page without a cursor is counted: a client walking a list by cursor
    has the count from its first page, and counting again on every page would cost as
    much as the rest of the page put together."""
    order = cases.order
    key = order.decode(after) if after is not None else None
    if isinstance(cases, Filtered):
        ordered = order.ordered(cases.cases)
        found = order.key_values(ordered if key is None else order.after(ordered, key))
        rows = [tuple(r) for r in found[offset : offset + limit + 1]]
        count = ordered.count() if key is None else None
    else:
        select, counting = unfiltered_statements(
            cases, key, offset=offset, limit=limit, joined=joined
        )
        rows = fetch(select.sql, select.params)
        count = fetch(counting.sql, counting.params)[0][0] if counting else None
    more = len(rows) > limit
    rows = rows[:limit]
    width = 1 + len(order.columns)
    last = order.key_of(rows[-1][1:width]) if more else None
    return Page(
        [row[0] for row in rows],
        count,
        order.encode(last) if last is not None else None,
        [row[width:] for row in rows] if joined and isinstance(cases, Unfiltered) else None,
    )


@dataclass(frozen=True)
class Statement:
    sql: str
    params: list[Any]


def unfiltered_statements(
    cases: Unfiltered,
    key: tuple[Any, ...] | None,
    *,
    offset: int,
    limit: int,
    joined: Joined | None = None,
) -> tuple[Statement, Statement | None]:
    """The SELECT of a page of ids with their keys (and ``joined``'s columns), one row
    more than ``limit`` to tell whether a page follows; without a cursor, the COUNT of
    the list."""
    order = cases.order
    vendor = connection.vendor
    where: list[str] = []
    params: list[Any] = []
    if cases.org_ids is not None:
        ids = sorted(cases.org_ids)
        where.append(f"c.organisation_id IN ({placeholders(ids)})")
        params.extend(ids)
    if cases.queue:
        # A literal, not a parameter: a prepared statement's generic plan can only use the
        # partial index ``case_queue`` (open cases) when it sees the index's condition.
        where.append(f"c.status <> '{CaseStatus.CLOSED.value}'")
    source = f'"{Case._meta.db_table}" c'
    count = None
    if key is None:
        count = Statement(f"SELECT COUNT(*) FROM {source}{_where(where)}", list(params))
    else:
        where.append(order.after_sql(vendor))
        params.extend(order.params(key, connection))
    keys = [f"{column} AS k{i}" for i, column in enumerate(order.sql_columns(vendor))]
    # The limit is written in the statement, not passed: a prepared statement's generic
    # plan guesses a tenth of the list for a LIMIT parameter, and for those hundreds of rows
    # it hashed the whole case table to join the page's ids (12 ms instead of 0.4), or, kept
    # off that plan, PostgreSQL planned every page anew (1 ms). A client uses a few sizes.
    # No OFFSET on a page from the start or from a cursor: an OFFSET parameter is guessed
    # as a tenth of the list too, and kept the queue's pages on plans made anew.
    sql = (
        f"SELECT c.id, {', '.join(keys)} FROM {source}{_where(where)}"
        f" ORDER BY {order.order_sql(vendor)} LIMIT {int(limit) + 1:d}"
    )
    if offset:
        sql += " OFFSET %s"
        params.append(offset)
    if joined:
        # The page's ids first, then its wide rows: an offset skips index entries only.
        columns, joins = joined
        sql = (
            f"SELECT p.*, {columns} FROM ({sql}) p JOIN {source} ON c.id = p.id{joins}"
            f" ORDER BY {order.order_by([f'p.k{i}' for i in range(len(keys))])}"
        )
    return Statement(sql, params), count


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""
