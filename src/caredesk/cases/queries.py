"""Case lists: filters and the Care queue, with SLA states computed in SQL from the stored
instants and now (the same rules as the core's ``display_state``, compared in a test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from caredesk.cases import store
from caredesk.cases.keyset import NEWEST, QUEUE, Order
from caredesk.cases.models import Case, CaseEvent, EventKind, SlaClock
from caredesk.cases.words import STATUS_WORDS
from caredesk.core.display import WORST_FIRST, DisplayState
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import DomainError, named

STATUSES = [s.value for s in CaseStatus]
UNASSIGNED = "unassigned"


def in_scope(org_ids: set[int] | None) -> QuerySet[Case]:
    """The cases of the organisations ``org_ids`` (``None``: every organisation's), with
    their organisation: a tenant's scope as a queryset."""
    qs = Case.objects.select_related("organisation")
    return qs if org_ids is None else qs.filter(organisation_id__in=org_ids)


def _clock_conditions(now: datetime, via: str = "") -> dict[str, Q]:
    """Each state's condition on one clock row; ``via``: the path to the clock from the
    queried model (``clocks__`` from a case)."""

    def q(**lookups: Any) -> Q:
        return Q(**{via + k: v for k, v in lookups.items()})

    applicable = ~q(target="")
    running = q(stopped_at__isnull=True)
    overdue = q(due_at__lt=now)
    return {
        DisplayState.BREACHED: applicable
        & (
            (running & overdue)
            | (
                q(stopped_at__isnull=False)
                & (q(due_at__isnull=True) | q(stopped_at__gt=F(via + "due_at")))
            )
        ),
        DisplayState.PAUSED: applicable & running & ~overdue & q(paused_since__isnull=False),
        DisplayState.AT_RISK: applicable
        & running
        & ~overdue
        & q(paused_since__isnull=True)
        & q(at_risk_at__lte=now),
        DisplayState.ON_TRACK: applicable
        & running
        & ~overdue
        & q(paused_since__isnull=True)
        & (q(at_risk_at__isnull=True) | q(at_risk_at__gt=now)),
        DisplayState.MET: applicable
        & q(stopped_at__isnull=False, due_at__isnull=False)
        & q(stopped_at__lte=F(via + "due_at")),
    }


def _has(condition: Q) -> Exists:
    return Exists(SlaClock.objects.filter(condition, case=OuterRef("pk")))


def filter_by_state(qs: QuerySet[Case], state: str, now: datetime) -> QuerySet[Case]:
    """Cases whose worst clock is in ``state``."""
    conditions = _clock_conditions(now)
    order: list[str] = [s for s in WORST_FIRST if s != DisplayState.NOT_APPLICABLE]
    if state not in order:
        raise DomainError(
            _("unknown SLA state %(state)s; expected one of: %(names)s")
            % {"state": named(state), "names": ", ".join(order)}
        )
    worse = order[: order.index(state)]
    # The cases with a clock in ``state`` are read from the clocks (an index of the
    # running ones at risk, say) rather than asked of every case; the worse states are
    # then asked of those few only.
    qs = qs.filter(pk__in=SlaClock.objects.filter(conditions[state]).values("case_id"))
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
    closed_only: bool = False,
    assignee: str | None = None,
    q: str | None = None,
) -> QuerySet[Case]:
    """``qs`` narrowed by each filter given. ``assignee`` is ``unassigned`` or a person's
    id (the services read ``mine`` as the caller's); ``q`` searches (``store``)."""
    if status:
        if status not in STATUSES:
            names = ", ".join(named(s, STATUS_WORDS.get(s), quoted=False) for s in STATUSES)
            raise DomainError(
                _("unknown status %(status)s; expected one of: %(names)s")
                % {"status": named(status), "names": names}
            )
        qs = qs.filter(status=status)
    elif closed_only:
        qs = qs.filter(status=CaseStatus.CLOSED.value)
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
    if assignee == UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        if not assignee.isdigit():
            raise DomainError(
                _("unknown assignee %(assignee)s; expected mine, %(unassigned)s or a person's id")
                % {"assignee": named(assignee), "unassigned": UNASSIGNED}
            )
        qs = qs.filter(assignee_id=int(assignee))
    if q and q.strip():
        qs = qs.filter(store.search_condition(q))
    if breaching_within_hours is not None:
        if breaching_within_hours <= 0:
            raise DomainError(
                _("breaching_within_hours %(hours)r must be greater than zero")
                % {"hours": breaching_within_hours}
            )
        qs = qs.filter(
            next_due__gte=now, next_due__lte=now + timedelta(hours=breaching_within_hours)
        )
    return qs


def open_by_state_and_plan(now: datetime) -> list[dict[str, Any]]:
    """Open cases counted by plan and worst SLA state, most first: each case's clocks read
    once (its worst state is the highest rank among them), then counted by plan and rank
    (``store.count_by_plan_and_rank``). ``open_by_state_and_plan_reference`` is the
    plain form, compared with this in a test: it asks up to five correlated questions of
    every open case, seconds with 100,000 of them."""
    conditions = _clock_conditions(now, via="clocks__")
    ranked = [s for s in WORST_FIRST if s is not DisplayState.NOT_APPLICABLE]
    rank = DbCase(
        # A case without clock rows (the outer join's nulls) is in no state.
        When(clocks__id__isnull=True, then=Value(0)),
        *(When(conditions[state], then=Value(len(ranked) - i)) for i, state in enumerate(ranked)),
        default=Value(0),
        output_field=IntegerField(),
    )
    per_case = (
        Case.objects.exclude(status=CaseStatus.CLOSED.value)
        .values("id", "plan")
        .annotate(worst=Max(rank))
        .order_by()
    )
    names = [DisplayState.NOT_APPLICABLE.value] + [s.value for s in reversed(ranked)]
    rows = [
        {"plan": plan, "state": names[worst or 0], "count": count}
        for plan, worst, count in store.count_by_plan_and_rank(per_case)
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["plan"], r["state"]))


def open_by_state_and_plan_reference(now: datetime) -> list[dict[str, Any]]:
    """Open cases counted by plan and worst SLA state (the states' conditions above, the
    worst first), most first, in one grouped query: the tested reference."""
    conditions = _clock_conditions(now)
    worst = DbCase(
        *(
            When(_has(conditions[state]), then=Value(state.value))
            for state in WORST_FIRST
            if state is not DisplayState.NOT_APPLICABLE
        ),
        default=Value(DisplayState.NOT_APPLICABLE.value),
        output_field=CharField(),
    )
    rows = (
        Case.objects.exclude(status=CaseStatus.CLOSED.value)
        .annotate(state=worst)
        .values("plan", "state")
        .annotate(count=Count("id"))
        .order_by("-count", "plan", "state")
    )
    return [dict(row) for row in rows]


def breached_between(start: datetime, now: datetime) -> int:
    """Clocks whose due instant fell in [``start``, ``now``) without being met: the
    breaches of a day so far."""
    return (
        SlaClock.objects.exclude(target="")
        .filter(due_at__gte=start, due_at__lt=now)
        .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=F("due_at")))
        .count()
    )


def awaiting_acknowledgement(limit: int = 50) -> list[dict[str, Any]]:
    """Open cases whose last escalation no Care manager has acknowledged, oldest first:
    read from the escalation events (few), not from every case."""
    acknowledged = CaseEvent.objects.filter(
        case=OuterRef("case"), kind=EventKind.ESCALATION_ACKNOWLEDGED, seq__gt=OuterRef("seq")
    )
    rows = (
        CaseEvent.objects.filter(kind=EventKind.ESCALATION_REQUESTED)
        .exclude(case__status=CaseStatus.CLOSED.value)
        .exclude(Exists(acknowledged))
        .order_by("at", "id")
        .values(
            "case_id", "case__number", "case__subject", "case__organisation__name", "at", "data"
        )
    )
    return [dict(row) for row in rows[:limit]]


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
    hand-written statements (``store.unfiltered_page``), prepared once per connection,
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
    # On an unfiltered list, each case's summary row (``store.decode_summary_rows``); a
    # filtered list's page gives ids only.
    rows: list[tuple[Any, ...]] | None = None
    more: bool = False  # True: more than ``count`` cases (counting stopped there)


def page(
    cases: Unfiltered | Filtered,
    *,
    limit: int,
    offset: int = 0,
    after: str | None = None,
    count_up_to: int | None = None,
) -> Page:
    """One page: ``limit`` cases from ``offset``, or from ``offset`` after the cursor
    ``after``. Only a page without a cursor is counted: a client walking a list by cursor
    has the count from its first page, and counting again on every page would cost as
    much as the rest of the page put together. ``count_up_to``: a filtered list is
    counted up to that many cases only (0: not at all), and ``more`` says it has more:
    a filter by SLA state asks every open case's clocks, which costs a whole scan."""
    order = cases.order
    key = order.decode(after) if after is not None else None
    rows: list[tuple[Any, ...]]
    uncounted = False  # more cases than ``count``
    if isinstance(cases, Filtered):
        ordered = order.ordered(cases.cases)
        found = order.key_values(ordered if key is None else order.after(ordered, key))
        rows = [tuple(r) for r in found[offset : offset + limit + 1]]
        count = None
        if key is None and count_up_to is None:
            count = ordered.count()
        elif key is None and count_up_to:
            count = cases.cases.order_by()[: count_up_to + 1].count()
            uncounted = count > count_up_to
            count = min(count, count_up_to)
    else:
        rows, count = store.unfiltered_page(
            order, cases.org_ids, key, open_only=cases.queue, offset=offset, limit=limit
        )
    more = len(rows) > limit
    rows = rows[:limit]
    width = 1 + len(order.columns)
    last = order.key_of(rows[-1][1:width]) if more else None
    return Page(
        [row[0] for row in rows],
        count,
        order.encode(last) if last is not None else None,
        [row[width:] for row in rows] if isinstance(cases, Unfiltered) else None,
        uncounted,
    )
