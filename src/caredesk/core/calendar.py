"""Business calendars: when a clock runs, and arithmetic on business time.

The calendar keeps an index of its open periods as UTC pieces, with the business time
accumulated before each piece. A query is two binary searches, whatever the duration,
and the index grows lazily one UTC year at a time in either direction.

Numbers in the index are whole seconds held in floats (exact below 2**53), which keeps
the common path (instants and durations without sub-second parts) free of conversions;
instants or durations with microseconds take an exact integer path over the same index.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from caredesk.core.hours import (
    WorkingInterval,
    describe_week,
    parse_week,
    standard_day_minutes,
)
from caredesk.core.zones import DAY_BASES as _DAY_BASES
from caredesk.core.zones import day_base, load_zone, offset_segments

MIN_YEAR = 1900
MAX_YEAR = 2399
_DAY = 86_400
_US = 1_000_000
_ONE_US = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ALWAYS_HOURS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00-24:00")


def _year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY


def _us(x: float) -> int:
    return int(x) * _US


def require_aware(value: datetime, what: str = "instant") -> None:
    """Refuse naive datetimes: a time without a zone is never guessed."""
    if not isinstance(value, datetime):
        raise ValueError(f"{what} {value!r} is not a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{what} {value.isoformat()} has no time zone; pass an aware datetime "
            "(for example with tzinfo=UTC)"
        )


def _timestamp(value: datetime) -> float | None:
    """Whole seconds since the epoch of an aware datetime, for the float path; ``None``
    when it needs the exact path (naive, sub-second, or an offset with microseconds).

    Any tzinfo works here (``timestamp()`` asks its ``utcoffset``); on the way, the local
    date is cached for the next call when the tzinfo is one the cache trusts.
    """
    tz = value.tzinfo
    if tz is None or value.utcoffset() is None:
        return None
    with suppress(TypeError):  # an unhashable tzinfo: never cached
        day_base(tz, value.toordinal())
    t = value.timestamp()
    return t if t.is_integer() else None


def _instant_us(value: datetime) -> int:
    require_aware(value)
    return (value - _EPOCH) // _ONE_US


def _from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _duration_us(value: timedelta) -> int:
    if not isinstance(value, timedelta):
        raise ValueError(f"duration {value!r} is not a timedelta")
    return value // _ONE_US


@dataclass(frozen=True, slots=True)
class _Index:
    """An immutable snapshot; a wider one replaces it, so readers never need a lock."""

    lo_year: int
    hi_year: int
    lo: int
    hi: int
    starts: list[float]
    ends: list[float]
    cum: list[float]
    cumend: list[float]
    # ``off[i] = starts[i] - cum[i]``: inside piece ``i`` an instant is ``off[i]`` plus the
    # business time accumulated up to it, so one subtraction maps either way.
    off: list[float]
    # The same boundaries in integer microseconds, for the exact path (instants with
    # microseconds, as history events carry).
    starts_us: list[int]
    cum_us: list[int]
    cumend_us: list[int]

    @property
    def fast(self) -> tuple[float, float, list[float], list[float], list[float]]:
        return (float(self.lo), float(self.hi), self.starts, self.off, self.cumend)


def _index(
    y0: int,
    y1: int,
    lo: int,
    hi: int,
    starts: list[float],
    ends: list[float],
    cum: list[float],
    cumend: list[float],
) -> _Index:
    off = [s - c for s, c in zip(starts, cum, strict=True)]
    return _Index(
        y0,
        y1,
        lo,
        hi,
        starts,
        ends,
        cum,
        cumend,
        off,
        [_us(x) for x in starts],
        [_us(x) for x in cum],
        [_us(x) for x in cumend],
    )


_EMPTY = _index(0, 0, 0, 0, [], [], [], [])
_fromtimestamp = datetime.fromtimestamp


class BusinessCalendar:
    """An IANA zone, weekly working intervals in local wall time, and holidays.

    Holidays are local dates (plus, lazily for any year, a country's public holidays
    from the ``holidays`` library). All results are aware UTC datetimes.
    """

    __slots__ = (
        "_country",
        "_country_code",
        "_day_length",
        "_extra",
        "_fast",
        "_hours",
        "_index",
        "_lock",
        "_subdivision",
        "_week",
        "_zone",
        "timezone",
    )

    def __init__(
        self,
        timezone: str,
        hours: Mapping[str, str | Sequence[str]],
        holidays: Iterable[date] = (),
        *,
        country: str | None = None,
        subdivision: str | None = None,
        day_length: timedelta | None = None,
    ) -> None:
        self._zone = load_zone(timezone)
        self.timezone = timezone
        self._week = parse_week(hours)
        # Immutable like the rest: the week's summary is built once (explanations read it
        # several times per clock).
        self._hours = describe_week(self._week)
        extra: dict[int, str] = {}
        for day in holidays:
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"holiday {day!r} is not a date; expected a local date")
            extra[day.toordinal()] = "holiday"
        self._extra = extra
        self._country_code = country
        self._subdivision = subdivision
        self._country: Any = None
        if country is not None:
            self._country = _country_holidays(country, subdivision)
        elif subdivision is not None:
            raise ValueError(f"subdivision {subdivision!r} needs a country")
        if day_length is None:
            day_length = timedelta(minutes=standard_day_minutes(self._week))
        elif not isinstance(day_length, timedelta) or day_length <= timedelta(0):
            raise ValueError(f"day_length {day_length!r} must be a positive timedelta")
        else:
            standard_day_minutes(self._week)  # still refuse a calendar with no working time
        self._day_length = day_length
        self._index = _EMPTY
        self._fast = _EMPTY.fast
        self._lock = threading.Lock()

    @classmethod
    def always(cls) -> BusinessCalendar:
        """24x7: every instant counts (clock time)."""
        return cls("UTC", _ALWAYS_HOURS)

    # -- description -------------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        """What one business day is worth (the standard working day unless given)."""
        return self._day_length

    @property
    def week(self) -> tuple[tuple[WorkingInterval, ...], ...]:
        return self._week

    @property
    def country(self) -> str | None:
        return self._country_code

    @property
    def subdivision(self) -> str | None:
        return self._subdivision

    @property
    def is_always_open(self) -> bool:
        return self._hours == "24x7" and not self._extra and self._country is None

    def describe(self) -> str:
        """One line: zone, hours, holidays."""
        hours = self._hours
        if hours == "24x7" and self.is_always_open:
            return "24x7 (clock time)"
        parts = [f"{hours} {self.timezone}"]
        if self._country_code:
            region = self._country_code + (f"-{self._subdivision}" if self._subdivision else "")
            parts.append(f"public holidays of {region}")
        if self._extra:
            parts.append(f"{len(self._extra)} declared holiday(s)")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.describe()!r})"

    def holiday(self, day: date) -> str | None:
        """The holiday's name on that local date, or ``None`` for an ordinary day."""
        name = self._extra.get(day.toordinal())
        if name is not None:
            return name
        if self._country is not None and MIN_YEAR <= day.year <= MAX_YEAR:
            found = self._public_holiday(day)
            return str(found) if found is not None else None
        return None

    def _public_holiday(self, day: date) -> Any:
        try:
            return self._country.get(day)
        except Exception as exc:  # the library's own failure, for a year it cannot compute
            raise ValueError(
                f"public holidays of {self._country_code} are not known for {day.year}: {exc}"
            ) from None

    def local(self, instant: datetime) -> datetime:
        """The instant in the calendar's zone."""
        require_aware(instant)
        return instant.astimezone(self._zone)

    # -- queries -----------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest ``u >= start`` with ``between(start, u) == duration``.

        A clock started while closed begins at the next opening; a deadline that lands on a
        closing instant stays there. A negative duration goes back: the latest
        ``u <= start`` with ``between(u, start) == -duration``.
        """
        # The hot path: whole seconds in, floats throughout (exact below 2**53). A local
        # datetime is turned into seconds from its date's cached UTC base (see
        # ``zones.DAY_BASES``), which is what ``timestamp()`` gives, without its zone lookup.
        try:
            tz = start.tzinfo
            if tz is UTC:
                t = start.timestamp()
            else:
                days = _DAY_BASES.get(tz)
                base = None if days is None else days.get(start.toordinal())
                if base is None:
                    found = _timestamp(start)  # any other tzinfo, or a date not cached yet
                    if found is None:
                        return self._add_exact(start, duration)
                    t = found
                else:
                    t = base + (start.hour * 3600 + start.minute * 60 + start.second)
            if start.microsecond or duration.microseconds:
                return self._add_exact(start, duration)
            d = duration.days * _DAY + duration.seconds
        except (AttributeError, TypeError):
            return self._add_exact(start, duration)  # not datetimes: it says what is wrong
        _, hi, starts, off, cumend = self._fast
        i = bisect_right(starts, t) - 1  # -1: before the index (its first piece is at lo)
        if i < 0 or t >= hi or d <= 0:
            if d <= 0:
                return self._add_exact(start, duration)
            _, hi, starts, off, cumend = self._cover(t, t).fast
            i = bisect_right(starts, t) - 1
        c = t - off[i]
        end = cumend[i]
        if c < end:
            if c + d <= end:  # ends inside the piece that is open now
                return _fromtimestamp(t + d, UTC)
            target = c + d
        else:
            target = end + d
        if target > cumend[-1]:
            _, _, _, off, cumend = self._reach(target).fast
        return _fromtimestamp(off[bisect_left(cumend, target)] + target, UTC)

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in ``[a, b)``; negative when ``b`` is before ``a``."""
        try:
            tz = a.tzinfo
            if tz is UTC:
                ta = a.timestamp()
            else:
                days = _DAY_BASES.get(tz)
                base = None if days is None else days.get(a.toordinal())
                if base is None:
                    found = _timestamp(a)
                    if found is None:
                        return self._between_exact(a, b)
                    ta = found
                else:
                    ta = base + (a.hour * 3600 + a.minute * 60 + a.second)
            tz = b.tzinfo
            if tz is UTC:
                tb = b.timestamp()
            else:
                days = _DAY_BASES.get(tz)
                base = None if days is None else days.get(b.toordinal())
                if base is None:
                    found = _timestamp(b)
                    if found is None:
                        return self._between_exact(a, b)
                    tb = found
                else:
                    tb = base + (b.hour * 3600 + b.minute * 60 + b.second)
            if a.microsecond or b.microsecond:
                return self._between_exact(a, b)
        except (AttributeError, TypeError):
            return self._between_exact(a, b)
        lo, hi, starts, off, cumend = self._fast
        if not (lo <= ta < hi and lo <= tb < hi):
            lo, hi, starts, off, cumend = self._cover(min(ta, tb), max(ta, tb)).fast
        i = bisect_right(starts, ta) - 1
        ca = ta - off[i]
        if ca > cumend[i]:
            ca = cumend[i]
        i = bisect_right(starts, tb) - 1
        cb = tb - off[i]
        if cb > cumend[i]:
            cb = cumend[i]
        return _SECOND * int(cb - ca)  # cheaper than timedelta(0, float)

    def is_open(self, t: datetime) -> bool:
        """Whether business time runs at instant ``t``."""
        tu = _instant_us(t)
        idx = self._cover_us(tu, tu)
        i = bisect_right(idx.starts, tu, key=_us) - 1
        return tu < _us(idx.ends[i])

    def next_open(self, t: datetime) -> datetime:
        """``t`` itself when open, else the next opening instant."""
        tu = _instant_us(t)
        idx = self._cover_us(tu, tu)
        while True:
            k = bisect_right(idx.ends, tu, key=_us)  # first piece ending after t
            if k < len(idx.ends):
                start = _us(idx.starts[k])
                return _from_us(max(tu, start))
            idx = self._extend_forward(idx)

    def open_intervals(self, a: datetime, b: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open periods inside ``[a, b)``, clipped to it, in order."""
        ta, tb = _instant_us(a), _instant_us(b)
        if tb <= ta:
            return
        idx = self._cover_us(ta, tb)
        k = bisect_right(idx.ends, ta, key=_us)
        pending: tuple[int, int] | None = None
        while k < len(idx.starts):
            s, e = _us(idx.starts[k]), _us(idx.ends[k])
            if s >= tb:
                break
            s, e = max(s, ta), min(e, tb)
            if s < e:
                if pending is not None and pending[1] == s:  # joined across a chunk edge
                    pending = (pending[0], e)
                else:
                    if pending is not None:
                        yield _from_us(pending[0]), _from_us(pending[1])
                    pending = (s, e)
            k += 1
        if pending is not None:
            yield _from_us(pending[0]), _from_us(pending[1])

    def day_end(self, t: datetime) -> datetime:
        """The close of the business day ``t`` falls in (or closes): the end of that local
        day's last open period. An instant while closed belongs to the business day before."""
        tu = _instant_us(t)
        idx = self._cover_us(tu, tu)
        i = bisect_left(idx.ends, tu, key=_us)  # first piece ending at or after t
        if i >= len(idx.ends) or _us(idx.starts[i]) > tu:
            i -= 1  # closed: the business day that ended before t
        while i > 0 and idx.starts[i] == idx.ends[i]:
            i -= 1  # the zero-length edge piece owns no day
        if i <= 0:
            idx = self._extend_backward(idx)
            return self.day_end(t)
        owner = self.local(_from_us(_us(idx.starts[i]))).date()
        midnight = datetime(owner.year, owner.month, owner.day, tzinfo=self._zone)
        end = _from_us(_us(idx.ends[i]))
        for s, e in self.open_intervals(midnight, midnight + timedelta(days=3)):
            if self.local(s).date() == owner and e > end:
                end = e
        return end

    # -- exact integer path --------------------------------------------------------

    def _cum_us(self, idx: _Index, t: int) -> int:
        i = bisect_right(idx.starts_us, t) - 1
        return min(idx.cum_us[i] + t - idx.starts_us[i], idx.cumend_us[i])

    def _add_exact(self, start: datetime, duration: timedelta) -> datetime:
        t = _instant_us(start)
        d = _duration_us(duration)
        if d == 0:
            return _from_us(t)
        idx = self._cover_us(t, t)
        target = self._cum_us(idx, t) + d
        if d > 0:
            while target > idx.cumend_us[-1]:
                idx = self._extend_forward(idx)
            j = bisect_left(idx.cumend_us, target)
        else:
            while target < idx.cum_us[0]:
                idx = self._extend_backward(idx)
            j = bisect_right(idx.cum_us, target) - 1
        return _from_us(idx.starts_us[j] + target - idx.cum_us[j])

    def _between_exact(self, a: datetime, b: datetime) -> timedelta:
        ta, tb = _instant_us(a), _instant_us(b)
        idx = self._cover_us(min(ta, tb), max(ta, tb))
        return timedelta(microseconds=self._cum_us(idx, tb) - self._cum_us(idx, ta))

    # -- the index -------------------------------------------------------------------

    def _publish(self, idx: _Index) -> None:
        # One tuple for the hot path; replaced whole, so a reader never sees half of it.
        self._index = idx
        self._fast = idx.fast

    def _cover_us(self, lo: int, hi: int) -> _Index:
        return self._cover(lo // _US, hi // _US)

    def _cover(self, lo: float, hi: float) -> _Index:
        """A snapshot whose range holds UTC seconds ``lo`` and ``hi``."""
        idx = self._index
        if idx.lo <= lo and hi < idx.hi:
            return idx
        first = _utc_year(lo)
        last = _utc_year(hi)
        with self._lock:
            idx = self._index
            if not idx.starts:
                idx = self._build(first, first + 1)
            while first < idx.lo_year:
                idx = self._extend_backward(idx, to_year=first)
            while last >= idx.hi_year:
                idx = self._extend_forward(idx, to_year=last + 1)
            self._publish(idx)
            return idx

    def _reach(self, target: float) -> _Index:
        """A snapshot whose accumulated business time reaches ``target`` seconds."""
        idx = self._index
        while target > idx.cumend[-1]:
            idx = self._extend_forward(idx)
        return idx

    def _build(self, y0: int, y1: int) -> _Index:
        pieces = self._pieces(y0, y1)
        lo = _year_start(y0)
        # A zero-length piece at the low edge keeps every covered instant after some piece.
        starts, ends, cum, cumend = [float(lo)], [float(lo)], [0.0], [0.0]
        total = 0.0
        for s, e in pieces:
            starts.append(float(s))
            ends.append(float(e))
            cum.append(total)
            total += e - s
            cumend.append(total)
        return _index(y0, y1, lo, _year_start(y1), starts, ends, cum, cumend)

    def _extend_forward(self, idx: _Index, to_year: int | None = None) -> _Index:
        y1 = idx.hi_year + 1 if to_year is None else to_year
        _check_year(y1 - 1)
        more = self._pieces(idx.hi_year, y1)
        starts, ends = list(idx.starts), list(idx.ends)
        cum, cumend = list(idx.cum), list(idx.cumend)
        total = cumend[-1]
        for s, e in more:
            starts.append(float(s))
            ends.append(float(e))
            cum.append(total)
            total += e - s
            cumend.append(total)
        new = _index(idx.lo_year, y1, idx.lo, _year_start(y1), starts, ends, cum, cumend)
        self._publish(new)
        return new

    def _extend_backward(self, idx: _Index, to_year: int | None = None) -> _Index:
        y0 = idx.lo_year - 1 if to_year is None else to_year
        _check_year(y0)
        fresh = self._build(y0, idx.lo_year)
        # Shift the fresh part so that its total lines up with the old origin.
        shift = idx.cum[0] - fresh.cumend[-1]
        starts = fresh.starts + idx.starts[1:]
        ends = fresh.ends + idx.ends[1:]
        cum = [c + shift for c in fresh.cum] + idx.cum[1:]
        cumend = [c + shift for c in fresh.cumend] + idx.cumend[1:]
        new = _index(y0, idx.hi_year, fresh.lo, idx.hi, starts, ends, cum, cumend)
        self._publish(new)
        return new

    def _pieces(self, y0: int, y1: int) -> list[tuple[int, int]]:
        """Open periods within UTC years ``[y0, y1)``, as merged UTC-second pieces."""
        t0, t1 = _year_start(y0), _year_start(y1)
        segments = offset_segments(self._zone, t0 - 3 * _DAY, t1 + 3 * _DAY)
        raw: list[tuple[int, int]] = []
        # Local dates whose intervals (up to 48 h long in wall time, offsets within
        # -12 h..+14 h) can reach into [t0, t1).
        first = _EPOCH_ORDINAL + t0 // _DAY - 2
        last = _EPOCH_ORDINAL + t1 // _DAY + 1
        week = self._week
        # Only segments near the wall interval can hold part of it (an offset is less
        # than a day either way); scanning them all made a many-year build quadratic.
        seg_ends = [seg[1] for seg in segments]
        for ordinal in range(first, last + 1):
            intervals = week[(ordinal - 1) % 7]
            if not intervals or self._is_holiday(ordinal):
                continue
            midnight = (ordinal - _EPOCH_ORDINAL) * _DAY
            for iv in intervals:
                wall_start = midnight + iv.start * 60
                wall_end = midnight + iv.end * 60
                k = bisect_right(seg_ends, wall_start - _DAY)
                while k < len(segments) and segments[k][0] < wall_end + _DAY:
                    seg_start, seg_end, offset = segments[k]
                    k += 1
                    s = max(wall_start - offset, seg_start, t0)
                    e = min(wall_end - offset, seg_end, t1)
                    if s < e:
                        raw.append((s, e))
        raw.sort()
        merged: list[tuple[int, int]] = []
        for s, e in raw:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged

    def _is_holiday(self, ordinal: int) -> bool:
        if ordinal in self._extra:
            return True
        return self._country is not None and (
            self._public_holiday(date.fromordinal(ordinal)) is not None
        )


def _utc_year(t: float) -> int:
    try:
        year = (_EPOCH + timedelta(seconds=int(t // 1))).year
    except OverflowError:
        year = MIN_YEAR - 1 if t < 0 else MAX_YEAR + 1
    _check_year(year)
    return year


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year {year} is outside the supported range {MIN_YEAR}-{MAX_YEAR}")


def _country_holidays(country: str, subdivision: str | None) -> Any:
    if not isinstance(country, str) or not country.strip():
        raise ValueError(f"country {country!r} is not an ISO 3166 country code such as 'US'")
    try:
        found = holidays_lib.country_holidays(country.strip().upper(), subdiv=subdivision)
    except NotImplementedError as exc:
        supported = holidays_lib.list_supported_countries()
        if subdivision is not None and country.strip().upper() in supported:
            raise ValueError(f"unknown subdivision {subdivision!r} of country {country!r}") from exc
        raise ValueError(
            f"unknown country {country!r}; expected an ISO 3166 country code such as 'US'"
        ) from exc
    # The library stops at 2100 by default although most rules (fixed dates, nth weekdays,
    # Easter) hold for any year; the calendar's range is wider, and a year the library truly
    # cannot compute raises a clear error (see ``_public_holiday``).
    found.end_year = MAX_YEAR
    return found


# -- the optional C hot path ---------------------------------------------------------------------
# ``caredesk.core._calendar_accel`` (setup.py builds it where a C compiler is at hand) answers
# the common case of ``add`` and ``between`` (exact datetime and timedelta types, whole
# seconds, UTC or a date in ``zones.DAY_BASES``, inside the index) with the same float
# operations as the methods above, and hands every other call to them unchanged. The
# methods above stay the reference; without the module they are all there is.

_PY_ADD = BusinessCalendar.add
_PY_BETWEEN = BusinessCalendar.between
_ACCEL_LAYOUT = 1  # the shape of ``_fast`` the C file reads; a stale build is not used
DISABLE_ACCELERATOR = "CAREDESK_PURE_PYTHON"
"""An environment variable: set to a non-empty value, it keeps the C hot path out even where
it is built, so that only the pure-Python methods run (mutation testing mutates those)."""


def use_accelerator(enabled: bool = True) -> bool:
    """Put the C hot path in front of ``add`` and ``between`` (or take it away); whether
    it is in front now. It is put in front when this module is imported, unless it is not
    built or ``CAREDESK_PURE_PYTHON`` is set."""
    methods = _accelerated_methods() if enabled else None
    add, between = methods if methods is not None else (_PY_ADD, _PY_BETWEEN)
    setattr(BusinessCalendar, "add", add)  # noqa: B010 (replacing a method on the class)
    setattr(BusinessCalendar, "between", between)  # noqa: B010
    return methods is not None


def _accelerated_methods() -> tuple[Any, Any] | None:
    if os.environ.get(DISABLE_ACCELERATOR):
        return None
    try:
        from caredesk.core import _calendar_accel  # type: ignore[attr-defined]
    except ImportError:
        return None
    if getattr(_calendar_accel, "LAYOUT", None) != _ACCEL_LAYOUT:
        return None
    methods: tuple[Any, Any] = _calendar_accel.methods(
        BusinessCalendar, _PY_ADD, _PY_BETWEEN, _DAY_BASES, ZoneInfo, timezone
    )
    return methods


use_accelerator()
