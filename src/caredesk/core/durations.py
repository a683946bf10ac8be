"""Durations as support policies write them: ``"10m"``, ``"4h"``, ``"6 BH"``, ``"2 BD"``, ``"n/a"``.

Minutes and hours (``m``, ``h``) are clock time and run 24x7; business hours and days
(``BH``, ``BD``) run on the customer's business calendar, a business day being worth the
calendar's standard working day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.phrases import Phrase, gettext_noop, render, say


class Unit(StrEnum):
    MINUTES = "m"
    HOURS = "h"
    BUSINESS_HOURS = "BH"
    BUSINESS_DAYS = "BD"

    @property
    def is_business(self) -> bool:
        return self in (Unit.BUSINESS_HOURS, Unit.BUSINESS_DAYS)


_ALIASES = {
    "m": Unit.MINUTES,
    "min": Unit.MINUTES,
    "mins": Unit.MINUTES,
    "minute": Unit.MINUTES,
    "minutes": Unit.MINUTES,
    "h": Unit.HOURS,
    "hr": Unit.HOURS,
    "hrs": Unit.HOURS,
    "hour": Unit.HOURS,
    "hours": Unit.HOURS,
    "bh": Unit.BUSINESS_HOURS,
    "bd": Unit.BUSINESS_DAYS,
}
_NOT_APPLICABLE = {"n/a", "na", "not applicable"}
_TEXT = re.compile(r"^\s*(\d+)\s*([A-Za-z]+)\s*$")

ALWAYS = BusinessCalendar.always()
"""The 24x7 calendar on which clock-time durations run."""


@dataclass(frozen=True, order=True)
class Duration:
    """A policy target: an amount of a unit."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        if self.unit.is_business:
            return f"{self.amount} {self.unit.value}"
        return f"{self.amount}{self.unit.value}"

    def calendar(self, business: BusinessCalendar) -> BusinessCalendar:
        """The calendar this duration counts on: 24x7 for clock units."""
        return business if self.unit.is_business else ALWAYS

    def length(self, business: BusinessCalendar) -> timedelta:
        """The amount of (business or clock) time this duration is worth on ``business``."""
        if self.unit is Unit.MINUTES:
            return timedelta(minutes=self.amount)
        if self.unit is Unit.HOURS or self.unit is Unit.BUSINESS_HOURS:
            return timedelta(hours=self.amount)
        return self.amount * business.day_length

    def due(self, start: datetime, business: BusinessCalendar) -> datetime:
        """The deadline for a clock started at ``start`` that never pauses."""
        return self.calendar(business).add(start, self.length(business))

    def describe(self, business: BusinessCalendar) -> str:
        """``"2 BD (2 x 9:00 business hours = 18:00)"``: what the number means here."""
        return render(self.describe_phrase(business))

    def describe_phrase(self, business: BusinessCalendar) -> Phrase:
        """``describe`` as a phrase, for a reader in another language."""
        if self.unit is Unit.BUSINESS_DAYS:
            return say(
                gettext_noop("%(target)s (%(amount)s x %(day)s business hours = %(total)s)"),
                target=str(self),
                amount=self.amount,
                day=_hours_text(business.day_length),
                total=_hours_text(self.length(business)),
            )
        if self.unit is Unit.BUSINESS_HOURS:
            return say(gettext_noop("%(target)s (business hours)"), target=str(self))
        return say(gettext_noop("%(target)s (clock time, 24x7)"), target=str(self))


def _hours_text(value: timedelta) -> str:
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_duration(text: str) -> Duration | None:
    """Parse a policy duration; ``"n/a"`` gives ``None``."""
    if not isinstance(text, str):
        raise ValueError(f"duration {text!r} must be text such as '10m', '4h', '6 BH' or '2 BD'")
    if text.strip().lower() in _NOT_APPLICABLE:
        return None
    match = _TEXT.match(text)
    unit = _ALIASES.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        raise ValueError(
            f"malformed duration {text!r}; expected '10m', '4h', '6 BH', '2 BD' or 'n/a'"
        )
    amount = int(match.group(1))
    if amount <= 0:
        raise ValueError(f"duration {text!r} must be greater than zero")
    return Duration(amount, unit)
