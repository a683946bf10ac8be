"""A brute-force business calendar: minute stepping over the plain definition.

An instant is open when its local wall time lies inside a working interval of a
non-holiday local day (an interval belongs to the day it starts on). Nothing is shared
with ``caredesk.core.calendar`` except the interval parser, which has tests of its own.
Instants and durations must be whole minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from caredesk.core.hours import MINUTES_PER_DAY, parse_week

MINUTE = timedelta(minutes=1)


class ReferenceCalendar:
    def __init__(
        self,
        timezone: str,
        hours: Mapping[str, str | Sequence[str]],
        holidays: Iterable[date] = (),
        *,
        country: str | None = None,
        subdivision: str | None = None,
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.week = parse_week(hours)
        self.holidays = set(holidays)
        self.country = (
            holidays_lib.country_holidays(country, subdiv=subdivision) if country else None
        )
        if self.country is not None:
            self.country.end_year = 2399  # as the calendar does: rules hold past 2100

    def _holiday(self, day: date) -> bool:
        return day in self.holidays or (self.country is not None and day in self.country)

    def is_open(self, t: datetime) -> bool:
        local = t.astimezone(self.zone)
        day = local.date()
        minute = local.hour * 60 + local.minute
        for owner, offset in ((day, 0), (day - timedelta(days=1), MINUTES_PER_DAY)):
            if self._holiday(owner):
                continue
            for iv in self.week[owner.weekday()]:
                if iv.start <= minute + offset < iv.end:
                    return True
        return False

    def between(self, a: datetime, b: datetime) -> timedelta:
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        t = a.astimezone(UTC)
        end = b.astimezone(UTC)
        count = 0
        while t < end:
            count += self.is_open(t)
            t += MINUTE
        return sign * count * MINUTE

    def add(self, start: datetime, duration: timedelta) -> datetime:
        t = start.astimezone(UTC)
        if duration >= timedelta(0):
            need = duration // MINUTE
            while need:
                need -= self.is_open(t)
                t += MINUTE
            return t
        need = -duration // MINUTE
        while need:
            t -= MINUTE
            need -= self.is_open(t)
        return t  # the latest: the minute just counted is open
