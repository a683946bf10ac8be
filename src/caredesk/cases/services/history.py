"""The case history: appending events (the only writer of ``CaseEvent``) and storing the
clocks replayed from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from caredesk.cases import signals, sla, store
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.core.clocks import MetricClock
from caredesk.core.policy import Metric


def append_event(
    case: Case,
    *,
    kind: str,
    at: datetime,
    actor: User | None,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> CaseEvent:
    """Append to the case history; the per-case sequence keeps the order of equal instants."""
    (event,) = append_events([(case, kind, data or {})], at=at, actor=actor, reason=reason)
    return event


def append_events(
    notes: list[tuple[Case, str, dict[str, Any]]],
    *,
    at: datetime,
    actor: User | None = None,
    reason: str = "",
) -> list[CaseEvent]:
    """Append one event to each case of ``notes`` (several to a case are allowed), in a
    handful of statements whatever their number (the automation's batches)."""
    if not notes:
        return []
    unknown = {kind for _, kind, _ in notes} - set(EventKind.values)
    if unknown:  # a programming error: every kind is named in one vocabulary
        raise ValueError(f"unknown case event kind {sorted(unknown)[0]!r}; see EventKind")
    added: dict[int, int] = {}
    for case, _, _ in notes:
        added[case.id] = added.get(case.id, 0) + 1
    counts = store.reserve_event_numbers(added, at)
    # Sequence numbers: each case's new events take the numbers just reserved, in order.
    next_seq = {case_id: counts[case_id] - step + 1 for case_id, step in added.items()}
    events = []
    for case, kind, data in notes:
        seq = next_seq[case.id]
        next_seq[case.id] = seq + 1
        case.event_count, case.updated_at = counts[case.id], at
        events.append(
            CaseEvent(case=case, seq=seq, at=at, actor=actor, kind=kind, data=data, reason=reason)
        )
    CaseEvent.objects.bulk_create(events)
    signals.events_appended.send(
        sender=Case,
        appended=[(case, event) for (case, _, _), event in zip(notes, events, strict=True)],
    )
    return events


def record_response(case: Case, *, actor: User, now: datetime) -> None:
    """Care's words reached the customer (a public reply, a logged call, a status change
    with Care's reason): the first time, that is Care's response. The moves that are in
    themselves an answer (restored, resolution proposed, closed) meet it in the core's
    replay, without this event."""
    if not case.events.filter(kind=EventKind.RESPONDED).exists():
        append_event(case, kind=EventKind.RESPONDED, at=now, actor=actor)


def resync(case: Case, now: datetime) -> None:
    events = list(case.events.order_by("seq"))
    store_clocks(case, sla.replay(case, events, now, explain=False), now)


def store_clocks(case: Case, clocks: dict[Metric, MetricClock], now: datetime) -> None:
    """Persist the case's replayed clocks; its timers follow (``clocks_stored``)."""
    sla.save_clocks(case, clocks)
    signals.clocks_stored.send(sender=Case, case=case, clocks=clocks, now=now, new=False)
