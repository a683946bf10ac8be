"""Firing timers: claim the due ones, act, mark them fired, in one transaction.

The claim (``store.claim_timers``) is ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL,
over the index of pending timers, so any number of workers share the work and each timer
fires once. Every handler checks the case as it is now: a timer that state has overtaken
does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_noop

from caredesk.accounts.models import Organisation, Profile, Role
from caredesk.automation import messages, notify, store
from caredesk.automation.escalation import Rung
from caredesk.automation.models import (
    Timer,
    TimerKind,
    TimerLog,
)
from caredesk.cases import services as cases
from caredesk.cases import sla
from caredesk.cases.models import Case, EventKind
from caredesk.core.clocks import MetricClock
from caredesk.core.lifecycle import CaseStatus, is_resolved
from caredesk.core.policy import Metric

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)


class Reschedule(Exception):
    """The timer came early (state moved its instant later): set it again, keep it pending."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at.isoformat())
        self.at = at


@dataclass(frozen=True)
class Note:
    """What a timer decided to record on its case (an event of kind ``event_kind``); the
    sweep appends a batch's notes in a few statements, and ``outcome`` is what the timer
    log keeps."""

    event_kind: str
    data: dict[str, Any]
    outcome: str


# A case's history as the deciders read it (light records, read once per sweep).
History = Sequence[sla.HistoryEvent]
# A decider looks at the case and its history as they are now and says what to record
# (or nothing, as a text); it writes nothing, so a batch of them is written together.
Decider = Callable[[Timer, Case, History, datetime], "Note | str"]
# A handler acts by itself (closing a case, telling Care of credentials): rarer, one by one.
Handler = Callable[[Timer, datetime], str]


def _clock(
    case: Case, history: History, metric: str, now: datetime, levels: tuple[int, ...]
) -> MetricClock:
    """The one clock a timer fires on, with only the warning it needs."""
    wanted = Metric(metric)
    clocks = sla.replay(case, history, now, explain=False, warning_levels=levels, metrics=(wanted,))
    return clocks[wanted]


def _already(history: History, event_kind: str, **match: object) -> bool:
    return any(
        event.kind == event_kind and all(event.data.get(k) == v for k, v in match.items())
        for event in history
    )


def sla_warning(timer: Timer, case: Case, history: History, now: datetime) -> Note | str:
    metric, level = timer.payload["metric"], timer.payload["level"]
    clock = _clock(case, history, metric, now, (level,))
    if clock.target is None or clock.stop is not None:
        return "obsolete: the clock stopped"
    at = dict(clock.warnings).get(level)
    if at is None:
        return "obsolete: the clock is paused"
    if at > now:
        raise Reschedule(at)
    if clock.due is not None and clock.due < now:
        # A worker catching up past the due instant: the breach says it all, and a
        # warning about time still left would contradict it.
        return "obsolete: past due, the breach tells"
    generation = timer.payload["generation"]
    if _already(history, EventKind.SLA_WARNING, metric=metric, level=level, generation=generation):
        return "duplicate: warned already"
    data = {
        "metric": metric,
        "level": level,
        "generation": generation,
        "target": str(clock.target),
        "due": clock.due.isoformat() if clock.due else None,
    }
    return Note(EventKind.SLA_WARNING, data, f"warned {level}%")


def sla_breach(timer: Timer, case: Case, history: History, now: datetime) -> Note | str:
    metric = timer.payload["metric"]
    clock = _clock(case, history, metric, now, ())
    if clock.target is None or clock.stop is not None:
        return "obsolete: the clock stopped"
    if clock.due is None:
        return "obsolete: the clock is paused"
    if clock.due >= now:
        # Due means "by then": breached only once that instant has passed.
        raise Reschedule(clock.due + timedelta(seconds=1))
    generation = timer.payload["generation"]
    if _already(history, EventKind.SLA_BREACHED, metric=metric, generation=generation):
        return "duplicate: breached already"
    data = {
        "metric": metric,
        "generation": generation,
        "target": str(clock.target),
        "due": clock.due.isoformat(),
    }
    return Note(EventKind.SLA_BREACHED, data, "breached")


def _still(case: Case, timer: Timer, history: History) -> bool:
    changes = [event for event in history if event.kind == EventKind.STATUS_CHANGED]
    return (
        case.status == timer.payload["status"]
        and bool(changes)
        and changes[-1].at.isoformat() == timer.payload["since"]
    )


def stale_notice(timer: Timer, case: Case, history: History, now: datetime) -> Note | str:
    if not _still(case, timer, history):
        return "obsolete: the customer answered or the status changed"
    stale = sla.policy_for(case).stale
    assert stale is not None
    close_at = stale.notice_period.due(now, sla.calendar_for(case))
    data = {"close_at": close_at.isoformat(), "since": timer.payload["since"]}
    return Note(EventKind.STALE_NOTICE, data, f"notice sent; closes {close_at.isoformat()}")


def _close(timer: Timer, now: datetime, reason: str) -> str:
    case = timer.case
    assert case is not None
    return cases.system_close(
        case_id=case.id,
        expected=timer.payload["status"],
        since=datetime.fromisoformat(timer.payload["since"]),
        reason=reason,
        now=now,
    )


def stale_close(timer: Timer, now: datetime) -> str:
    return _close(
        timer, now, gettext_noop("no adequate response for three business days after notice")
    )


def proposed_close(timer: Timer, now: datetime) -> str:
    return _close(
        timer,
        now,
        gettext_noop("resolution proposed, no issue reported by the end of the third business day"),
    )


# What ends each deadline, as the history shows it.
DEADLINE_DONE_BY: dict[str, str] = {
    EventKind.POST_MORTEM_DUE: EventKind.POST_MORTEM_HELD,
    EventKind.INCIDENT_REPORT_DUE: EventKind.INCIDENT_REPORT_DELIVERED,
    Rung.MANAGEMENT_ATTENTION: EventKind.ESCALATION_ACKNOWLEDGED,
}


def _deadline_done(case: Case, deadline: str, history: History) -> bool:
    if deadline == EventKind.RCA_DUE:
        return is_resolved(CaseStatus(case.status))
    done_by = DEADLINE_DONE_BY.get(deadline)
    return done_by is not None and any(event.kind == done_by for event in history)


# What a deadline timer records on its case, by timer kind.
DEADLINE_EVENTS = {
    TimerKind.DEADLINE_REMINDER: (EventKind.DEADLINE_REMINDER, "reminded"),
    TimerKind.DEADLINE_OVERDUE: (EventKind.DEADLINE_OVERDUE, "overdue"),
}


def deadline(timer: Timer, case: Case, history: History, now: datetime) -> Note | str:
    name = timer.payload["deadline"]
    if _deadline_done(case, name, history):
        return "done in time"
    event_kind, outcome = DEADLINE_EVENTS[TimerKind(timer.kind)]
    return Note(event_kind, {"deadline": name, "due": timer.payload["due"]}, outcome)


def credentials(timer: Timer, now: datetime) -> str:
    if timer.subject_id is None:
        return "obsolete: no person"
    person = (
        Profile.objects.select_related("user", "organisation").filter(id=timer.subject_id).first()
    )
    if person is None:
        return "obsolete: the person is gone"
    if person.credentials_issued_at is not None:
        return "done: credentials issued"
    kind = TimerKind(timer.kind)
    state = "overdue" if kind == TimerKind.CREDENTIALS_OVERDUE else "due"
    for manager in Profile.objects.select_related("user").filter(role=Role.MANAGER):
        subject, body = messages.credentials_message(
            person=person,
            overdue=kind == TimerKind.CREDENTIALS_OVERDUE,
            due=timer.payload["due"],
            language=manager.language,
            zone=manager.timezone,
        )
        notify.email(
            key=f"{timer.key}:{manager.user_id}",
            to=manager.user,
            subject=subject,
            body=body,
            event=str(kind),  # the e-mail is named after the timer that sends it
            now=now,
            language=manager.language,
        )
    return f"Care told: credentials {state}"


# Every timer kind has a decider or a handler (tests check that none is missing).
DECIDERS: dict[str, Decider] = {
    TimerKind.SLA_WARNING: sla_warning,
    TimerKind.SLA_BREACH: sla_breach,
    TimerKind.STALE_NOTICE: stale_notice,
    TimerKind.DEADLINE_REMINDER: deadline,
    TimerKind.DEADLINE_OVERDUE: deadline,
}
HANDLERS: dict[str, Handler] = {
    TimerKind.STALE_CLOSE: stale_close,
    TimerKind.PROPOSED_CLOSE: proposed_close,
    TimerKind.CREDENTIALS_REMINDER: credentials,
    TimerKind.CREDENTIALS_OVERDUE: credentials,
}


def claim(now: datetime, batch: int) -> list[Timer]:
    """Pending timers due by ``now``, locked for this transaction (others skip them), with
    their cases and the people a notification may go to."""
    timers = store.claim_timers(now, batch)
    _attach_people([t.case for t in timers if t.case is not None])
    return timers


def _attach_people(batch: list[Case]) -> None:
    """Organisations (with their TAM) and people (with their profiles) of a batch of cases,
    each read once: a batch has many cases and few distinct people."""
    if not batch:
        return
    orgs = Organisation.objects.select_related("tam__profile").in_bulk(
        {case.organisation_id for case in batch}
    )
    people = {case.opened_by_id for case in batch} | {
        case.assignee_id for case in batch if case.assignee_id is not None
    }
    users = User.objects.select_related("profile").in_bulk(people)
    for case in batch:
        case.organisation = orgs[case.organisation_id]
        case.opened_by = users[case.opened_by_id]
        if case.assignee_id is not None:
            case.assignee = users[case.assignee_id]


# The case event kinds the deciders read of a history (comments and notes are not among
# them).
HISTORY_KINDS = (
    *sla.CLOCK_KINDS,
    EventKind.SLA_WARNING,
    EventKind.SLA_BREACHED,
    EventKind.STALE_NOTICE,
    *DEADLINE_DONE_BY.values(),
)


def retire(done: list[tuple[Timer, str]], now: datetime) -> None:
    """Fired timers leave the pending table for the log, with what came of them: one
    insert and one delete for a whole batch."""
    if not done:
        return
    TimerLog.objects.bulk_create(
        [
            TimerLog(
                key=timer.key,
                kind=timer.kind,
                case_id=timer.case_id,
                subject_id=timer.subject_id,
                due_at=timer.due_at,
                fired_at=now,
                attempts=timer.attempts,
                outcome=outcome[:300],
            )
            for timer, outcome in done
        ]
    )
    Timer.objects.filter(id__in=[timer.id for timer, _ in done]).delete()


def _failed(timer: Timer, exc: Exception, now: datetime) -> None:
    """A failing timer is tried again later; after a few failures it is given up (logged,
    with its error, for Care to see)."""
    log.error("timer %s failed: %s", timer.key, exc, exc_info=exc)
    timer.attempts += 1
    if timer.attempts >= MAX_ATTEMPTS:
        retire([(timer, f"failed: {exc}")], now)
    else:
        Timer.objects.filter(id=timer.id).update(
            attempts=timer.attempts, due_at=now + RETRY_AFTER, last_error=f"{exc}"[:300]
        )


@dataclass
class _Batch:
    """What one sweep decided, written together at its end."""

    now: datetime
    notes: list[tuple[Timer, Note]] = field(default_factory=list)
    fired: list[tuple[Timer, str]] = field(default_factory=list)
    moved: list[tuple[Timer, datetime]] = field(default_factory=list)

    def write(self) -> None:
        cases.append_events(
            [(timer.case, note.event_kind, note.data) for timer, note in self.notes if timer.case],
            at=self.now,
        )
        retire(self.fired + [(timer, note.outcome) for timer, note in self.notes], self.now)
        for timer, at in self.moved:
            Timer.objects.filter(id=timer.id).update(due_at=at)


def sweep(*, now: datetime, batch: int = 100) -> int:
    """Claim and fire one batch of due timers; returns how many were claimed.

    Timers that only record something (warnings, breaches, notices, reminders) decide from
    the case's history, read for the whole batch at once, and their events, notifications
    and marks are written in a few statements; the others act one by one."""
    with transaction.atomic():
        timers = claim(now, batch)
        decided = {t.id for t in timers if t.kind in DECIDERS and t.case is not None}
        histories = sla.histories(
            sorted({t.case_id for t in timers if t.id in decided and t.case_id}), HISTORY_KINDS
        )
        done = _Batch(now)
        for timer in timers:
            if timer.id in decided:
                assert timer.case is not None
                assert timer.case_id is not None
                try:
                    result = DECIDERS[timer.kind](timer, timer.case, histories[timer.case_id], now)
                except Reschedule as early:
                    done.moved.append((timer, early.at))
                except Exception as exc:
                    _failed(timer, exc, now)
                else:
                    if isinstance(result, Note):
                        done.notes.append((timer, result))
                    else:
                        done.fired.append((timer, result))
            else:
                fire(timer, now)
        done.write()
    return len(timers)


def fire(timer: Timer, now: datetime) -> None:
    """A timer that acts on its own, its work in a savepoint (a failure undoes only that)."""
    try:
        with transaction.atomic():
            handler = HANDLERS.get(timer.kind)
            if handler is None:
                raise LookupError(f"no handler for timer kind {timer.kind!r}")
            outcome = handler(timer, now)
    except Reschedule as early:
        Timer.objects.filter(id=timer.id).update(due_at=early.at)
        return
    except Exception as exc:
        _failed(timer, exc, now)
        return
    retire([(timer, outcome)], now)
