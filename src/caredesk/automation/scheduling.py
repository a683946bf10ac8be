"""Timers derived from a case's state: SLA warnings and breaches, stale-case notice and
closure, deadline reminders, credentials. Keys name what a timer is, so scheduling again
is idempotent; a timer that state no longer calls for is removed (pending ones only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from caredesk.accounts.models import Profile
from caredesk.accounts.services import calendar_of
from caredesk.automation import store
from caredesk.automation.models import (
    Timer,
    TimerKind,
)
from caredesk.cases import sla
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.core import policy as policies
from caredesk.core.clocks import MetricClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Metric

# Timer kinds whose pending timers ``schedule_case`` owns (it adds, moves and removes them).
MANAGED = (
    TimerKind.SLA_WARNING,
    TimerKind.SLA_BREACH,
    TimerKind.STALE_NOTICE,
    TimerKind.STALE_CLOSE,
    TimerKind.PROPOSED_CLOSE,
)
# Case event kinds that set a deadline (a reminder and an overdue timer follow each).
DEADLINES = (EventKind.RCA_DUE, EventKind.POST_MORTEM_DUE, EventKind.INCIDENT_REPORT_DUE)


# Case event kinds ``_desired`` reads of a history: generations, what fired already,
# stale-case state.
FACT_KINDS = (
    EventKind.SEVERITY_CHANGED,
    EventKind.SLA_WARNING,
    EventKind.SLA_BREACHED,
    EventKind.STATUS_CHANGED,
    EventKind.STALE_NOTICE,
)
# The timers a case's state calls for: by key, (kind, due instant, payload).
Desired = dict[str, tuple[TimerKind, datetime, dict[str, Any]]]


def generation_of(history: Iterable[sla.HistoryEvent]) -> int:
    """A severity change starts a new generation: its warnings may fire again."""
    return sum(1 for event in history if event.kind == EventKind.SEVERITY_CHANGED)


def sla_timers(case_id: int, clocks: dict[Metric, MetricClock], generation: int) -> Desired:
    """The SLA warnings and breaches running clocks call for, by key."""
    timers: Desired = {}
    for metric, clock in clocks.items():
        if clock.target is None or clock.stop is not None:
            continue
        base = f"{case_id}:{metric.value}:{generation}"
        for level, at in clock.warnings:
            if at is not None:
                timers[f"{TimerKind.SLA_WARNING}:{base}:{level}"] = (
                    TimerKind.SLA_WARNING,
                    at,
                    {"metric": metric.value, "level": level, "generation": generation},
                )
        if clock.due is not None:
            timers[f"{TimerKind.SLA_BREACH}:{base}"] = (
                TimerKind.SLA_BREACH,
                clock.due,
                {"metric": metric.value, "generation": generation},
            )
    return timers


def _desired(case: Case, clocks: dict[Metric, MetricClock], *, new: bool = False) -> Desired:
    """The timers the case's state calls for, leaving out those whose effect the history
    already holds (a fired timer is gone from the pending table: the history remembers)."""
    facts: list[CaseEvent] = (
        []
        if new
        else list(
            case.events.filter(kind__in=FACT_KINDS)
            .only("seq", "at", "kind", "data")
            .order_by("seq")
        )
    )
    warned = {
        (e.data.get("metric"), e.data.get("level"), e.data.get("generation"))
        for e in facts
        if e.kind == EventKind.SLA_WARNING
    }
    breached = {
        (e.data.get("metric"), e.data.get("generation"))
        for e in facts
        if e.kind == EventKind.SLA_BREACHED
    }

    def fired(timer_kind: TimerKind, payload: dict[str, Any]) -> bool:
        if timer_kind == TimerKind.SLA_BREACH:
            return (payload["metric"], payload["generation"]) in breached
        return (payload["metric"], payload["level"], payload["generation"]) in warned

    desired = {
        key: (timer_kind, due, payload)
        for key, (timer_kind, due, payload) in sla_timers(
            case.id, clocks, generation_of(facts)
        ).items()
        if not fired(timer_kind, payload)
    }
    desired.update(_stale_timers(case, facts))
    return desired


def _stale_timers(case: Case, facts: list[CaseEvent]) -> Desired:
    """The stale-case timers a waiting or resolution-proposed case calls for: the notice,
    then the closing it announced; or the closing of a proposed resolution."""
    timers: Desired = {}
    stale = sla.policy_for(case).stale
    if stale is None or case.status not in (
        CaseStatus.WAITING_ON_CUSTOMER,
        CaseStatus.RESOLUTION_PROPOSED,
    ):
        return timers
    changes = [e for e in facts if e.kind == EventKind.STATUS_CHANGED]
    if not changes:
        return timers
    last = changes[-1]
    since = last.at
    stamp = f"{case.id}:{since.isoformat()}"
    calendar = sla.calendar_for(case)
    payload = {"since": since.isoformat(), "status": case.status}
    if case.status == CaseStatus.WAITING_ON_CUSTOMER:
        notice = next(
            (e for e in facts if e.kind == EventKind.STALE_NOTICE and e.seq > last.seq), None
        )
        if notice is None:
            timers[f"{TimerKind.STALE_NOTICE}:{stamp}"] = (
                TimerKind.STALE_NOTICE,
                stale.waiting_on_customer.due(since, calendar),
                payload,
            )
        else:
            close_at = datetime.fromisoformat(notice.data["close_at"])
            timers[f"{TimerKind.STALE_CLOSE}:{stamp}"] = (TimerKind.STALE_CLOSE, close_at, payload)
    else:
        # "Closed at the end of the third business day."
        third = stale.resolution_proposed.due(since, calendar)
        timers[f"{TimerKind.PROPOSED_CLOSE}:{stamp}"] = (
            TimerKind.PROPOSED_CLOSE,
            calendar.day_end(third),
            payload,
        )
    return timers


def schedule_case(
    case: Case, clocks: dict[Metric, MetricClock], now: datetime, *, new: bool = False
) -> None:
    """Bring the case's pending timers in line with its state; ``new``: the case was just
    opened, so it has no timer yet."""
    desired = _desired(case, clocks, new=new)
    fresh = [
        Timer(key=key, kind=kind, case=case, due_at=due, payload=payload, created_at=now)
        for key, (kind, due, payload) in desired.items()
    ]
    if new:
        store.insert_timers(fresh)
        return
    pending = {t.key: t for t in Timer.objects.filter(case=case, kind__in=MANAGED)}
    Timer.objects.filter(id__in=[t.id for k, t in pending.items() if k not in desired]).delete()
    for timer in fresh:
        known = pending.get(timer.key)
        if known is not None and known.due_at != timer.due_at:
            Timer.objects.filter(id=known.id).update(due_at=timer.due_at)
    store.insert_timers([t for t in fresh if t.key not in pending])


def move_sla_timers(replayed: dict[int, sla.Recomputed], now: datetime) -> int:
    """After a bulk recompute (a calendar or policy fix): every pending SLA warning and
    breach of those cases moves to its clock's new instant, in one read and one write per
    batch; returns how many moved. Only cases with such timers are replayed again (with
    every warning level). A timer whose clock stopped or paused stays: it finds that out
    when it fires."""
    pending = list(
        Timer.objects.filter(
            case_id__in=list(replayed), kind__in=(TimerKind.SLA_WARNING, TimerKind.SLA_BREACH)
        ).values_list("id", "key", "case_id", "due_at")
    )
    wanted: dict[str, datetime] = {}
    for case_id in {case_id for _, _, case_id, _ in pending}:
        state = replayed[case_id]
        clocks = sla.replay(state.case, state.history, now, explain=False)
        timers = sla_timers(case_id, clocks, generation_of(state.history))
        wanted.update((key, due) for key, (_, due, _) in timers.items())
    moves = [
        Timer(id=timer_id, due_at=wanted[key])
        for timer_id, key, _, due_at in pending
        if key in wanted and wanted[key] != due_at
    ]
    Timer.objects.bulk_update(moves, ["due_at"], batch_size=1000)
    return len(moves)


def schedule_deadline(case: Case, event: CaseEvent) -> None:
    """A deadline event (RCA, post-mortem, Incident Report): a reminder one business day
    before it and an overdue notice at it."""
    due = datetime.fromisoformat(event.data["due"])
    calendar = sla.calendar_for(case)
    reminder = calendar.add(due, -calendar.day_length)
    payload = {"deadline": event.kind, "due": event.data["due"], "event": event.id}
    timers = [
        Timer(
            key=f"{TimerKind.DEADLINE_OVERDUE}:{event.id}",
            kind=TimerKind.DEADLINE_OVERDUE,
            case=case,
            due_at=due,
            payload=payload,
            created_at=event.at,
        )
    ]
    if reminder > event.at:
        timers.append(
            Timer(
                key=f"{TimerKind.DEADLINE_REMINDER}:{event.id}",
                kind=TimerKind.DEADLINE_REMINDER,
                case=case,
                due_at=reminder,
                payload=payload,
                created_at=event.at,
            )
        )
    Timer.objects.bulk_create(timers, ignore_conflicts=True)


def schedule_credentials(person: Profile, now: datetime) -> None:
    """Credentials are due 48 business hours after the training: a reminder half-way, then
    an overdue notice."""
    due = person.credentials_due_at
    if due is None:
        return
    rule = policies.load(person.organisation.policy).designated_contacts
    calendar = calendar_of(person.organisation)
    halfway = calendar.add(now, rule.credentials_due.length(calendar) / 2)
    Timer.objects.bulk_create(
        [
            Timer(
                key=f"{TimerKind.CREDENTIALS_REMINDER}:{person.id}:{due.isoformat()}",
                kind=TimerKind.CREDENTIALS_REMINDER,
                subject_id=person.id,
                due_at=halfway,
                payload={"due": due.isoformat()},
                created_at=now,
            ),
            Timer(
                key=f"{TimerKind.CREDENTIALS_OVERDUE}:{person.id}:{due.isoformat()}",
                kind=TimerKind.CREDENTIALS_OVERDUE,
                subject_id=person.id,
                due_at=due,
                payload={"due": due.isoformat()},
                created_at=now,
            ),
        ],
        ignore_conflicts=True,
    )
