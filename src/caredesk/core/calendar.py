"""Business calendars: when a clock runs, and arithmetic on business time.

A calendar is built from a zone, weekly hours and holidays; its queries read the index of
its open periods (``calendar_index``): whole-second instants and durations on the float
path, anything with microseconds on the exact integer path.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from caredesk.core.calendar_index import (
    _DAY,
    _EMPTY,
    _EPOCH,
    MAX_YEAR,
    MIN_YEAR,
    IndexedCalendar,
    _Index,
    _us,
)
from caredesk.core.hours import (
    DeclaredDay,
    WorkingInterval,
    describe_week,
    parse_week,
    standard_day_minutes,
)
from caredesk.core.phrases import Phrase, gettext_noop, render, say
from caredesk.core.zones import DAY_BASES as _DAY_BASES
from caredesk.core.zones import day_base, load_zone

_ONE_US = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
_fromtimestamp = datetime.fromtimestamp
_ALWAYS_HOURS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00-24:00")


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


class BusinessCalendar(IndexedCalendar):
    """An IANA zone, weekly working intervals in local wall time, and holidays.

    Holidays are local dates (plus, lazily for any year, a country's public holidays
    from the ``holidays`` library); a declared one (``DeclaredDay``) may close only part of
    its day. All results are aware UTC datetimes.
    """

    __slots__ = ("_day_length", "_hours", "_subdivision", "timezone")

    def __init__(
        self,
        timezone: str,
        hours: Mapping[str, str | Sequence[str]],
        holidays: Iterable[date | DeclaredDay] = (),
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
        partial: dict[int, tuple[int, int]] = {}
        for day in holidays:
            if isinstance(day, DeclaredDay) and not day.whole_day:
                partial[day.day.toordinal()] = day.window
                continue
            if isinstance(day, DeclaredDay):
                day = day.day
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"holiday {day!r} is not a date; expected a local date")
            extra[day.toordinal()] = "holiday"
        self._extra = extra
        # A day closed all day is closed, whatever part of it was also declared open.
        self._partial = {k: v for k, v in partial.items() if k not in extra}
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
        declared = self._extra or self._partial
        return self._hours == "24x7" and not declared and self._country is None

    def describe(self) -> str:
        """One line: zone, hours, holidays."""
        return render(self.describe_phrase())

    def describe_phrase(self) -> Phrase:
        """``describe`` as a phrase, for a reader in another language."""
        hours = self._hours
        if hours == "24x7" and self.is_always_open:
            return say(gettext_noop("24x7 (clock time)"))
        said = say("%(hours)s %(zone)s", hours=hours, zone=self.timezone)
        if self._country_code:
            region = self._country_code + (f"-{self._subdivision}" if self._subdivision else "")
            said = say(
                gettext_noop("%(calendar)s, public holidays of %(region)s"),
                calendar=said,
                region=region,
            )
        if self._extra or self._partial:
            said = say(
                gettext_noop("%(calendar)s, %(count)s declared holiday(s)"),
                calendar=said,
                count=len(self._extra) + len(self._partial),
            )
        return said

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
        if i <= 0:  # before the index, or on its zero-length edge piece (which owns no day)
            idx = self._extend_backward(idx)
            return self.day_end(t)
        owner = self.local(_from_us(_us(idx.starts[i]))).date()
        midnight = datetime(owner.year, owner.month, owner.day, tzinfo=self._zone)
        end = _from_us(_us(idx.ends[i]))
        # A local date's intervals end within two days of its midnight (48 h of wall time at
        # most), so three days hold them all; any longer window finds the same ones.
        later = midnight + timedelta(days=3)  # pragma: no mutate
        for s, e in self.open_intervals(midnight, later):
            if self.local(s).date() == owner:
                end = max(end, e)
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


def use_accelerator(enabled: bool = True) -> bool:
    """Put the C hot path in front of ``add`` and ``between`` (or take it away); whether
    it is in front now. It is put in front when this module is imported, where it is built
    (the core reads no environment: the tests take it away for mutation testing)."""
    # Mutation testing runs the pure-Python path (``tests/conftest.py``): no C methods, so a
    # mutant of the next two lines cannot change what it sees (the fast-path tests check
    # them with C).
    methods = _c_methods() if enabled else None  # pragma: no mutate
    add, between = methods if methods is not None else (_PY_ADD, _PY_BETWEEN)  # pragma: no mutate
    setattr(BusinessCalendar, "add", add)  # noqa: B010 (replacing a method on the class)
    setattr(BusinessCalendar, "between", between)  # noqa: B010
    return methods is not None


# Loading the C module: mutation testing keeps it out, so no mutant
# of this function could be tested there; the fast-path tests check it wherever it is built.
def _c_methods() -> tuple[Any, Any] | None:  # pragma: no mutate block
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
