"""Vendor holidays Care declares, and the vendor's own calendar they shape (the
management-attention mailbox and the channels Care staffs in business hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.accounts.models import (
    Organisation,
    OrgKind,
    VendorHoliday,
)
from caredesk.accounts.services.access import require_care
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.hours import DeclaredDay, declared_day
from caredesk.infra.errors import Conflict, DomainError, NotFound


def vendor_holidays(*, actor: User | None) -> list[VendorHoliday]:
    """The days Care declared the vendor closed, in order (Care managers; ``actor`` is
    ``None`` for an operator at the command line)."""
    if actor is not None:
        require_care(actor, manager=True)
    return list(VendorHoliday.objects.order_by("day"))


@transaction.atomic
def declare_vendor_holiday(
    *,
    actor: User | None,
    day: str,
    name: str,
    now: datetime,
    open_from: str = "",
    open_until: str = "",
) -> VendorHoliday:
    """Declare ``day`` a vendor holiday: closed all day, or open only from ``open_from``
    and/or until ``open_until`` (``HH:MM``). Care managers; ``actor`` is ``None`` for an
    operator at the command line."""
    if actor is not None:
        require_care(actor, manager=True)
    declared = _declared(day, open_from, open_until)
    if not name.strip():
        raise DomainError(_("a vendor holiday needs a name, such as 'Christmas Eve'"))
    taken = VendorHoliday.objects.filter(day=declared.day).first()
    if taken is not None:
        raise Conflict(
            _("%(day)s is already declared a vendor holiday (%(name)s); remove it first")
            % {"day": taken.day.isoformat(), "name": taken.name}
        )
    return VendorHoliday.objects.create(
        day=declared.day,
        name=name.strip(),
        open_from=_time_of(declared.open_from),
        open_until=_time_of(declared.open_until),
        declared_by=actor,
        declared_at=now,
    )


@transaction.atomic
def remove_vendor_holiday(*, actor: User | None, day: str) -> VendorHoliday:
    """Remove a declared vendor holiday; the removed row is returned (Care managers)."""
    if actor is not None:
        require_care(actor, manager=True)
    found = VendorHoliday.objects.filter(day=_declared(day).day).first()
    if found is None:
        raise NotFound(_("%(day)s is not a declared vendor holiday") % {"day": day.strip()})
    found.delete()
    return found


def _declared(day: str, open_from: str = "", open_until: str = "") -> DeclaredDay:
    try:
        return declared_day(day, open_from, open_until)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def _time_of(minutes: int | None) -> time | None:
    """A stored time of day; ``None`` for none, and for an end at midnight (the day's end)."""
    if minutes is None or minutes >= 24 * 60:
        return None
    return time(minutes // 60, minutes % 60)


def vendor_closures(*, since: date) -> tuple[DeclaredDay, ...]:
    """The vendor holidays declared from ``since`` on, as the core's calendar takes them."""
    return tuple(
        DeclaredDay(h.day, _minutes_of(h.open_from), _minutes_of(h.open_until))
        for h in VendorHoliday.objects.filter(day__gte=since).order_by("day")
    )


def vendor_holiday_on(day: date) -> VendorHoliday | None:
    return VendorHoliday.objects.filter(day=day).first()


def _minutes_of(value: time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def vendor_calendar(hours: Mapping[str, str | list[str]], *, since: date) -> BusinessCalendar:
    """The vendor's business ``hours`` in its zone, with its country's public holidays and
    the vendor holidays declared from ``since`` on (the management-attention mailbox)."""
    vendor = Organisation.objects.filter(kind=OrgKind.VENDOR).first()
    zone, country = (vendor.timezone, vendor.country or None) if vendor else ("UTC", None)
    return hours_calendar(zone, hours, vendor_closures(since=since), country=country)


def hours_calendar(
    zone: str,
    hours: Mapping[str, str | list[str]],
    closures: tuple[DeclaredDay, ...] = (),
    *,
    country: str | None = None,
) -> BusinessCalendar:
    """A calendar of weekly ``hours`` in ``zone``, shared between requests (calendars are
    immutable and keep their index warm)."""
    frozen = tuple((d, v if isinstance(v, str) else tuple(v)) for d, v in sorted(hours.items()))
    return _hours_calendar(zone, frozen, closures, country)


@lru_cache(maxsize=256)
def _hours_calendar(
    zone: str,
    hours: tuple[tuple[str, str | tuple[str, ...]], ...],
    closures: tuple[DeclaredDay, ...],
    country: str | None,
) -> BusinessCalendar:
    week = {d: v if isinstance(v, str) else list(v) for d, v in hours}
    return BusinessCalendar(zone, week, closures, country=country)
