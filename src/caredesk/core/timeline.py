"""A clock's explanation laid out as a bar per local day, for a timeline a person can read
at a glance: what counted, what was paused, which days were holidays or not working days,
and where the clock started, is due and stopped.

Drawn from the explanation steps (``explain``), never from a second reading of the
calendar: the timeline shows exactly what the step list says. Positions are fractions of
the local day (a day of a clock change is 23 or 25 hours long and still one bar).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from caredesk.core.explain import Step

# Runs of days longer than this with nothing counted and nothing marked are drawn as a gap
# (a case paused for a month, or breached weeks ago), so a timeline stays a few lines long.
QUIET_RUN = 3


@dataclass(frozen=True)
class Piece:
    """Part of a day: ``kind`` is ``counted``, ``ahead`` (the rest of the target, after
    the stop or now), ``paused``, or why a whole day counted nothing (``holiday``,
    ``not-working``, ``paused``, ``closed``); ``start``/``end`` are fractions of the day,
    ``since``/``until`` the instants."""

    kind: str
    start: float
    end: float
    since: datetime
    until: datetime


@dataclass(frozen=True)
class Mark:
    """An instant on a day: ``start``, ``due``, ``stop`` or ``now``."""

    kind: str
    at: float
    instant: datetime


@dataclass(frozen=True)
class DayBar:
    day: date
    pieces: tuple[Piece, ...]
    marks: tuple[Mark, ...]
    skipped_before: int = 0  # quiet days left out just before this one


Interval = tuple[datetime, datetime]


def _bounds(day: date, zone: tzinfo) -> Interval:
    return (
        datetime.combine(day, time(), zone),
        datetime.combine(day + timedelta(days=1), time(), zone),
    )


def _pieces(kind: str, intervals: Iterable[Interval], day: Interval) -> list[Piece]:
    begin, finish = day
    length = (finish - begin).total_seconds()
    found = []
    for s, e in intervals:
        lo, hi = max(s, begin), min(e, finish)
        if lo < hi:
            start = (lo - begin).total_seconds() / length
            end = (hi - begin).total_seconds() / length
            found.append(Piece(kind, start, end, lo, hi))
    return found


def _marks(steps: Sequence[Step], now: datetime) -> list[tuple[str, datetime]]:
    """Where the clock started, is due and stopped; ``now`` while it has not stopped."""
    marks = [
        (s.kind, s.start)
        for s in steps
        if s.kind in ("start", "due", "stop") and s.start is not None
    ]
    if not any(kind == "stop" for kind, _ in marks):
        marks.append(("now", now))
    return marks


def _fraction(at: datetime, day: Interval) -> float | None:
    begin, finish = day
    if not begin <= at < finish:
        return None
    return (at - begin).total_seconds() / (finish - begin).total_seconds()


def day_bars(steps: Sequence[Step], zone: tzinfo, now: datetime) -> list[DayBar]:
    """The bars of one clock's explanation ``steps`` in ``zone`` (the customer's), up to
    ``now`` for a clock still running or paused."""
    counted = [span for s in steps if s.kind == "count" for span in s.spans]
    paused = [(s.start, s.end or now) for s in steps if s.kind == "pause" and s.start is not None]
    skipped = {
        s.start.astimezone(zone).date(): s.why for s in steps if s.kind == "skip" and s.start
    }
    marks = _marks(steps, now)
    # Counted up to the stop (or now); the steps after it lay out the rest of the target.
    upto = next((at for kind, at in marks if kind == "stop"), now)
    starts = [at for _, at in marks] + [s for s, _ in counted]
    # A span counted to midnight ends on its own day, not at the start of the next.
    ends = [at for _, at in marks] + [e - timedelta(microseconds=1) for _, e in counted]
    day = min(starts).astimezone(zone).date()
    last_day = max(ends).astimezone(zone).date()
    bars: list[DayBar] = []
    quiet: list[DayBar] = []
    while day <= last_day:
        bounds = _bounds(day, zone)
        pieces: list[Piece] = []
        if day in skipped:
            pieces.append(Piece(skipped[day], 0.0, 1.0, *bounds))
        pieces += _pieces("paused", paused, bounds)
        pieces += _pieces("counted", [(a, min(b, upto)) for a, b in counted], bounds)
        pieces += _pieces("ahead", [(max(a, upto), b) for a, b in counted], bounds)
        day_marks = tuple(
            Mark(kind, at_fraction, at)
            for kind, at in marks
            if (at_fraction := _fraction(at, bounds)) is not None
        )
        bar = DayBar(day, tuple(pieces), day_marks)
        if day_marks or any(p.kind in ("counted", "ahead") for p in pieces):
            bars.extend(_settle(quiet, bar))
            quiet = []
        else:
            quiet.append(bar)
        day += timedelta(days=1)
    return bars + quiet


def _settle(quiet: list[DayBar], bar: DayBar) -> list[DayBar]:
    """The quiet days before ``bar``: drawn when few, else left out and counted on it."""
    if len(quiet) <= QUIET_RUN:
        return [*quiet, bar]
    return [DayBar(bar.day, bar.pieces, bar.marks, skipped_before=len(quiet))]
