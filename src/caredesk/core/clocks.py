"""SLA clocks: from a case's history, the state of its response, restoration and
resolution clocks.

A pure function of the events, the policy, the plan, the customer's calendar and ``now``:
replaying the same history always gives the same answer. Restoration and resolution stop
counting while the case waits on the customer (per policy); response does not, and stops
at Care's first communication: a ``responded`` event (a public reply, a logged call, a
status change carrying Care's words) or a move that is itself the answer (``ANSWERS``). A
severity change re-targets the clocks that are not yet met, counting from the original
start or from the change, as the policy says.

A rules change (the operator re-applies a policy, or the customer's calendar changes) is an
event too: on a running clock the time already used stays used, counted on the hours in
force when it was used, and the remaining time counts on the new hours against the new
rules' target; a stopped clock keeps its result.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from caredesk.core.calendar import BusinessCalendar, require_aware
from caredesk.core.clock_events import ClockEvent, EventKind, Rules
from caredesk.core.display import DisplayState, display_state
from caredesk.core.durations import Duration
from caredesk.core.explain import Earlier, Step, explain
from caredesk.core.lifecycle import CATEGORY, CaseStatus, Category
from caredesk.core.phrases import Localized, Phrase, gettext_noop, say
from caredesk.core.policy import Basis, Metric, Policy, check_severity

__all__ = [
    "ClockEvent",
    "ClockState",
    "EventKind",
    "MetricClock",
    "Rules",
    "compute_clocks",
]

Interval = tuple[datetime, datetime | None]

# The moves that are in themselves Care's answer to the customer, so its first
# communication (SPEC 3): service restored, a resolution proposed, the case closed. They meet
# a response clock still running; a bare move to open or waiting-on-customer does not.
ANSWERS = frozenset({CaseStatus.RESTORED, CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED})


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class MetricClock:
    metric: Metric
    target: Duration | None
    state: ClockState
    start: datetime | None = None
    pauses: tuple[Interval, ...] = ()
    stop: datetime | None = None
    due: datetime | None = None
    elapsed: timedelta = timedelta(0)
    remaining: timedelta | None = None
    warnings: tuple[tuple[int, datetime | None], ...] = ()
    steps: tuple[Step, ...] = ()

    @property
    def is_applicable(self) -> bool:
        return self.target is not None


@dataclass(frozen=True)
class _Span:
    """Time a clock counted under rules no longer in force: it stays used."""

    rules: Rules
    start: datetime
    pauses: tuple[Interval, ...]
    end: datetime
    change: Phrase  # the rules that followed, in words


@dataclass
class _Track:
    """A clock being replayed: since ``start`` under ``rules``, after the ``earlier`` spans."""

    metric: Metric
    severity: int
    target: Duration | None
    start: datetime
    rules: Rules
    pauses: list[list[datetime | None]] = field(default_factory=list)
    stop: datetime | None = None
    stopped_by_proposal: bool = False
    notes: list[Step] = field(default_factory=list)
    earlier: list[_Span] = field(default_factory=list)

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def pause(self, at: datetime) -> None:
        if not self.paused:
            self.pauses.append([at, None])

    def resume(self, at: datetime) -> None:
        if self.paused:
            self.pauses[-1][1] = at


def compute_clocks(
    events: Iterable[ClockEvent],
    *,
    policy: Policy,
    plan: str,
    case_type: str,
    calendar: BusinessCalendar,
    now: datetime,
    explain: bool = True,
    warning_levels: tuple[int, ...] | None = None,
    metrics: Collection[Metric] | None = None,
) -> dict[Metric, MetricClock]:
    """Replay ``events`` (those up to ``now``) into the state of each metric at ``now``.

    ``explain=False`` leaves out the explanation steps (bulk recomputation needs none);
    ``warning_levels`` computes only those warnings (default: the policy's); ``metrics``
    only those metrics (default: all). A timer asks for the one thing it fires on.
    """
    require_aware(now, "now")
    policy.plan(plan)
    history = sorted((e for e in events if _check(e).at <= now), key=lambda e: e.at)
    if not history or history[0].kind is not EventKind.OPENED:
        raise ValueError("a case history must begin with an 'opened' event")
    opened = history[0]
    severity = check_severity(opened.severity)  # type: ignore[arg-type]
    rules = Rules(policy, plan, calendar)
    tracks = {
        m: _Track(m, severity, policy.target(plan, case_type, severity, m), opened.at, rules)
        for m in Metric
    }
    status = CaseStatus.NEW
    for event in history[1:]:
        if event.kind is EventKind.RESPONDED:
            _stop(tracks[Metric.RESPONSE], event.at)
        elif event.kind is EventKind.STATUS_CHANGED:
            assert event.status is not None
            _status(tracks, rules, case_type, status, event.status, event.at)
            status = event.status
        elif event.kind is EventKind.SEVERITY_CHANGED:
            new = check_severity(event.severity)  # type: ignore[arg-type]
            how = rules.policy.clocks
            basis = event.basis or (
                how.phone_raise_basis if event.phone_raise else how.severity_change_basis
            )
            for metric, track in tracks.items():
                if track.stop is None:
                    target = rules.policy.target(rules.plan, case_type, new, metric)
                    _retarget(track, target, new, basis, event)
        elif event.kind is EventKind.INCIDENT_LINKED:
            started = event.incident_started_at
            assert started is not None
            for metric in rules.policy.clocks.platform_incident_start:
                _incident_start(tracks[metric], started)
        elif event.kind is EventKind.RULES_CHANGED:
            assert event.rules is not None
            rules = event.rules
            rules.policy.plan(rules.plan)
            for track in tracks.values():
                if track.stop is None:
                    _rebase(track, rules, case_type, event.at, event.at)
    levels = rules.policy.clocks.warnings if warning_levels is None else warning_levels
    return {
        m: _result(track, now, levels, case_type, explain)
        for m, track in tracks.items()
        if metrics is None or m in metrics
    }


def _check(event: ClockEvent) -> ClockEvent:
    require_aware(event.at, f"{event.kind} event time")
    if event.incident_started_at is not None:
        require_aware(event.incident_started_at, "incident start")
    return event


def _stop(track: _Track, at: datetime, *, by_proposal: bool = False) -> None:
    if track.stop is None:
        track.resume(at)
        track.stop = at
        track.stopped_by_proposal = by_proposal


def _status(
    tracks: dict[Metric, _Track],
    rules: Rules,
    case_type: str,
    old: CaseStatus,
    new: CaseStatus,
    at: datetime,
) -> None:
    pausing = rules.policy.clocks.pause_while_waiting
    for metric, track in tracks.items():
        if metric in pausing and track.stop is None:
            if CATEGORY[new] is Category.PAUSED:
                track.pause(at)
            else:
                track.resume(at)
    if new in ANSWERS:
        # Care's answer reaches the customer: the response is given, if it was not already
        # (a reopening never resumes it).
        _stop(tracks[Metric.RESPONSE], at)
    if new is CaseStatus.RESTORED:
        _stop(tracks[Metric.RESTORATION], at)
    elif new is CaseStatus.RESOLUTION_PROPOSED:
        _stop(tracks[Metric.RESTORATION], at, by_proposal=True)
        _stop(tracks[Metric.RESOLUTION], at, by_proposal=True)
    elif new is CaseStatus.CLOSED:
        for track in tracks.values():
            _stop(track, at)
    elif old is CaseStatus.RESOLUTION_PROPOSED and new is CaseStatus.OPEN:
        # Reopened: a clock stopped only by the proposal resumes; the time the proposal
        # stood with the customer does not count.
        for track in tracks.values():
            if track.stopped_by_proposal and track.stop is not None:
                stop = track.stop
                track.stop = None
                track.stopped_by_proposal = False
                if track.rules is rules:
                    track.pauses.append([stop, at])
                else:  # the rules changed while it stood stopped: it resumes under them
                    _rebase(track, rules, case_type, stop, at)
                resumes = say(gettext_noop("Reopened: the clock resumes."))
                track.notes.append(Step.said("note", resumes, start=at))


def _incident_start(track: _Track, started: datetime) -> None:
    first = track.earlier[0].start if track.earlier else track.start
    if track.stop is not None or started >= first:
        return
    linked = say(
        gettext_noop(
            "Linked to a platform incident that started earlier: the %(metric)s clock counts "
            "from the incident's start."
        ),
        metric=say(track.metric.value),
    )
    track.notes.append(Step.said("note", linked, start=started))
    if track.earlier:
        track.earlier[0] = replace(track.earlier[0], start=started)
    else:
        track.start = started


def _rebase(track: _Track, rules: Rules, case_type: str, end: datetime, at: datetime) -> None:
    """From ``at`` the clock counts under ``rules``; what it counted until ``end`` stays."""
    old, before = track.target, track.rules
    target = rules.policy.target(rules.plan, case_type, track.severity, track.metric)
    track.rules = rules
    track.target = target
    if old is None and target is None:
        # Nothing was counted and nothing will be, but a later severity change may give
        # the clock a target counted from its start: the gap until ``at`` stays uncounted.
        if end < at:
            track.pauses.append([end, at])
        return
    change = rules.describe()
    if old is not None:
        pauses: tuple[Interval, ...] = tuple((cast(datetime, s), e or end) for s, e in track.pauses)
        track.earlier.append(_Span(before, track.start, pauses, end, change))
        what = say(gettext_noop("time already used stays used; the rest counts on the new hours"))
    else:
        what = say(gettext_noop("it had no target before: it counts from the change"))
    paused = track.paused
    track.start = at
    track.pauses = [[at, None]] if paused else []
    shown = (
        target.describe_phrase(rules.calendar) if target is not None else say(gettext_noop("n/a"))
    )
    changed = say(
        gettext_noop("Rules changed: %(change)s; target %(target)s; %(what)s."),
        change=change,
        target=shown,
        what=what,
    )
    track.notes.append(Step.said("note", changed, start=at))


def _retarget(
    track: _Track, target: Duration | None, severity: int, basis: Basis, event: ClockEvent
) -> None:
    if event.phone_raise:
        how = say(gettext_noop("by a phone call to Care"))
    else:
        how = say(gettext_noop("by Care"))
    if basis is Basis.START:
        where = say(gettext_noop("from the original start"))
    else:
        where = say(gettext_noop("from the change"))
    changed = say(
        gettext_noop(
            "Severity changed from %(old)s to %(new)s %(how)s: the target becomes %(target)s, "
            "counted %(where)s."
        ),
        old=track.severity,
        new=severity,
        how=how,
        target=str(target) if target is not None else say(gettext_noop("n/a")),
        where=where,
    )
    track.notes.append(Step.said("retarget", changed, start=event.at))
    track.severity = severity
    track.target = target
    if basis is Basis.CHANGE:
        track.start = event.at
        track.pauses = [[event.at, None]] if track.paused else []
        track.earlier.clear()


def _walk(
    cal: BusinessCalendar, start: datetime, pauses: Sequence[Interval], amount: timedelta
) -> datetime | None:
    """When ``amount`` of time will have counted from ``start``, skipping ``pauses``;
    ``None`` while an open pause holds it."""
    cursor = start
    remaining = amount
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= cursor:
            continue
        pause_start = max(pause_start, cursor)
        available = cal.between(cursor, pause_start)
        if available >= remaining:
            return cal.add(cursor, remaining)
        remaining -= available
        if pause_end is None:
            return None
        cursor = pause_end
    return cal.add(cursor, remaining)


def _elapsed(
    cal: BusinessCalendar, start: datetime, pauses: Sequence[Interval], end: datetime
) -> timedelta:
    if end <= start:
        return timedelta(0)
    total = cal.between(start, end)
    for pause_start, pause_end in pauses:
        s = max(pause_start, start)
        e = min(pause_end or end, end)
        if s < e:
            total -= cal.between(s, e)
    return total


Span = tuple[BusinessCalendar, datetime, Sequence[Interval], datetime, timedelta]


def _walk_all(
    spans: Sequence[Span],
    cal: BusinessCalendar,
    start: datetime,
    pauses: Sequence[Interval],
    amount: timedelta,
) -> datetime | None:
    """``_walk`` through the spans counted under earlier rules (each with the time it
    counted), then on from ``start``."""
    remaining = amount
    for span_cal, span_start, span_pauses, _, counted in spans:
        if counted >= remaining:
            return _walk(span_cal, span_start, span_pauses, remaining)
        remaining -= counted
    return _walk(cal, start, pauses, remaining)


def _result(
    track: _Track,
    now: datetime,
    warning_levels: tuple[int, ...],
    case_type: str,
    explain_steps: bool,
) -> MetricClock:
    metric = track.metric
    if track.target is None:
        return MetricClock(metric, None, ClockState.NOT_APPLICABLE, steps=tuple(track.notes))
    business = track.rules.calendar
    cal = track.target.calendar(business)
    amount = track.target.length(business)
    pauses: tuple[Interval, ...] = tuple((p[0], p[1]) for p in track.pauses)  # type: ignore[misc]
    end = track.stop or now
    spans: list[Span] = []
    elapsed = _elapsed(cal, track.start, pauses, end)
    for span in track.earlier:
        span_cal = track.target.calendar(span.rules.calendar)
        counted = _elapsed(span_cal, span.start, span.pauses, span.end)
        spans.append((span_cal, span.start, span.pauses, span.end, counted))
        elapsed += counted
    due = _walk_all(spans, cal, track.start, pauses, amount)
    warnings = tuple(
        (level, _walk_all(spans, cal, track.start, pauses, amount * level // 100))
        for level in warning_levels
    )
    steps: tuple[Step, ...] = ()
    if explain_steps:
        steps = _steps(track, spans, cal, pauses, due, amount, now, case_type)
    all_pauses = tuple(p for s in track.earlier for p in s.pauses) + pauses
    return MetricClock(
        metric=metric,
        target=track.target,
        state=_state(track, due, now),
        start=track.earlier[0].start if track.earlier else track.start,
        pauses=all_pauses,
        stop=track.stop,
        due=due,
        elapsed=elapsed,
        remaining=amount - elapsed,
        warnings=warnings,
        steps=steps,
    )


# What a person sees of a clock, as the replay names it: on track and at risk are running.
_REPLAYED = {
    DisplayState.ON_TRACK: ClockState.RUNNING,
    DisplayState.AT_RISK: ClockState.RUNNING,
    DisplayState.PAUSED: ClockState.PAUSED,
    DisplayState.MET: ClockState.MET,
    DisplayState.BREACHED: ClockState.BREACHED,
    DisplayState.NOT_APPLICABLE: ClockState.NOT_APPLICABLE,
}


def _state(track: _Track, due: datetime | None, now: datetime) -> ClockState:
    """The display's one definition (``display.display_state``): a clock past its due
    instant unmet is breached from the instant after, whatever the calendar says of the
    time since (a deadline at Friday's closing time is breached on Saturday), and a pause
    that begins after it does not undo that."""
    paused_since = track.pauses[-1][0] if track.paused and track.stop is None else None
    assert track.target is not None
    shown = display_state(str(track.target), due, None, track.stop, paused_since, now)
    return _REPLAYED[shown]


def _steps(
    track: _Track,
    spans: Sequence[Span],
    cal: BusinessCalendar,
    pauses: tuple[Interval, ...],
    due: datetime | None,
    amount: timedelta,
    now: datetime,
    case_type: str,
) -> tuple[Step, ...]:
    """The explanation of a clock with a target: its policy row, then the timeline."""
    assert track.target is not None
    business = track.rules.calendar
    policy, plan = track.rules.policy, track.rules.plan
    row = say(
        gettext_noop(
            "Policy %(policy)s (%(title)s), plan %(plan)s, %(case_type)s severity "
            "%(severity)s (%(name)s): %(metric)s target %(target)s."
        ),
        policy=str(policy),
        title=policy.title,
        plan=plan,
        case_type=say(case_type),
        severity=track.severity,
        name=Localized.of(policy.severities[track.severity].name),
        metric=say(track.metric.value),
        target=track.target.describe_phrase(business),
    )
    earlier = [
        Earlier(c, s.rules.calendar, s.start, s.pauses, s.end, s.change)
        for (c, *_), s in zip(spans, track.earlier, strict=True)
    ]
    return tuple(
        explain(
            row=row,
            notes=track.notes,
            calendar=cal,
            business=business,
            start=track.start,
            pauses=pauses,
            due=due,
            amount=amount,
            now=now,
            stop=track.stop,
            earlier=earlier,
        )
    )
