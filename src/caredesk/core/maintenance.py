"""Planned maintenance windows: weekly rules in wall-clock time, and their occurrences.

A rule is a week of intervals (``{"tue": "22:00-05:00", ...}``, as business hours are
written) in a named IANA zone, or in the customer's local time (``zone`` is ``None`` and
the zone is given with each query). An interval belongs to the day it starts on, so
Tuesday 22:00-05:00 runs from Tuesday 22:00 to Wednesday 05:00.

Wall-clock times across DST are read exactly as business hours are: an instant is inside
a window when its local wall time is, so a window loses the skipped hour of a spring-forward
night and keeps both occurrences of a repeated one. The mapping to UTC is the business
calendar's (``BusinessCalendar.open_intervals``), never a second copy of it; a window is
one of its merged UTC periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from caredesk.core.calendar import BusinessCalendar, require_aware
from caredesk.core.hours import WorkingInterval, describe_week, parse_week, week_hours
from caredesk.core.zones import load_zone

# A window is at most 48 h of wall time (an interval may end the next day at 24:00), so
# its UTC period lies within three days either side of any instant it touches.
_REACH = timedelta(days=3)
_ONE_US = timedelta(microseconds=1)


@dataclass(frozen=True)
class WindowRule:
    """Weekly planned maintenance: per weekday (Monday first), its wall-clock intervals, in
    ``zone`` or, when ``zone`` is ``None``, in the customer's local time."""

    zone: str | None
    week: tuple[tuple[WorkingInterval, ...], ...]

    @classmethod
    def parse(cls, zone: str | None, windows: Mapping[str, str | Sequence[str]]) -> WindowRule:
        """A rule from a zone name (``None``: customer local time) and a weekday map."""
        if zone is not None:
            load_zone(zone)
        week = parse_week(windows)
        if not any(week):
            raise ValueError("a maintenance rule needs at least one window")
        return cls(zone, week)

    @property
    def is_local(self) -> bool:
        """Whether the windows are in the customer's local time."""
        return self.zone is None

    @property
    def hours(self) -> dict[str, list[str]]:
        """The weekday map, as the rule was written (``{"tue": ["22:00-05:00"], ...}``)."""
        return week_hours(self.week)

    def describe(self) -> str:
        """One line: ``Tue-Thu 22:00-05:00 America/New_York``."""
        return f"{describe_week(self.week)} {self.zone or 'customer local time'}"

    def zone_for(self, zone: str | None) -> str:
        """The zone the windows are counted in: the rule's own, else the customer's
        ``zone``, which a local-time rule cannot do without."""
        if self.zone is not None:
            return self.zone
        if zone is None:
            raise ValueError(
                "this service's maintenance windows are in the customer's local time; "
                "give the customer's time zone"
            )
        load_zone(zone)
        return zone


@dataclass(frozen=True, order=True)
class Window:
    """One planned maintenance period, ``[start, end)`` in UTC, counted in ``zone``."""

    start: datetime
    end: datetime
    zone: str

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def local_start(self, zone: str | None = None) -> datetime:
        """The start in ``zone`` (default: the zone the window is counted in)."""
        return self.start.astimezone(ZoneInfo(zone or self.zone))

    def local_end(self, zone: str | None = None) -> datetime:
        return self.end.astimezone(ZoneInfo(zone or self.zone))


@lru_cache(maxsize=256)
def _calendar(zone: str, week: tuple[tuple[WorkingInterval, ...], ...]) -> BusinessCalendar:
    return BusinessCalendar(zone, week_hours(week))


def windows_between(
    rule: WindowRule, start: datetime, end: datetime, zone: str | None = None
) -> list[Window]:
    """Every window of ``rule`` overlapping ``[start, end)``, whole (not clipped), in order.

    ``zone`` is the customer's, required by a local-time rule and ignored otherwise.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    if end < start:
        raise ValueError(
            f"the end {end.isoformat()} is before the start {start.isoformat()}; "
            "expected an end at or after the start"
        )
    counted_in = rule.zone_for(zone)
    calendar = _calendar(counted_in, rule.week)
    return [
        Window(s, e, counted_in)
        for s, e in calendar.open_intervals(start - _REACH, end + _REACH)
        if s < end and e > start
    ]


def window_at(rule: WindowRule, instant: datetime, zone: str | None = None) -> Window | None:
    """The window of ``rule`` in progress at ``instant``, or ``None``."""
    require_aware(instant)
    found = windows_between(rule, instant, instant + _ONE_US, zone)
    return found[0] if found else None


def next_window(rule: WindowRule, instant: datetime, zone: str | None = None) -> Window | None:
    """The window in progress at ``instant``, else the next one to start (within a week,
    since every rule has a window each week)."""
    found = windows_between(rule, instant, instant + timedelta(days=8), zone)
    return found[0] if found else None


def with_moves(
    planned: Sequence[Window],
    moves: Mapping[datetime, Window],
    start: datetime,
    end: datetime,
) -> list[Window]:
    """The windows overlapping ``[start, end)`` once occurrences are moved: ``moves`` maps
    the start of a planned occurrence to the window it was moved to (an accepted reschedule).
    A moved occurrence leaves ``planned``; its new window joins when it overlaps the period,
    wherever the occurrence was."""
    kept = [w for w in planned if w.start not in moves]
    moved = [w for w in moves.values() if w.start < end and w.end > start]
    return sorted(kept + moved)
