"""Planned maintenance as iCalendar (RFC 5545) feeds, built with the ``icalendar`` library.

One VEVENT per window (not an RRULE: a recurrence rule would put a window that starts in a
skipped hour where RFC 5545 says, not where the calendar rule does, and a reschedule moves
one occurrence for one organisation), each at its local wall times with the TZID of the zone
it is counted in, and the VTIMEZONE of every zone used, covering the feed's period, so that
calendar applications show the right local times on both sides of a DST change. A window
edge whose wall time is ambiguous in its zone (in a repeated hour) is written in UTC, since
RFC 5545 would read such a local time as its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.core.maintenance import Window
from caredesk.status.catalogue import ServiceInfo

PRODID = "-//CareDesk//Planned maintenance//EN"
FEED_DAYS = 366  # "the next 12 months", a leap year included


@dataclass(frozen=True)
class FeedItem:
    """A window of a service, for the feed."""

    service: ServiceInfo
    window: Window


@dataclass(frozen=True)
class AnnouncedItem:
    """Announced maintenance (unplanned, or an emergency suspension), for the feed: one
    event whatever the number of services it concerns; no ``end``: until further notice."""

    id: int
    emergency: bool
    services: tuple[ServiceInfo, ...]
    start: datetime
    end: datetime | None
    summary: str
    zone: str


def feed_period(now: datetime) -> tuple[datetime, datetime]:
    """From ``now`` to the same instant 12 months on."""
    return now, now + timedelta(days=FEED_DAYS)


def _edge(instant: datetime, zone: str) -> datetime:
    """``instant`` at its wall time in ``zone``, or in UTC where that wall time is
    ambiguous or does not exist (it would not read back as the same instant)."""
    local = instant.astimezone(ZoneInfo(zone))
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=ZoneInfo(zone), fold=0)
    second = naive.replace(tzinfo=ZoneInfo(zone), fold=1)
    if first.utcoffset() != second.utcoffset():
        return instant.astimezone(UTC)
    return local


def _uid(item: FeedItem) -> str:
    # Stable across fetches, so that a calendar updates an event instead of adding one.
    return f"{item.service.id}-{item.window.start.astimezone(UTC):%Y%m%dT%H%M%SZ}@caredesk"


def build_feed(
    items: Iterable[FeedItem],
    *,
    name: str,
    language: str,
    now: datetime,
    announced: Iterable[AnnouncedItem] = (),
) -> bytes:
    """The iCalendar text of ``items`` and ``announced``, titled ``name``, its texts in
    ``language``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Calendar applications poll a subscribed feed; maintenance changes seldom.
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    first = last = now
    with translation.override(language):
        for item in sorted(items, key=lambda i: (i.window.start, i.service.id)):
            calendar.add_component(_event(item, language, now))
            first = min(first, item.window.start)
            last = max(last, item.window.end)
        for extra in announced:
            calendar.add_component(_announced_event(extra, language, now))
            first = min(first, extra.start)
            last = max(last, extra.end or extra.start)
    calendar.add_missing_timezones(
        first_date=(first - timedelta(days=1)).date(), last_date=(last + timedelta(days=1)).date()
    )
    return bytes(calendar.to_ical())


def _event(item: FeedItem, language: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    service_name = item.service.name_in(language)
    event.add("uid", _uid(item))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", _edge(item.window.start, item.window.zone))
    event.add("dtend", _edge(item.window.end, item.window.zone))
    event.add("summary", _("Planned maintenance: %(service)s") % {"service": service_name})
    rule = item.service.rule
    if rule is not None:
        event.add(
            "description",
            _(
                "Planned maintenance window of %(service)s (%(rule)s). The service may be "
                "unavailable during the window."
            )
            % {"service": service_name, "rule": rule.describe()},
        )
    event.add("categories", ["MAINTENANCE"])
    event.add("transp", "TRANSPARENT")  # the customer's own time is not taken
    return event


def _announced_event(item: AnnouncedItem, language: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    names = ", ".join(info.name_in(language) for info in item.services)
    event.add("uid", f"announced-{item.id}@caredesk")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", _edge(item.start, item.zone))
    if item.end is not None:  # none: until further notice, an event without a duration
        event.add("dtend", _edge(item.end, item.zone))
    if item.emergency:
        title = _("Emergency suspension: %(services)s")
    else:
        title = _("Unplanned maintenance: %(services)s")
    event.add("summary", title % {"services": names})
    event.add("description", item.summary)
    event.add("categories", ["MAINTENANCE"])
    event.add("transp", "TRANSPARENT")
    return event
