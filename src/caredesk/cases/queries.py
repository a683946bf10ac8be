"""Case lists: filters and the Care queue, with SLA states computed in SQL from the stored
instants and now (the same rules as ``sla.display_state``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from caredesk.cases import sla
from caredesk.cases.models import Case, SlaClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.site.errors import DomainError
from caredesk.site.rows import fetch, placeholders


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
    return qs.order_by("-opened_at", "-id")


def queue(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Care's order: severity, then the customer's priority, then the nearest due instant."""
    return qs.order_by("severity", "priority", F("next_due").asc(nulls_last=True), "id")


@dataclass(frozen=True)
class Unfiltered:
    """Every case in scope (``org_ids``; ``None``: Care's, all of them) without a filter,
    or, for the queue, every open one: the lists asked for most. Their page is read by two
    hand-written statements (``page``), prepared once per connection, instead of a
    queryset compiled twice per page. The orders are ``newest`` and ``queue``'s; a test
    compares every page with the queryset's."""

    org_ids: set[int] | None
    queue: bool = False


_ORDER = {
    False: "c.opened_at DESC, c.id DESC",
    True: "c.severity ASC, c.priority ASC, c.next_due ASC NULLS LAST, c.id ASC",
}


def page(cases: Unfiltered, *, offset: int, limit: int) -> tuple[list[int], int]:
    """The ids of one page, in order, and how many cases there are in all."""
    where: list[str] = []
    params: list[object] = []
    if cases.org_ids is not None:
        ids = sorted(cases.org_ids)
        where.append(f"c.organisation_id IN ({placeholders(ids)})")
        params.extend(ids)
    if cases.queue:
        where.append("c.status <> %s")
        params.append(CaseStatus.CLOSED.value)
    source = f'"{Case._meta.db_table}" c' + (" WHERE " + " AND ".join(where) if where else "")
    rows = fetch(
        f"SELECT c.id FROM {source} ORDER BY {_ORDER[cases.queue]} LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    ((count,),) = fetch(f"SELECT COUNT(*) FROM {source}", params)
    return [case_id for (case_id,) in rows], count
