"""Weekly working hours as written by people: ``{"mon": "08:00-17:00", ...}``.

An interval belongs to the day it starts on: ``"22:00-05:00"`` on Monday runs from Monday
22:00 to Tuesday 05:00, and a holiday on Monday removes all of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
