"""SLA clocks of stored cases: replay the history with the core, store the due instants,
and derive what users see (on track, at risk, breached, paused, met) from them and now."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

from caredesk.cases.models import Case, CaseEvent, SlaClock
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.clocks import ClockEvent, MetricClock, compute_clocks
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Basis, Metric, Policy

# Display states, worst first: a case shows the worst of its clocks.
BREACHED, AT_RISK, PAUSED, ON_TRACK, MET, NOT_APPLICABLE = (
    "breached", "at-risk", "paused", "on-track", "met", "n/a",
)
DISPLAY_ORDER = (BREACHED, AT_RISK, PAUSED, ON_TRACK, MET, NOT_APPLICABLE)
AT_RISK_LEVEL = 75  # percent of the target used: past it a clock is "at risk"


@lru_cache(maxsize=512)
def case_calendar(
    policy_id: str, version: int, timezone: str, country: str, subdivision: str
) -> BusinessCalendar:
    """Calendars are immutable and keep their index warm, so they are shared."""
    policy = policies.load(policy_id, version=version)
    return policy.calendar(timezone, country=country or None, subdivision=subdivision or None)


def calendar_for(case: Case) -> BusinessCalendar:
    return case_calendar(case.policy, case.policy_version, case.timezone, case.country,
                         case.subdivision)


def policy_for(case: Case) -> Policy:
    return policies.load(case.policy, version=case.policy_version)


def clock_events(events: Iterable[CaseEvent]) -> list[ClockEvent]:
    """The facts of the history that SLA clocks depend on."""
    result = []
    for event in events:
        data = event.data
        if event.kind == "opened":
            result.append(ClockEvent.opened(event.at, int(data["severity"])))
        elif event.kind == "status-changed":
            result.append(ClockEvent.status_changed(event.at, CaseStatus(data["to"])))
        elif event.kind == "severity-changed":
            basis = Basis(data["basis"]) if data.get("basis") else None
            result.append(ClockEvent.severity_changed(
                event.at, int(data["to"]), phone_raise=bool(data.get("phone_raise")), basis=basis,
            ))
        elif event.kind == "responded":
            result.append(ClockEvent.responded(event.at))
        elif event.kind == "incident-linked":
            started = datetime.fromisoformat(data["started_at"])
            result.append(ClockEvent.incident_linked(event.at, started))
    return result


def replay(
    case: Case, events: Sequence[CaseEvent], now: datetime, *, explain: bool
) -> dict[Metric, MetricClock]:
    return compute_clocks(
        clock_events(events),
        policy=policy_for(case),
        plan=case.plan,
        case_type=case.case_type,
        calendar=calendar_for(case),
        now=now,
        explain=explain,
    )


def stored_rows(case: Case, clocks: dict[Metric, MetricClock]) -> list[SlaClock]:
    rows = []
    for metric, clock in clocks.items():
        at_risk = dict(clock.warnings).get(AT_RISK_LEVEL) if clock.target else None
        paused_since = None
        if clock.pauses and clock.pauses[-1][1] is None and clock.stop is None:
            paused_since = clock.pauses[-1][0]
        rows.append(SlaClock(
            case=case,
            metric=metric.value,
            target=str(clock.target) if clock.target else "",
            started_at=clock.start,
            due_at=clock.due,
            at_risk_at=at_risk,
            stopped_at=clock.stop,
            paused_since=paused_since,
            elapsed_seconds=int(clock.elapsed.total_seconds()),
        ))
    return rows


def next_due(clocks: dict[Metric, MetricClock]) -> datetime | None:
    running = [c.due for c in clocks.values() if c.due is not None and c.stop is None]
    return min(running) if running else None


def store(case: Case, events: Sequence[CaseEvent], now: datetime) -> dict[Metric, MetricClock]:
    """Replay and persist the clocks of one case (inside the caller's transaction)."""
    clocks = replay(case, events, now, explain=False)
    SlaClock.objects.filter(case=case).delete()
    SlaClock.objects.bulk_create(stored_rows(case, clocks))
    case.next_due = next_due(clocks)
    Case.objects.filter(id=case.id).update(next_due=case.next_due)
    return clocks


def display_state(clock: SlaClock, now: datetime) -> str:
    """What a person sees, from the stored instants and now: never stale."""
    if not clock.target:
        return NOT_APPLICABLE
    if clock.stopped_at is not None:
        return MET if clock.due_at is not None and clock.stopped_at <= clock.due_at else BREACHED
    if clock.due_at is not None and now > clock.due_at:
        return BREACHED
    if clock.paused_since is not None:
        return PAUSED
    if clock.at_risk_at is not None and now >= clock.at_risk_at:
        return AT_RISK
    return ON_TRACK


def case_state(clocks: Iterable[SlaClock], now: datetime) -> str:
    states = {display_state(c, now) for c in clocks}
    for state in DISPLAY_ORDER:
        if state in states:
            return state
    return NOT_APPLICABLE
