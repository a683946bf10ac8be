"""Property tests for ``BusinessCalendar``.

Random calendars (zone, non-overlapping weekly intervals including midnight-crossing
ones, declared and national holidays) and random minute-aligned instants from 1970 to
2200, weighted towards the zone's offset transitions. Small cases are checked against the
brute-force ``ReferenceCalendar``; larger ones against the algebra the spec demands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.hours import WEEKDAYS
from tests.reference_calendar import ReferenceCalendar

ZONES = (
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Pacific/Chatham",
    "America/New_York",
    "Europe/London",
    "Asia/Tokyo",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "America/Havana",
    "UTC",
)
COUNTRIES = ("US", "JP", "GB", "BR")
# Hundreds of random calendars: the mutation run leaves them out (``-m "not slow"``).
pytestmark = pytest.mark.slow

# ``CAREDESK_PROPERTY_SCALE=50`` runs fifty times as many examples (a nightly soak).
SCALE = max(1, int(os.environ.get("CAREDESK_PROPERTY_SCALE", "1")))


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None)


MINUTE = timedelta(minutes=1)
US = timedelta(microseconds=1)
DAY_MINUTES = 1440
WEEK_MINUTES = 7 * DAY_MINUTES
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST_MINUTE = 0  # 1970-01-01 00:00 UTC
LAST_MINUTE = int((datetime(2200, 12, 31, tzinfo=UTC) - EPOCH) / MINUTE)

# Instants where calendars tend to go wrong: skipped days, midnight transitions, odd offsets.
LANDMARKS = (
    datetime(2011, 12, 30, 10, 0, tzinfo=UTC),  # Apia skips 2011-12-30
    datetime(2018, 11, 4, 3, 0, tzinfo=UTC),  # Sao Paulo DST starts at local midnight
    datetime(2019, 2, 17, 2, 0, tzinfo=UTC),  # Sao Paulo DST ends at local midnight
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York spring forward
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York fall back
    datetime(2026, 4, 4, 15, 0, tzinfo=UTC),  # Lord Howe: back 30 minutes
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),  # Lord Howe: forward 30 minutes
    datetime(2026, 3, 8, 5, 0, tzinfo=UTC),  # Havana: DST starts at local midnight
    datetime(1985, 12, 31, 18, 30, tzinfo=UTC),  # Kathmandu leaves +05:30 for +05:45
    datetime(1970, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2200, 12, 30, 0, 0, tzinfo=UTC),
)


# -- strategies -------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def weekly_hours(draw: st.DrawFn) -> tuple[dict[str, list[str]], int]:
    """Hours that cannot overlap, and the minutes worked per week.

    Intervals are laid out one after another around a week that starts at a random
    rotation, so some cross midnight, some touch, and the last may wrap from Sunday into
    Monday without reaching the first.
    """
    if draw(st.integers(0, 19)) == 0:
        return {day: ["00:00-24:00"] for day in WEEKDAYS}, WEEK_MINUTES
    align = draw(st.sampled_from((1, 1, 5, 15, 60, DAY_MINUTES)))
    rotation = draw(st.integers(0, WEEK_MINUTES // align - 1)) * align
    count = draw(st.integers(1, 9))
    hours: dict[str, list[str]] = {}
    pos = rotation
    worked = 0
    for _ in range(count):
        gap = draw(st.integers(0, max(3000 // align, 1))) * align
        length = draw(st.integers(1, DAY_MINUTES // align)) * align
        start = pos + gap
        if length == DAY_MINUTES and start % DAY_MINUTES:
            length -= 1  # only "00:00-24:00" lasts a whole day
        end = start + length
        if end > rotation + WEEK_MINUTES:
            break
        day = (start // DAY_MINUTES) % 7
        first = start % DAY_MINUTES
        last = first + length
        if last == DAY_MINUTES:
            # "22:00-00:00" ends at the next midnight too; "00:00-00:00" would be empty
            text_end = draw(st.sampled_from(("24:00", "00:00"))) if first else "24:00"
        else:
            text_end = _hhmm(last % DAY_MINUTES)
        hours.setdefault(WEEKDAYS[day], []).append(f"{_hhmm(first)}-{text_end}")
        worked += length
        pos = end
    return hours, worked


@cache
def _transitions(zone_name: str, year: int) -> tuple[datetime, ...]:
    """Instants in ``year`` at which the zone's UTC offset changes (found independently)."""
    zone = ZoneInfo(zone_name)
    t0 = int((datetime(year, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    t1 = int((datetime(year + 1, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())

    def offset(t: int) -> timedelta | None:
        return datetime.fromtimestamp(t, zone).utcoffset()

    found = []
    step = 3 * 3600
    for lo in range(t0, t1, step):
        hi = lo + step
        if offset(lo) != offset(hi):
            a, b = lo, hi
            while b - a > 1:
                mid = (a + b) // 2
                if offset(mid) == offset(a):
                    a = mid
                else:
                    b = mid
            found.append(datetime.fromtimestamp(b, UTC))
    return tuple(found)


@st.composite
def instants(draw: st.DrawFn, zone: str) -> datetime:
    """A whole-minute UTC instant in 1970-2200, often within days of an offset change."""
    kind = draw(st.integers(0, 9))
    if kind < 4:
        year = draw(st.integers(1970, 2199))
        changes = _transitions(zone, year)
        if changes:
            base = draw(st.sampled_from(changes))
            return base + draw(st.integers(-3 * DAY_MINUTES, 3 * DAY_MINUTES)) * MINUTE
    if kind < 6:
        base = draw(st.sampled_from(LANDMARKS))
        return base + draw(st.integers(-4 * DAY_MINUTES, 4 * DAY_MINUTES)) * MINUTE
    return EPOCH + draw(st.integers(FIRST_MINUTE, LAST_MINUTE)) * MINUTE


@dataclass
class Case:
    zone: str
    hours: dict[str, list[str]]
    worked: int  # minutes per week
    holidays: list[date]
    country: str | None
    start: datetime

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(self.zone, self.hours, self.holidays, country=self.country)

    def reference(self) -> ReferenceCalendar:
        return ReferenceCalendar(self.zone, self.hours, self.holidays, country=self.country)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone = draw(st.sampled_from(ZONES))
    hours, worked = draw(weekly_hours())
    start = draw(instants(zone))
    local_day = start.astimezone(ZoneInfo(zone)).date()
    holidays = [
        local_day + timedelta(days=k)
        for k in draw(st.lists(st.integers(-4, 12), max_size=4, unique=True))
    ]
    country = draw(st.one_of(st.none(), st.none(), st.sampled_from(COUNTRIES)))
    return Case(zone, hours, worked, holidays, country, start)


def small_minutes(case: Case, limit: int = 3 * DAY_MINUTES) -> st.SearchStrategy[int]:
    """Durations the brute-force reference can step through quickly."""
    bound = max(1, min(limit, case.worked))
    return st.integers(-bound, bound)


def fit(case: Case, d: timedelta) -> timedelta:
    """``d`` cut down so that a sparse calendar reaches it within about eight years."""
    bound = case.worked * 400 * MINUTE
    if abs(d) <= bound:
        return d
    return abs(d) % bound if d > timedelta(0) else -(abs(d) % bound)


def _describe(case: Case) -> str:
    return (
        f"{case.zone} {case.hours} holidays={case.holidays} country={case.country} "
        f"start={case.start.isoformat()}"
    )


def _is_closing_instant(cal: BusinessCalendar, u: datetime) -> bool:
    """``u`` ends an open period: the microsecond before it counts."""
    return cal.between(u - US, u) == US


# -- against the brute-force reference -----------------------------------------------------

REFERENCE = examples(400)


@REFERENCE
@given(data=st.data())
def test_add_matches_reference(data: st.DataObject) -> None:
    case = data.draw(cases())
    minutes = data.draw(small_minutes(case))
    cal, ref = case.calendar(), case.reference()
    d = minutes * MINUTE
    got = cal.add(case.start, d)
    want = ref.add(case.start, d)
    assert got == want, f"add({case.start}, {d}) on {_describe(case)}"
    assert got.tzinfo is UTC


@REFERENCE
@given(data=st.data())
def test_between_matches_reference(data: st.DataObject) -> None:
    case = data.draw(cases())
    other = case.start + data.draw(st.integers(-3 * DAY_MINUTES, 3 * DAY_MINUTES)) * MINUTE
    cal, ref = case.calendar(), case.reference()
    assert cal.between(case.start, other) == ref.between(case.start, other), _describe(case)


@examples(250)
@given(data=st.data())
def test_is_open_matches_reference(data: st.DataObject) -> None:
    case = data.draw(cases())
    cal, ref = case.calendar(), case.reference()
    steps = data.draw(st.lists(st.integers(-3 * DAY_MINUTES, 3 * DAY_MINUTES), max_size=30))
    for k in [0, *steps]:
        t = case.start + k * MINUTE
        assert cal.is_open(t) == ref.is_open(t), f"is_open({t}) on {_describe(case)}"


@examples(150)
@given(data=st.data())
def test_open_intervals_and_next_open_match_reference(data: st.DataObject) -> None:
    case = data.draw(cases())
    cal, ref = case.calendar(), case.reference()
    a = case.start
    b = a + data.draw(st.integers(1, 2 * DAY_MINUTES)) * MINUTE
    # The reference's open minutes in [a, b), as runs.
    runs: list[tuple[datetime, datetime]] = []
    t = a
    while t < b:
        if ref.is_open(t):
            if runs and runs[-1][1] == t:
                runs[-1] = (runs[-1][0], t + MINUTE)
            else:
                runs.append((t, t + MINUTE))
        t += MINUTE
    assert list(cal.open_intervals(a, b)) == runs, _describe(case)
    # next_open: the first open minute at or after ``a`` (looked for within [a, b)).
    if runs:
        assert cal.next_open(a) == runs[0][0], _describe(case)
    else:
        assert cal.next_open(a) >= b, _describe(case)


# -- algebra over larger durations ----------------------------------------------------------

ALGEBRA = examples(300)
_YEAR = 366 * DAY_MINUTES


def durations(max_minutes: int = _YEAR, exact: bool = False) -> st.SearchStrategy[timedelta]:
    """Whole minutes (the fast path), or with seconds and microseconds (the exact path)."""
    minutes = st.integers(-max_minutes, max_minutes).map(lambda m: m * MINUTE)
    if not exact:
        return minutes
    micros = st.integers(-max_minutes * 60_000_000, max_minutes * 60_000_000)
    return st.one_of(minutes, micros.map(lambda u: u * US))


def jitter() -> st.SearchStrategy[timedelta]:
    """Zero, whole seconds, or microseconds off the minute."""
    return st.one_of(
        st.just(timedelta(0)),
        st.integers(-59, 59).map(lambda s: timedelta(seconds=s)),
        st.integers(-60_000_000, 60_000_000).map(lambda u: u * US),
    )


@ALGEBRA
@given(case=cases(), d=durations(exact=True), shift=jitter())
def test_between_undoes_add(case: Case, d: timedelta, shift: timedelta) -> None:
    cal = case.calendar()
    d = fit(case, d)
    s = case.start + shift
    u = cal.add(s, d)
    assert cal.between(s, u) == d, _describe(case)
    assert (u >= s) if d >= timedelta(0) else (u < s)
    assert u.tzinfo is UTC


@ALGEBRA
@given(case=cases(), d=durations(exact=True), shift=jitter())
def test_add_lands_on_business_time(case: Case, d: timedelta, shift: timedelta) -> None:
    """Never strictly inside a closed period, unless a closing instant or ``d == 0``."""
    cal = case.calendar()
    d = fit(case, d)
    s = case.start + shift
    u = cal.add(s, d)
    assert d == timedelta(0) or cal.is_open(u) or _is_closing_instant(cal, u), _describe(case)
    if d > timedelta(0):
        # earliest: the microsecond before ``u`` counted, or ``u`` would be earlier
        assert _is_closing_instant(cal, u), _describe(case)
    elif d < timedelta(0):
        # latest: ``u`` itself counts, or a later instant would do
        assert cal.is_open(u), _describe(case)
    else:
        assert u == s


@ALGEBRA
@given(case=cases(), d=durations(), later=st.integers(0, 30 * DAY_MINUTES), shift=jitter())
def test_add_is_monotone_in_start(case: Case, d: timedelta, later: int, shift: timedelta) -> None:
    cal = case.calendar()
    d = fit(case, d)
    s1 = case.start + shift
    s2 = s1 + later * MINUTE
    assert cal.add(s1, d) <= cal.add(s2, d), _describe(case)


@ALGEBRA
@given(case=cases(), d1=durations(exact=True), d2=durations(exact=True))
def test_add_is_monotone_in_duration(case: Case, d1: timedelta, d2: timedelta) -> None:
    cal = case.calendar()
    d1, d2 = sorted((fit(case, d1), fit(case, d2)))
    assert cal.add(case.start, d1) <= cal.add(case.start, d2), _describe(case)


@ALGEBRA
@given(case=cases(), d1=durations(30 * DAY_MINUTES), d2=durations(30 * DAY_MINUTES))
def test_add_composes_for_same_sign(case: Case, d1: timedelta, d2: timedelta) -> None:
    """Going ``d1`` then ``d2`` the same way is going ``d1 + d2``, up to where it lands."""
    assume((d1 > timedelta(0)) == (d2 > timedelta(0)))
    assume(d1 != timedelta(0) and d2 != timedelta(0))
    cal = case.calendar()
    d1, d2 = fit(case, d1), fit(case, d2)
    u1 = cal.add(cal.add(case.start, d1), d2)
    u2 = cal.add(case.start, d1 + d2)
    # Both are d1 + d2 away; the two-step one may sit at a different end of a closed gap.
    assert cal.between(case.start, u1) == cal.between(case.start, u2) == d1 + d2
    assert cal.between(u1, u2) == timedelta(0)


@ALGEBRA
@given(
    case=cases(),
    offsets=st.lists(st.integers(-2 * _YEAR, 2 * _YEAR), min_size=3, max_size=3),
    shifts=st.lists(jitter(), min_size=3, max_size=3),
)
def test_between_is_antisymmetric_and_additive(
    case: Case, offsets: list[int], shifts: list[timedelta]
) -> None:
    cal = case.calendar()
    a, b, c = (case.start + k * MINUTE + j for k, j in zip(offsets, shifts, strict=True))
    ab, bc, ac = cal.between(a, b), cal.between(b, c), cal.between(a, c)
    assert ab == -cal.between(b, a), _describe(case)
    assert ab + bc == ac, _describe(case)
    assert cal.between(a, a) == timedelta(0)
    assert (ab >= timedelta(0)) == (b >= a) or ab == timedelta(0)
    assert abs(ab) <= abs(b - a)


@ALGEBRA
@given(case=cases(), shift=jitter())
def test_next_open_and_is_open_agree(case: Case, shift: timedelta) -> None:
    cal = case.calendar()
    t = case.start + shift
    n = cal.next_open(t)
    assert n >= t
    assert cal.is_open(n), _describe(case)
    assert cal.between(t, n) == timedelta(0)
    assert (n == t) == cal.is_open(t)
    if cal.is_open(t):
        assert cal.add(t, timedelta(0)) == t
    else:
        # a clock started while closed begins at the next opening
        assert cal.add(t, US) == n + US


@examples(150)
@given(
    case=cases(),
    span=st.integers(1, 20 * DAY_MINUTES),
    shift=jitter(),
)
def test_open_intervals_sum_to_between(case: Case, span: int, shift: timedelta) -> None:
    cal = case.calendar()
    a = case.start + shift
    b = a + span * MINUTE
    pieces = list(cal.open_intervals(a, b))
    assert sum((e - s for s, e in pieces), timedelta(0)) == cal.between(a, b)
    for i, (s, e) in enumerate(pieces):
        assert a <= s < e <= b
        assert cal.is_open(s)
        assert cal.between(s, e) == e - s
        if i + 1 < len(pieces):
            assert e < pieces[i + 1][0]  # maximal: separated by closed time
            assert not cal.is_open(e)


@ALGEBRA
@given(case=cases(), d=durations(), shift=jitter())
def test_exact_path_agrees_with_fast_path(case: Case, d: timedelta, shift: timedelta) -> None:
    """Whole-second inputs take a float path; the integer path must give the same answers."""
    cal = case.calendar()
    d = fit(case, d)
    s = (case.start + shift).replace(microsecond=0)
    other = cal.add(s, d)
    assert cal.add(s, d) == cal._add_exact(s, d), _describe(case)
    assert cal.between(s, other) == cal._between_exact(s, other)
    assert cal.between(other, s) == cal._between_exact(other, s)


@ALGEBRA
@given(case=cases(), d=durations(exact=True), shift=jitter())
def test_any_equal_instant_gives_the_same_answer(
    case: Case, d: timedelta, shift: timedelta
) -> None:
    """The start's own zone does not matter, only the instant."""
    cal = case.calendar()
    d = fit(case, d)
    s = case.start + shift
    local = s.astimezone(ZoneInfo(case.zone))
    assert cal.add(local, d) == cal.add(s, d)
    assert cal.between(local, s + d) == cal.between(s, s + d)


@examples(100)
@given(case=cases(), d=durations(), far=instants("UTC"), other=st.integers(-_YEAR, _YEAR))
def test_answers_do_not_depend_on_what_was_asked_before(
    case: Case, d: timedelta, far: datetime, other: int
) -> None:
    """The index grows lazily both ways from the first query; its origin must not show."""
    d = fit(case, d)
    fresh, warmed = case.calendar(), case.calendar()
    warmed.is_open(far)  # build the index somewhere else first
    warmed.add(far, d)
    t = case.start + other * MINUTE
    assert warmed.add(case.start, d) == fresh.add(case.start, d), _describe(case)
    assert warmed.between(case.start, t) == fresh.between(case.start, t), _describe(case)
    assert warmed.is_open(t) == fresh.is_open(t)
    assert warmed.next_open(t) == fresh.next_open(t)


# -- the strategies themselves ----------------------------------------------------------------


@examples(200)
@given(hours=weekly_hours())
def test_generated_hours_are_valid(hours: tuple[dict[str, list[str]], int]) -> None:
    week, worked = hours
    cal = BusinessCalendar("UTC", week)
    assert sum(iv.minutes for day in cal.week for iv in day) == worked


@pytest.mark.parametrize(
    ("zone", "year", "count"),
    [
        ("America/New_York", 2026, 2),
        ("Australia/Lord_Howe", 2026, 2),
        ("Pacific/Apia", 2011, 3),  # April, September, and the jump over 2011-12-30
        ("Pacific/Apia", 2026, 0),  # no DST since 2021
        ("Asia/Kathmandu", 1985, 1),  # +05:30 to +05:45 at 1986-01-01 local
        ("UTC", 2026, 0),
    ],
)
def test_transition_finder(zone: str, year: int, count: int) -> None:
    assert len(_transitions(zone, year)) == count
