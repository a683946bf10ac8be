"""The index of a business calendar: its open periods as UTC pieces, with the business time
accumulated before each piece. A query is two binary searches, whatever the duration,
and the index grows lazily one UTC year at a time in either direction.

Numbers in the index are whole seconds held in floats (exact below 2**53), which keeps
the common path (instants and durations without sub-second parts) free of conversions;
instants or durations with microseconds take an exact integer path over the same index.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caredesk.core.hours import WorkingInterval
from caredesk.core.zones import offset_segments

MIN_YEAR = 1900
MAX_YEAR = 2399
_DAY = 86_400
_US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY


def _us(x: float) -> int:
    return int(x) * _US


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


class IndexedCalendar:
    """The index of a calendar's open periods, built and grown on demand from its zone,
    weekly intervals and holidays (``BusinessCalendar`` sets them and asks the queries)."""

    __slots__ = (
        "_country",
        "_country_code",
        "_extra",
        "_fast",
        "_index",
        "_lock",
        "_partial",
        "_week",
        "_zone",
    )

    _zone: ZoneInfo
    _week: tuple[tuple[WorkingInterval, ...], ...]
    _extra: dict[int, str]
    _partial: dict[int, tuple[int, int]]  # a local date's open window, minutes after midnight
    _country: Any
    _country_code: str | None
    _index: _Index
    _fast: tuple[float, float, list[float], list[float], list[float]]
    _lock: threading.Lock

    def _public_holiday(self, day: date) -> Any:
        try:
            return self._country.get(day)
        except Exception as exc:  # the library's own failure, for a year it cannot compute
            raise ValueError(
                f"public holidays of {self._country_code} are not known for {day.year}: {exc}"
            ) from None

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
        partial = self._partial
        # Only segments near the wall interval can hold part of it (an offset is less
        # than a day either way); scanning them all made a many-year build quadratic.
        seg_ends = [seg[1] for seg in segments]
        for ordinal in range(first, last + 1):
            intervals = week[(ordinal - 1) % 7]
            if not intervals or self._is_holiday(ordinal):
                continue
            window = partial.get(ordinal)
            if window is not None:  # a declared holiday open only part of the day
                intervals = _clip(intervals, window)
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


def _clip(
    intervals: tuple[WorkingInterval, ...], window: tuple[int, int]
) -> tuple[WorkingInterval, ...]:
    """The parts of a day's intervals inside its open window (minutes after midnight)."""
    start, end = window
    clipped = (
        WorkingInterval(iv.weekday, max(iv.start, start), min(iv.end, end)) for iv in intervals
    )
    return tuple(iv for iv in clipped if iv.start < iv.end)


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
