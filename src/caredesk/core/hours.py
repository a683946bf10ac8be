"""Weekly working hours as written by people: ``{"mon": "08:00-17:00", ...}`` (a policy's
table and what is stored), or in one line, ``"Mon-Fri 09:00-12:00, 13:00-18:00"`` (what an
operator types and what a calendar's description prints); and declared holidays, closed all
day or open only part of it.

An interval belongs to the day it starts on: ``"22:00-05:00"`` on Monday runs from Monday
22:00 to Tuesday 05:00, and a holiday on Monday removes all of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, order=True)
class WorkingInterval:
    """Minutes after local midnight of ``weekday`` (0 = Monday); ``end`` may pass 1440."""

    weekday: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.text}"

    @property
    def text(self) -> str:
        """``"08:00-17:00"``; an end at midnight reads ``24:00``, past it the next day's time."""
        end = self.end if self.end == MINUTES_PER_DAY else self.end % MINUTES_PER_DAY
        return f"{_hhmm(self.start)}-{_hhmm(end)}"

    @property
    def minutes(self) -> int:
        return self.end - self.start


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_interval(weekday: int, text: str) -> WorkingInterval:
    """``"08:00-17:00"``, ``"00:00-24:00"`` or, across midnight, ``"22:00-05:00"``."""
    match = _INTERVAL.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"malformed working interval {text!r} on {WEEKDAYS[weekday]}; expected 'HH:MM-HH:MM'"
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
        raise ValueError(
            f"malformed working interval {text!r} on {WEEKDAYS[weekday]}; "
            "hours run 00-23 (24:00 only as an end) and minutes 00-59"
        )
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end == start:
        raise ValueError(
            f"empty working interval {text!r} on {WEEKDAYS[weekday]}; "
            "use '00:00-24:00' for a whole day"
        )
    if end < start:  # crosses midnight into the next day
        end += MINUTES_PER_DAY
    return WorkingInterval(weekday, start, end)


def parse_week(hours: Mapping[str, str | Sequence[str]]) -> tuple[tuple[WorkingInterval, ...], ...]:
    """Per weekday (Monday first), the sorted working intervals; overlaps are refused."""
    if not isinstance(hours, Mapping):
        raise ValueError(f"working hours {hours!r} must map weekdays ('mon'..'sun') to intervals")
    days: list[list[WorkingInterval]] = [[] for _ in WEEKDAYS]
    for key, value in hours.items():
        name = key.strip().lower() if isinstance(key, str) else key
        if name not in WEEKDAYS:
            raise ValueError(f"unknown weekday {key!r} in working hours; expected one of mon..sun")
        weekday = WEEKDAYS.index(name)
        # One interval, or several; anything else goes to ``parse_interval``, which names it.
        several = isinstance(value, Iterable) and not isinstance(value, str | bytes)
        texts: list[Any] = list(value) if several else [value]
        days[weekday].extend(parse_interval(weekday, text) for text in texts)
    for day in days:
        day.sort()
    _refuse_overlaps([iv for day in days for iv in day])
    return tuple(tuple(day) for day in days)


def _refuse_overlaps(intervals: list[WorkingInterval]) -> None:
    """Intervals may touch but not overlap, also across midnight and from Sunday to Monday."""
    spans: list[tuple[int, int, WorkingInterval]] = []
    for iv in intervals:
        s = iv.weekday * MINUTES_PER_DAY + iv.start
        e = iv.weekday * MINUTES_PER_DAY + iv.end
        if e > MINUTES_PER_WEEK:
            spans.append((s, MINUTES_PER_WEEK, iv))
            spans.append((0, e - MINUTES_PER_WEEK, iv))
        else:
            spans.append((s, e, iv))
    spans.sort(key=lambda span: (span[0], span[1]))
    for (_, e1, a), (s2, _, b) in pairwise(spans):
        if s2 < e1:
            raise ValueError(f"overlapping working intervals: {a} and {b}")


def standard_day_minutes(week: Sequence[Sequence[WorkingInterval]]) -> int:
    """The most common non-zero working-day length (ties: the longer), in minutes."""
    totals = [sum(iv.minutes for iv in day) for day in week]
    worked = [t for t in totals if t]
    if not worked:
        raise ValueError("working hours name no working interval; a calendar needs at least one")
    return max(worked, key=lambda t: (worked.count(t), t))


def describe_week(week: Sequence[Sequence[WorkingInterval]]) -> str:
    """``"Mon-Fri 08:00-17:00"``-style summary, grouping consecutive equal days."""
    texts = [", ".join(iv.text for iv in day) for day in week]
    if all(text == "00:00-24:00" for text in texts):
        return "24x7"
    parts: list[str] = []
    i = 0
    while i < len(texts):
        j = i
        while j + 1 < len(texts) and texts[j + 1] == texts[i]:
            j += 1
        if texts[i]:
            first, last = WEEKDAYS[i].title(), WEEKDAYS[j].title()
            names = first if i == j else f"{first}-{last}"
            parts.append(f"{names} {texts[i]}")
        i = j + 1
    return "; ".join(parts)


# -- working hours in one line ------------------------------------------------------------

_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {
    full: i
    for i, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_EXPECTED_HOURS = (
    "such as 'Mon-Fri 09:00-18:00' or 'Mon-Fri 09:00-12:00, 13:00-18:00; Sat 10:00-14:00'"
)


def parse_hours(text: str) -> dict[str, list[str]]:
    """Working hours written in one line, as ``describe_week`` prints them: groups joined by
    ``;``, each days (``Mon``, ``Mon-Fri``, ``Sun-Thu``, ``Mon,Wed,Fri``) then intervals
    joined by ``,``; or ``24x7``. Returns the weekday map a policy's business hours hold
    (``{"mon": ["09:00-12:00", "13:00-18:00"], ...}``, worked days only); a bad day, a bad
    time, overlapping intervals or a week without working time is refused in one sentence
    naming the text."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(
            f"working hours {text!r} name no working time; expected hours {_EXPECTED_HOURS}"
        )
    if text.strip().lower() == "24x7":
        return {day: ["00:00-24:00"] for day in WEEKDAYS}
    hours: dict[str, list[str]] = {}
    for group in text.split(";"):
        days, _, times = group.strip().partition(" ")
        intervals = [t.strip() for t in times.split(",")] if times.strip() else []
        if not days or not intervals or not all(intervals):
            raise ValueError(
                f"working hours {text!r}: {group.strip()!r} does not give days then times; "
                f"expected hours {_EXPECTED_HOURS}"
            )
        for weekday in _weekdays(days, text):
            hours.setdefault(WEEKDAYS[weekday], []).extend(intervals)
    try:
        week = parse_week(hours)
    except ValueError as exc:
        raise ValueError(f"working hours {text!r}: {exc}") from None
    return week_hours(week)


def _weekdays(days: str, text: str) -> list[int]:
    """``Mon-Fri`` (a range may wrap past Sunday: ``Sun-Thu``), ``Mon,Wed``, ``Sat``."""
    found: list[int] = []
    for part in days.split(","):
        first, dash, last = part.strip().lower().partition("-")
        names = [first, last] if dash else [first]
        unknown = [n for n in names if n not in _DAY_NAMES]
        if unknown:
            raise ValueError(
                f"working hours {text!r}: unknown day {unknown[0]!r}; "
                "expected Mon, Tue, Wed, Thu, Fri, Sat or Sun"
            )
        a = _DAY_NAMES[first]
        b = _DAY_NAMES[last] if dash else a
        found.extend((a + k) % 7 for k in range((b - a) % 7 + 1))
    return found


def week_hours(week: Sequence[Sequence[WorkingInterval]]) -> dict[str, list[str]]:
    """The weekday map of a parsed week, worked days only, each day's intervals in order."""
    hours = {WEEKDAYS[i]: [iv.text for iv in day] for i, day in enumerate(week) if day}
    if not hours:
        raise ValueError("working hours name no working interval; a calendar needs at least one")
    return hours


def hours_text(hours: Mapping[str, str | Sequence[str]]) -> str:
    """Weekly hours in one line (``"Mon-Fri 09:00-12:00, 13:00-18:00"``), as typed."""
    return describe_week(parse_week(hours))


# -- declared holidays --------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, order=True)
class DeclaredDay:
    """A local date declared a holiday: closed all day, or (with ``open_from`` and/or
    ``open_until``, minutes after midnight) open only inside that window of the day's usual
    hours, such as closing early at 13:00."""

    day: date
    open_from: int | None = None
    open_until: int | None = None

    @property
    def whole_day(self) -> bool:
        return self.open_from is None and self.open_until is None

    @property
    def window(self) -> tuple[int, int]:
        """The part of the day still worked, in minutes after midnight."""
        start = 0 if self.open_from is None else self.open_from
        end = MINUTES_PER_DAY if self.open_until is None else self.open_until
        return start, end

    def __str__(self) -> str:
        if self.whole_day:
            return f"{self.day.isoformat()} closed"
        start, end = self.window
        return f"{self.day.isoformat()} open {_hhmm(start)}-{_hhmm(end)}"


def declared_day(day: str | date, open_from: str = "", open_until: str = "") -> DeclaredDay:
    """A holiday as people declare it: a date (``YYYY-MM-DD``) and, for part of the day,
    the time it opens and/or closes (``HH:MM``); each refused in one sentence naming it."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip())
        except ValueError:
            raise ValueError(f"holiday date {day!r} is not a date; expected YYYY-MM-DD") from None
    elif not isinstance(day, date):
        raise ValueError(f"holiday date {day!r} is not a date; expected YYYY-MM-DD")
    start = _minutes(open_from, "opening time", allow_midnight_end=False)
    end = _minutes(open_until, "closing time", allow_midnight_end=True)
    if end == 0:
        raise ValueError(
            f"closing time {open_until!r} leaves no working time; declare the whole day closed"
        )
    if start is not None and end is not None and start >= end:
        raise ValueError(
            f"opening time {open_from!r} is not before closing time {open_until!r}; "
            "expected the day's open window, such as 09:00 to 13:00"
        )
    if start == 0 and end in (None, MINUTES_PER_DAY):
        raise ValueError(
            f"a holiday open from {open_from!r} all day closes nothing; give a later opening "
            "time or a closing time"
        )
    return DeclaredDay(day, start, end)


def _minutes(text: str, what: str, *, allow_midnight_end: bool) -> int | None:
    if not isinstance(text, str):
        raise ValueError(f"{what} {text!r} is not a time; expected HH:MM")
    if not text.strip():
        return None
    match = _TIME.match(text)
    hour, minute = (int(g) for g in match.groups()) if match else (99, 99)
    if hour == 24 and minute == 0 and allow_midnight_end:
        return MINUTES_PER_DAY
    if hour > 23 or minute > 59:
        raise ValueError(f"{what} {text!r} is not a time; expected HH:MM between 00:00 and 23:59")
    return hour * 60 + minute
