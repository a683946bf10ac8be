"""SLA clocks of stored cases: replay the history with the core, store the due instants,
and derive what users see (on track, at risk, breached, paused, met) from them and now."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from caredesk.cases import store
from caredesk.cases.models import CLOCK_COLUMNS, Case, ClockRow, EventKind, SlaClock
from caredesk.core import display
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.clocks import ClockEvent, MetricClock, Rules, compute_clocks
from caredesk.core.display import AT_RISK_LEVEL, DisplayState, worst_state
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Basis, Metric, Policy

# A case's own working hours as a cache key: ((weekday, (interval, ...)), ...); empty, the
# policy's business hours.
HoursKey = tuple[tuple[str, tuple[str, ...]], ...]


def hours_key(hours: Mapping[str, Any] | None) -> HoursKey:
    return tuple(
        (day, (value,) if isinstance(value, str) else tuple(value))
        for day, value in sorted((hours or {}).items())
    )


@lru_cache(maxsize=512)
def case_calendar(
    policy_id: str,
    version: int,
    timezone: str,
    country: str,
    subdivision: str,
    hours: HoursKey = (),
) -> BusinessCalendar:
    """Calendars are immutable and keep their index warm, so they are shared."""
    policy = policies.load(policy_id, version=version)
    return policy.calendar(
        timezone,
        country=country or None,
        subdivision=subdivision or None,
        hours={day: list(intervals) for day, intervals in hours} or None,
    )


def calendar_for(case: Case) -> BusinessCalendar:
    return case_calendar(
        case.policy,
        case.policy_version,
        case.timezone,
        case.country,
        case.subdivision,
        hours_key(case.hours),
    )


def policy_for(case: Case) -> Policy:
    return policies.load(case.policy, version=case.policy_version)


# What a case's clocks count against, as stored on the case and in a rules-changed event.
# ``hours``: the organisation's own working hours, a weekday map as a policy's business
# hours are written; empty (and absent from events written before it existed), the policy's.
RULE_FIELDS = ("policy", "policy_version", "plan", "timezone", "country", "subdivision", "hours")


def rules_data(case: Case) -> dict[str, Any]:
    """The case's rules as a rules-changed event stores them (``from`` and ``to``)."""
    return {name: getattr(case, name) for name in RULE_FIELDS}


def rules_from(data: dict[str, Any]) -> Rules:
    policy = policies.load(data["policy"], version=int(data["policy_version"]))
    calendar = case_calendar(
        policy.id,
        policy.version,
        data["timezone"],
        data["country"],
        data["subdivision"],
        hours_key(data.get("hours")),
    )
    return Rules(policy, data["plan"], calendar)


class HistoryEvent(Protocol):
    """What replaying a history reads of an event: a ``CaseEvent`` or a lighter record."""

    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class LightEvent:
    """A history event read without the ORM's model instance (bulk paths)."""

    seq: int
    at: datetime
    kind: str
    data: dict[str, Any]


def clock_events(events: Iterable[HistoryEvent]) -> list[ClockEvent]:
    """The facts of the history that SLA clocks depend on."""
    result = []
    for event in events:
        data = event.data
        if event.kind == EventKind.OPENED:
            result.append(ClockEvent.opened(event.at, int(data["severity"])))
        elif event.kind == EventKind.STATUS_CHANGED:
            result.append(ClockEvent.status_changed(event.at, CaseStatus(data["to"])))
        elif event.kind == EventKind.SEVERITY_CHANGED:
            basis = Basis(data["basis"]) if data.get("basis") else None
            result.append(
                ClockEvent.severity_changed(
                    event.at,
                    int(data["to"]),
                    phone_raise=bool(data.get("phone_raise")),
                    basis=basis,
                )
            )
        elif event.kind == EventKind.RESPONDED:
            result.append(ClockEvent.responded(event.at))
        elif event.kind == EventKind.INCIDENT_LINKED:
            started = datetime.fromisoformat(data["started_at"])
            result.append(ClockEvent.incident_linked(event.at, started))
        elif event.kind == EventKind.RULES_CHANGED:
            result.append(ClockEvent.rules_changed(event.at, rules_from(data["to"])))
    return result


def replay(
    case: Case,
    events: Sequence[HistoryEvent],
    now: datetime,
    *,
    explain: bool,
    warning_levels: tuple[int, ...] | None = None,
    metrics: Collection[Metric] | None = None,
) -> dict[Metric, MetricClock]:
    # The case row holds the rules in force now; a history with rules changes began under
    # the rules its first change replaced.
    first = next((e for e in events if e.kind == EventKind.RULES_CHANGED), None)
    if first is None:
        rules = Rules(policy_for(case), case.plan, calendar_for(case))
    else:
        rules = rules_from(first.data["from"])
    return compute_clocks(
        clock_events(events),
        policy=rules.policy,
        plan=rules.plan,
        case_type=case.case_type,
        calendar=rules.calendar,
        now=now,
        explain=explain,
        warning_levels=warning_levels,
        metrics=metrics,
    )


def row_values(clock: MetricClock) -> tuple[object, ...]:
    """The stored columns of one clock, in ``CLOCK_COLUMNS`` order after ``case_id``."""
    at_risk = dict(clock.warnings).get(AT_RISK_LEVEL) if clock.target else None
    paused_since = None
    if clock.pauses and clock.pauses[-1][1] is None and clock.stop is None:
        paused_since = clock.pauses[-1][0]
    return (
        clock.metric.value,
        str(clock.target) if clock.target else "",
        clock.start,
        clock.due,
        at_risk,
        clock.stop,
        paused_since,
        int(clock.elapsed.total_seconds()),
    )


def clock_row(case_id: int, clock: MetricClock) -> ClockRow:
    """What would be stored of ``clock``, as a light record (the display state reads it)."""
    metric, target, _, due, at_risk, stop, paused_since, _ = row_values(clock)
    return ClockRow(case_id, str(metric), str(target), due, at_risk, stop, paused_since)  # type: ignore[arg-type]


def stored_rows(case: Case, clocks: dict[Metric, MetricClock]) -> list[SlaClock]:
    return [
        SlaClock(case=case, **dict(zip(CLOCK_COLUMNS[1:], row_values(clock), strict=True)))
        for clock in clocks.values()
    ]


def next_due(clocks: dict[Metric, MetricClock]) -> datetime | None:
    running = [c.due for c in clocks.values() if c.due is not None and c.stop is None]
    return min(running) if running else None


def save_clocks(case: Case, clocks: dict[Metric, MetricClock]) -> None:
    """Persist the replayed clocks of one case (inside the caller's transaction)."""
    SlaClock.objects.filter(case=case).delete()
    SlaClock.objects.bulk_create(stored_rows(case, clocks))
    case.next_due = next_due(clocks)
    Case.objects.filter(id=case.id).update(next_due=case.next_due)


class StoredInstants(Protocol):
    """What the display state reads of a stored clock (a row or a plain tuple)."""

    @property
    def metric(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def at_risk_at(self) -> datetime | None: ...
    @property
    def stopped_at(self) -> datetime | None: ...
    @property
    def paused_since(self) -> datetime | None: ...


def display_state(clock: StoredInstants, now: datetime) -> DisplayState:
    """What a person sees of a stored clock (the core's ``display_state``)."""
    return display.display_state(
        clock.target, clock.due_at, clock.at_risk_at, clock.stopped_at, clock.paused_since, now
    )


def case_state(clocks: Iterable[StoredInstants], now: datetime) -> DisplayState:
    return worst_state(display_state(c, now) for c in clocks)


# -- bulk recomputation ---------------------------------------------------------------------

CLOCK_KINDS = (
    EventKind.OPENED,
    EventKind.STATUS_CHANGED,
    EventKind.SEVERITY_CHANGED,
    EventKind.RESPONDED,
    EventKind.INCIDENT_LINKED,
    EventKind.RULES_CHANGED,
)


@dataclass(frozen=True, slots=True)
class Recomputed:
    """A case a bulk recompute replayed, with the history it read (the clock events)."""

    case: Case
    history: list[LightEvent]


def recompute(case_ids: Sequence[int] | None, now: datetime, *, batch: int = 2000) -> int:
    """Replay and store the clocks of many cases (all when ``case_ids`` is None), a batch
    per transaction; returns how many cases were recomputed."""
    from django.db import transaction

    if case_ids is None:
        case_ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    from caredesk.cases import signals

    done = 0
    levels = (AT_RISK_LEVEL,)
    for first in range(0, len(case_ids), batch):
        chunk = list(case_ids[first : first + batch])
        with transaction.atomic():
            cases = {
                c.id: c
                for c in Case.objects.filter(id__in=chunk).only("id", "case_type", *RULE_FIELDS)
            }
            by_case = histories(chunk, CLOCK_KINDS)
            clock_rows: list[tuple[object, ...]] = []
            next_dues: list[tuple[int, datetime | None]] = []
            replayed: dict[int, Recomputed] = {}
            for case_id, case in cases.items():
                history = by_case[case_id]
                # Stored clocks keep one warning (at risk); timers ask for their own.
                clocks = replay(case, history, now, explain=False, warning_levels=levels)
                clock_rows.extend((case_id, *row_values(c)) for c in clocks.values())
                next_dues.append((case_id, next_due(clocks)))
                replayed[case_id] = Recomputed(case, history)
            SlaClock.objects.filter(case_id__in=chunk).delete()
            store.write_recomputed(clock_rows, next_dues)
            signals.clocks_recomputed.send(sender=Case, replayed=replayed, now=now)
        done += len(cases)
    return done


def histories(case_ids: list[int], kinds: Sequence[str]) -> dict[int, list[LightEvent]]:
    """The cases' events of those kinds, by case, in order: one query for many cases."""
    found: dict[int, list[LightEvent]] = {case_id: [] for case_id in case_ids}
    for case_id, seq, at, kind, data in store.event_rows(case_ids, kinds):
        found[case_id].append(LightEvent(seq, at, kind, data))
    return found


def _recompute_slice(args: tuple[list[int], datetime, int]) -> int:
    from django.db import connections

    case_ids, now, batch = args
    try:
        return recompute(case_ids, now, batch=batch)
    finally:
        connections.close_all()


def recompute_all(now: datetime, *, jobs: int = 1, batch: int = 2000) -> int:
    """Every stored case, in ``jobs`` processes (each its own slice of ids and its own
    database connection); returns how many cases were recomputed."""
    import multiprocessing

    from django.db import connections

    case_ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    jobs = max(1, min(jobs, len(case_ids) // batch or 1))
    if jobs == 1:
        return recompute(case_ids, now, batch=batch)
    # Whole batches per slice, interleaved, so that the slices take about as long.
    batches = [case_ids[i : i + batch] for i in range(0, len(case_ids), batch)]
    slices = [
        ([cid for chunk in batches[j::jobs] for cid in chunk], now, batch) for j in range(jobs)
    ]
    connections.close_all()  # a forked child must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.map(_recompute_slice, slices))
