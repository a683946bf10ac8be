"""Maintenance windows against a brute-force reference that steps minute by minute.

The reference knows nothing of the calendar: an instant is in maintenance when its local
wall time (``astimezone``) falls inside an interval of its own local date, or inside one of
the day before that runs past midnight. Across DST that is the rule the calendar decides:
a skipped wall time never happens, a repeated one happens twice.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core.hours import WEEKDAYS
from caredesk.core.maintenance import WindowRule, window_at, windows_between

pytestmark = pytest.mark.slow
SCALE = max(1, int(os.environ.get("CAREDESK_PROPERTY_SCALE", "1")))
MINUTE = timedelta(minutes=1)
DAY_MINUTES = 1440
WEEK_MINUTES = 7 * DAY_MINUTES

ZONES = (
    "America/New_York",
    "Europe/London",
    "Asia/Tokyo",
    "Europe/Dublin",  # negative DST: "winter time" is the saving
    "Australia/Lord_Howe",  # 30-minute DST
    "America/Havana",  # changes at local midnight
    "America/Santiago",  # changes at 24:00 Saturday
    "Asia/Tehran",  # changed at midnight on fixed dates, any weekday
    "Pacific/Chatham",  # +12:45 / +13:45
)
LANDMARKS = (
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # New York spring forward
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # New York fall back
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # London forward
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # London back
    datetime(2026, 3, 8, 5, tzinfo=UTC),  # Havana: DST starts at local midnight
    datetime(2022, 3, 21, 20, 30, tzinfo=UTC),  # Tehran: Tue 22 Mar 00:00 -> 01:00
    datetime(2026, 4, 4, 15, tzinfo=UTC),  # Lord Howe: back 30 minutes
    datetime(2026, 4, 5, 3, tzinfo=UTC),  # Santiago back
)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def rules(draw: st.DrawFn) -> dict[str, list[str]]:
    """A week of maintenance windows laid one after another from a random rotation, each
    at most a day long, separated by at least a minute; some cross midnight."""
    align = draw(st.sampled_from((1, 15, 30, 60)))
    rotation = draw(st.integers(0, WEEK_MINUTES // align - 1)) * align
    pos = rotation
    hours: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(1, 6))):
        start = pos + draw(st.integers(1, 3000 // align)) * align
        length = draw(st.integers(1, DAY_MINUTES // align - 1)) * align
        if start + length >= rotation + WEEK_MINUTES:  # a gap before the first, too
            break
        first = start % DAY_MINUTES
        last = (first + length) % DAY_MINUTES
        end_text = "24:00" if last == 0 else _hhmm(last)
        hours.setdefault(WEEKDAYS[(start // DAY_MINUTES) % 7], []).append(
            f"{_hhmm(first)}-{end_text}"
        )
        pos = start + length
    if not hours:
        hours = {"tue": ["00:00-03:00"]}
    return hours


def in_reference(rule: WindowRule, zone: str, instant: datetime) -> bool:
    wall = instant.astimezone(ZoneInfo(zone))
    minute = wall.hour * 60 + wall.minute
    today = rule.week[wall.weekday()]
    yesterday = rule.week[(wall.weekday() - 1) % 7]
    return any(iv.start <= minute < iv.end for iv in today) or any(
        iv.start <= minute + DAY_MINUTES < iv.end for iv in yesterday
    )


@st.composite
def starts(draw: st.DrawFn) -> datetime:
    if draw(st.booleans()):
        landmark = draw(st.sampled_from(LANDMARKS))
        return landmark - draw(st.integers(0, 3 * DAY_MINUTES)) * MINUTE
    first = datetime(2020, 1, 1, tzinfo=UTC)
    return first + draw(st.integers(0, 10 * 365 * DAY_MINUTES)) * MINUTE


@settings(max_examples=120 * SCALE, deadline=None)
@given(hours=rules(), zone=st.sampled_from(ZONES), start=starts(), local=st.booleans())
def test_windows_agree_with_minute_stepping(
    hours: dict[str, list[str]], zone: str, start: datetime, local: bool
) -> None:
    rule = WindowRule.parse(None if local else zone, hours)
    end = start + 4 * DAY_MINUTES * MINUTE
    found = windows_between(rule, start, end, zone)
    assert found == sorted(found)
    for before, after in pairwise(found):
        assert before.end < after.start  # separate windows, never touching
    for window in found:  # whole: inside at both edges, outside just beyond
        assert window.zone == zone
        assert window.start < end
        assert window.end > start
        assert in_reference(rule, zone, window.start)
        assert in_reference(rule, zone, window.end - MINUTE)
        assert not in_reference(rule, zone, window.start - MINUTE)
        assert not in_reference(rule, zone, window.end)
    instant = start
    while instant < end:
        inside = [w for w in found if w.contains(instant)]
        assert bool(inside) == in_reference(rule, zone, instant), instant
        if instant.minute % 97 == 0 or bool(inside) != in_reference(rule, zone, instant - MINUTE):
            assert window_at(rule, instant, zone) == (inside[0] if inside else None)
        instant += MINUTE
