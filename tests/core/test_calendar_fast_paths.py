"""The fast paths of ``add`` and ``between`` give exactly what the general paths give.

``add`` and ``between`` turn an aware datetime into UTC seconds without ``timestamp()``
when they can: UTC directly, a local datetime from its date's cached UTC base
(``zones.DAY_BASES``), and, when the optional C module is built, in C. Every such branch
must answer what ``timestamp()`` and the exact integer path answer: on folds, in gaps,
with microseconds, for any tzinfo. Each test runs on the pure-Python path and, when the
C module is built, on the C path (``path`` fixture).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core import calendar as calendar_module
from caredesk.core import zones
from caredesk.core.calendar import BusinessCalendar, use_accelerator
from tests.conftest import PURE_PYTHON, default_path
from tests.reference_calendar import ReferenceCalendar

NY = ZoneInfo("America/New_York")
MON_FRI = ("mon", "tue", "wed", "thu", "fri")
ALL_WEEK = (*MON_FRI, "sat", "sun")
H = timedelta(hours=1)
M = timedelta(minutes=1)
US = timedelta(microseconds=1)
PATHS = ("python", "c")
ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Pacific/Apia",
    "America/Havana",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "UTC",
)
# Whether the C path can be put in front here: built, of the layout the calendar reads, and
# not kept out by CAREDESK_PURE_PYTHON. Without it a "C" run would be the Python path again.
C_BUILT = calendar_module._c_methods() is not None and not os.environ.get(PURE_PYTHON)
NO_C = (
    "the C extension caredesk.core._calendar_accel is not built here (or CAREDESK_PURE_PYTHON "
    "is set): there is no C path to compare the Python path with"
)
needs_c = pytest.mark.skipif(not C_BUILT, reason=NO_C)


@pytest.fixture(params=PATHS)
def path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on the pure-Python path, then on the C path (skipped when not built)."""
    if request.param == "c" and not C_BUILT:
        pytest.skip(NO_C)
    on = use_accelerator(request.param == "c")
    try:
        assert on is (request.param == "c")
        yield request.param
    finally:
        default_path()


def naive(*fields: int, fold: int = 0) -> datetime:
    """A wall time with no zone yet (the tests attach one)."""
    return datetime(*fields, tzinfo=UTC).replace(tzinfo=None, fold=fold)


def office() -> BusinessCalendar:
    return BusinessCalendar("America/New_York", dict.fromkeys(MON_FRI, "08:00-17:00"))


def round_the_clock(zone: str = "America/New_York") -> BusinessCalendar:
    """Every hour of every day counts, so business time is elapsed time."""
    return BusinessCalendar(zone, dict.fromkeys(ALL_WEEK, "00:00-24:00"), [date(2026, 7, 4)])


def utc_of(value: datetime) -> datetime:
    """The instant ``timestamp()`` gives (how Python resolves folds and gaps)."""
    return datetime.fromtimestamp(value.timestamp(), UTC)


def check_same(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """``add`` and ``between`` on ``start`` agree with its UTC instant and the exact path."""
    got = cal.add(start, duration)
    assert got.tzinfo is UTC
    assert got == cal.add(utc_of(start), duration) == cal._add_exact(start, duration)
    assert cal.between(start, got) == cal._between_exact(start, got)
    assert cal.between(got, start) == cal._between_exact(got, start)
    assert cal.between(start, got) == cal.between(utc_of(start), got)
    return got


# -- folds and gaps ----------------------------------------------------------------------------


@pytest.mark.usefixtures("path")
def test_repeated_hour_fold_0_and_1() -> None:
    cal = round_the_clock()
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY)  # 01:30 EDT = 05:30 UTC
    second = first.replace(fold=1)  # 01:30 EST = 06:30 UTC
    assert check_same(cal, first, H) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert check_same(cal, second, H) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert cal.between(first, second) == H
    assert cal.between(second, first) == -H
    office_cal = office()
    for start in (first, second):
        check_same(office_cal, start, 10 * M)


@pytest.mark.usefixtures("path")
def test_skipped_hour_resolves_as_timestamp_does() -> None:
    cal = round_the_clock()
    # 02:30 does not exist on 2026-03-08; fold=0 reads it with the offset before the
    # change (EST, 07:30 UTC), fold=1 with the one after (EDT, 06:30 UTC).
    gap0 = datetime(2026, 3, 8, 2, 30, tzinfo=NY)
    gap1 = gap0.replace(fold=1)
    assert check_same(cal, gap0, H) == datetime(2026, 3, 8, 8, 30, tzinfo=UTC)
    assert check_same(cal, gap1, H) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert cal.between(gap1, gap0) == H


def test_dates_touched_by_an_offset_change_are_never_cached() -> None:
    for day in (date(2026, 3, 8), date(2026, 11, 1)):
        assert zones.day_base(NY, day.toordinal()) is None
        assert day.toordinal() not in zones.DAY_BASES.get(NY, {})
    base = zones.day_base(NY, date(2026, 3, 9).toordinal())
    assert base == datetime(2026, 3, 9, tzinfo=NY).timestamp()
    # Lord Howe moves by 30 minutes at 02:00; Sao Paulo used to skip local midnight
    assert zones.day_base(ZoneInfo("Australia/Lord_Howe"), date(2026, 4, 5).toordinal()) is None
    assert zones.day_base(ZoneInfo("America/Sao_Paulo"), date(2018, 11, 4).toordinal()) is None
    # Apia skipped the whole of 2011-12-30: the day before and after are not clean either way
    apia = ZoneInfo("Pacific/Apia")
    assert zones.day_base(apia, date(2011, 12, 30).toordinal()) is None


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(date(1971, 1, 1), date(2199, 12, 31)),
    near_change=st.booleans(),
)
def test_day_base_is_what_timestamp_gives(zone: str, day: date, near_change: bool) -> None:
    tz = ZoneInfo(zone)
    if near_change:
        # move the day onto the nearest offset change of its year, if any
        t0 = int(datetime(day.year, 1, 1, tzinfo=UTC).timestamp())
        segments = zones.offset_segments(tz, t0, t0 + 366 * 86_400)
        if len(segments) > 1:
            change = segments[1][0] + segments[1][2]
            day = date(1970, 1, 1) + timedelta(seconds=change) + timedelta(days=day.day % 3 - 1)
    base = zones.day_base(tz, day.toordinal())
    wall = [
        datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz, fold=fold)
        for h in range(24)
        for m, s in ((0, 0), (29, 59), (59, 59))
        for fold in (0, 1)
    ]
    if base is None:
        # only a date on which some wall time is skipped or repeated goes uncached
        assert zone != "UTC"
        assert len({w.utcoffset() for w in wall}) > 1
        return
    for w in wall:
        assert base + w.hour * 3600 + w.minute * 60 + w.second == w.timestamp(), w


# -- any tzinfo --------------------------------------------------------------------------------


class Eastern(tzinfo):
    """A hand-written tzinfo (US Eastern, rules since 2007) that the cache does not know."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        return timedelta(hours=-4) if self.dst(dt) else timedelta(hours=-5)

    def dst(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        start = naive(dt.year, 3, 8 + (6 - date(dt.year, 3, 8).weekday()) % 7, 2)
        end = naive(dt.year, 11, 1 + (6 - date(dt.year, 11, 1).weekday()) % 7, 1)
        wall = dt.replace(tzinfo=None)
        return H if start <= wall < end else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "EDT" if dt is not None and self.dst(dt) else "EST"


class Unhashable(tzinfo):
    """A tzinfo that cannot be a dict key."""

    __hash__ = None  # type: ignore[assignment]

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=2)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)


class NoOffset(tzinfo):
    def utcoffset(self, dt: datetime | None) -> None:
        return None


TZINFOS = {
    "fixed -05:00": timezone(timedelta(hours=-5)),
    "fixed +05:30 named": timezone(timedelta(hours=5, minutes=30), "IST"),
    "fixed with seconds": timezone(timedelta(hours=-4, minutes=-56, seconds=-2)),
    "fixed with microseconds": timezone(timedelta(hours=1, microseconds=250)),
    "ZoneInfo UTC": ZoneInfo("UTC"),
    "ZoneInfo Tokyo": ZoneInfo("Asia/Tokyo"),
    "ZoneInfo Kathmandu": ZoneInfo("Asia/Kathmandu"),
    "hand-written Eastern": Eastern(),
    "unhashable": Unhashable(),
}


@pytest.mark.usefixtures("path")
@pytest.mark.parametrize("name", list(TZINFOS))
@pytest.mark.parametrize(
    "wall",
    [
        naive(2026, 11, 20, 16, 30),
        naive(2026, 11, 1, 1, 30),
        naive(2026, 11, 1, 1, 30, fold=1),
        naive(2026, 3, 8, 2, 30),
        naive(2026, 3, 8, 2, 30, fold=1),
        naive(2026, 7, 3, 23, 59, 59),
        naive(2026, 11, 20, 16, 30, 0, 1),
    ],
)
def test_any_tzinfo_gives_the_instant_timestamp_gives(name: str, wall: datetime) -> None:
    tz = TZINFOS[name]
    start = wall.replace(tzinfo=tz)
    for cal in (office(), round_the_clock()):
        for duration in (10 * M, 6 * H, 45 * H, H + US, -2 * H):
            got = cal.add(start, duration)
            assert got == cal._add_exact(start, duration), (name, wall, duration)
            assert cal.add(start, duration) == got  # again, now from the cache
        end = wall.replace(tzinfo=tz) + timedelta(days=3, minutes=7)
        assert cal.between(start, end) == cal._between_exact(start, end)
        assert cal.between(end, start) == cal._between_exact(end, start)
        assert cal.between(start, end.astimezone(UTC)) == cal._between_exact(start, end)


@pytest.mark.usefixtures("path")
def test_pytz_localized_datetimes() -> None:
    pytz = pytest.importorskip("pytz")
    eastern = pytz.timezone("America/New_York")
    cal = office()
    for wall, is_dst in (
        (naive(2026, 11, 20, 16, 30), False),
        (naive(2026, 11, 1, 1, 30), True),
        (naive(2026, 11, 1, 1, 30), False),
        (naive(2026, 7, 3, 9, 15), True),
    ):
        start = eastern.localize(wall, is_dst=is_dst)
        got = check_same(cal, start, 6 * H)
        assert got == cal.add(start.astimezone(NY), 6 * H)


@pytest.mark.usefixtures("path")
def test_a_tzinfo_without_an_offset_is_refused() -> None:
    cal = office()
    start = datetime(2026, 11, 20, 16, 30, tzinfo=NoOffset())
    with pytest.raises(ValueError, match="no time zone"):
        cal.add(start, H)
    with pytest.raises(ValueError, match="no time zone"):
        cal.between(start, datetime(2026, 11, 23, tzinfo=UTC))
    with pytest.raises(ValueError, match="no time zone"):
        cal.between(datetime(2026, 11, 23, tzinfo=UTC), start)
    with pytest.raises(ValueError, match="no time zone"):
        cal.add(naive(2026, 11, 20, 16, 30), H)


# -- microseconds, UTC in, other types ------------------------------------------------------------


@pytest.mark.usefixtures("path")
def test_microseconds_and_utc_in() -> None:
    cal = office()
    local = datetime(2026, 11, 20, 16, 59, 59, 500_000, tzinfo=NY)
    assert cal.add(local, timedelta(seconds=1)) == datetime(
        2026, 11, 23, 13, 0, 0, 500_000, tzinfo=UTC
    )
    whole = datetime(2026, 11, 20, 16, 30, tzinfo=NY)
    assert cal.add(whole, 6 * H + US) == datetime(2026, 11, 23, 18, 30, 0, 1, tzinfo=UTC)
    assert cal.add(whole.astimezone(UTC), 6 * H) == cal.add(whole, 6 * H)
    assert cal.add(whole.astimezone(UTC), 6 * H) == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
    later = datetime(2026, 11, 23, 8, 0, 0, 750_000, tzinfo=NY)
    assert cal.between(local, later) == timedelta(seconds=1.25)
    assert cal.between(local.astimezone(UTC), later.astimezone(UTC)) == timedelta(seconds=1.25)
    assert cal.between(whole, later.replace(microsecond=0)) == 30 * M
    assert cal.between(whole.astimezone(UTC), later.replace(microsecond=0)) == 30 * M


@pytest.mark.usefixtures("path")
def test_subclasses_and_wrong_types() -> None:
    class Stamp(datetime):
        pass

    class Span(timedelta):
        pass

    cal = office()
    start = Stamp(2026, 11, 20, 16, 30, tzinfo=NY)
    assert cal.add(start, Span(hours=6)) == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
    assert cal.between(start, Stamp(2026, 11, 23, 9, 30, tzinfo=UTC)) == 30 * M
    with pytest.raises(ValueError, match="is not a timedelta"):
        cal.add(datetime(2026, 11, 20, 16, 30, tzinfo=NY), 3600)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a datetime"):
        cal.add("2026-11-20 16:30", H)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a datetime"):
        cal.between(datetime(2026, 11, 20, 16, 30, tzinfo=NY), 5)  # type: ignore[arg-type]
    # keywords work on every path
    assert cal.add(start=start, duration=H) == cal.add(start, H)
    assert cal.between(a=start, b=start + H) == cal.between(start, start + H)


@pytest.mark.usefixtures("path")
def test_outside_the_index_and_negative_durations() -> None:
    cal = office()
    cal.add(datetime(2026, 6, 1, 9, tzinfo=NY), H)  # the index covers 2026 only, for now
    far = datetime(2031, 6, 2, 9, tzinfo=NY)
    assert cal.add(far, 45 * H) == cal._add_exact(far, 45 * H)
    early = datetime(2019, 6, 3, 9, tzinfo=UTC)
    assert cal.add(early, -45 * H) == cal._add_exact(early, -45 * H)
    assert cal.add(early, timedelta(0)) == early
    assert cal.between(early, far) == cal._between_exact(early, far)
    # a deadline far past the end of the index (it grows forward on demand)
    fresh = office()
    start = datetime(2026, 12, 30, 9, tzinfo=NY)
    assert fresh.add(start, 2000 * H) == office()._add_exact(start, 2000 * H)


# -- both paths against each other and the reference --------------------------------------------


def _random_call(
    zone: str, wall: datetime, fold: int, minutes: int, utc_in: bool, whole: bool
) -> tuple[BusinessCalendar, dict[str, list[str]], datetime, timedelta, datetime]:
    """A calendar and the ``add`` and ``between`` arguments drawn by the tests below."""
    hours = {day: ["08:00-12:00", "13:00-17:30"] for day in MON_FRI}
    cal = BusinessCalendar(zone, hours, country="US")
    start = wall.replace(tzinfo=ZoneInfo(zone), fold=fold)
    if whole:
        start = start.replace(second=0, microsecond=0)
    if utc_in:
        start = start.astimezone(UTC)
    end = utc_of(start) + timedelta(minutes=minutes * 3)
    return cal, hours, start, minutes * M, end


CALLS = {
    "zone": st.sampled_from(ZONES),
    "wall": st.datetimes(naive(2024, 1, 1), naive(2028, 12, 31)),
    "fold": st.integers(0, 1),
    "minutes": st.integers(-3000, 30_000),
    "utc_in": st.booleans(),
    "whole": st.booleans(),
}


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(**CALLS)
def test_each_path_agrees_with_the_exact_path_and_the_reference(
    zone: str, wall: datetime, fold: int, minutes: int, utc_in: bool, whole: bool
) -> None:
    cal, hours, start, duration, end = _random_call(zone, wall, fold, minutes, utc_in, whole)
    for accelerated in (False, True) if C_BUILT else (False,):
        use_accelerator(accelerated)
        try:
            got, span = cal.add(start, duration), cal.between(start, end)
        finally:
            default_path()
        assert got == cal._add_exact(start, duration)
        assert span == cal._between_exact(start, end)
        if whole and abs(minutes) <= 600:
            reference = ReferenceCalendar(zone, hours, country="US")
            assert got == reference.add(utc_of(start), duration)
            assert span == reference.between(utc_of(start), end)


@needs_c
@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(**CALLS)
def test_the_c_path_answers_what_the_python_path_answers(
    zone: str, wall: datetime, fold: int, minutes: int, utc_in: bool, whole: bool
) -> None:
    cal, _, start, duration, end = _random_call(zone, wall, fold, minutes, utc_in, whole)
    answers = []
    for accelerated in (False, True):
        assert use_accelerator(accelerated) is accelerated
        try:
            answers.append((cal.add(start, duration), cal.between(start, end)))
        finally:
            default_path()
    assert answers[0] == answers[1]


def test_use_accelerator_false_puts_the_python_methods_in_front() -> None:
    try:
        assert use_accelerator(False) is False
        assert BusinessCalendar.add is calendar_module._PY_ADD
        assert BusinessCalendar.between is calendar_module._PY_BETWEEN
    finally:
        default_path()


def test_use_accelerator_false_replaces_whatever_was_in_front(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(BusinessCalendar, "add", None)
    monkeypatch.setattr(BusinessCalendar, "between", None)
    try:
        assert use_accelerator(False) is False
        assert BusinessCalendar.add is calendar_module._PY_ADD
        assert BusinessCalendar.between is calendar_module._PY_BETWEEN
    finally:
        monkeypatch.undo()
        default_path()


@needs_c
def test_use_accelerator_puts_the_c_methods_in_front() -> None:
    try:
        assert use_accelerator(False) is False
        assert use_accelerator(True) is True
        assert BusinessCalendar.add is not calendar_module._PY_ADD
        assert BusinessCalendar.between is not calendar_module._PY_BETWEEN
    finally:
        default_path()


def test_the_pure_python_switch_keeps_the_c_path_out() -> None:
    """``CAREDESK_PURE_PYTHON`` (read by the tests' conftest, never by the core) runs the
    tests on the Python methods: this run has them in front exactly when it is set."""
    pure = bool(os.environ.get(PURE_PYTHON))
    assert (BusinessCalendar.add is calendar_module._PY_ADD) is (pure or not C_BUILT)
    assert (BusinessCalendar.between is calendar_module._PY_BETWEEN) is (pure or not C_BUILT)


def test_whole_seconds_on_cached_dates_never_leave_the_float_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pure-Python hot path: once a local date's UTC base is cached, a whole-second
    # instant on it (or in UTC) is turned into seconds without ``timestamp()`` and answered
    # without the exact integer path. Friday 2026-11-20 16:30 EST to Monday 09:30 EST is
    # 0:30 + 1:30 of office time; 6 h from Friday 16:30 is Monday 13:30 EST (18:30 UTC).
    cal = office()
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=NY)
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=NY)
    assert cal.between(friday, monday) == 2 * H  # caches both dates and builds the index
    assert cal.add(friday, 6 * H) == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)

    def left_the_hot_path(*args: object) -> None:
        raise AssertionError(f"left the hot path for {args!r}")

    use_accelerator(False)
    monkeypatch.setattr(calendar_module, "_timestamp", left_the_hot_path)
    monkeypatch.setattr(BusinessCalendar, "_between_exact", left_the_hot_path)
    monkeypatch.setattr(BusinessCalendar, "_add_exact", left_the_hot_path)
    try:
        assert cal.between(friday, monday) == 2 * H
        assert cal.between(monday, friday) == -2 * H
        assert cal.between(friday.astimezone(UTC), monday.astimezone(UTC)) == 2 * H
        assert cal.add(friday, 6 * H) == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
        assert cal.add(friday.astimezone(UTC), 6 * H) == datetime(2026, 11, 23, 18, 30, tzinfo=UTC)
        assert cal.add(monday, 30 * M) == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        default_path()


def test_an_uncached_whole_second_instant_uses_timestamp_not_the_exact_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Chicago dates nothing has asked about yet: ``timestamp()`` gives the seconds (and
    # caches the dates); the float path answers. Friday 2026-11-20 16:30 CST to Monday
    # 09:30 CST is 2:00 of office time in Chicago.
    cal = BusinessCalendar("America/Chicago", dict.fromkeys(MON_FRI, "08:00-17:00"))
    chicago = ZoneInfo("America/Chicago")
    friday = datetime(2026, 11, 20, 16, 30, tzinfo=chicago)
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=chicago)
    cal.add(datetime(2026, 6, 1, 9, tzinfo=UTC), H)  # builds the index, caches no date

    def left_the_float_path(*args: object) -> None:
        raise AssertionError(f"took the exact path for {args!r}")

    use_accelerator(False)
    monkeypatch.setitem(zones.DAY_BASES, chicago, {})
    monkeypatch.setattr(BusinessCalendar, "_between_exact", left_the_float_path)
    monkeypatch.setattr(BusinessCalendar, "_add_exact", left_the_float_path)
    try:
        assert cal.between(friday, monday) == 2 * H
        assert cal.add(friday.replace(day=13), 6 * H) == datetime(2026, 11, 16, 19, 30, tzinfo=UTC)
        # and the dates asked about are cached for the next call
        assert set(zones.DAY_BASES[chicago]) >= {
            date(2026, 11, 20).toordinal(),
            date(2026, 11, 23).toordinal(),
            date(2026, 11, 13).toordinal(),
        }
    finally:
        monkeypatch.undo()
        default_path()
