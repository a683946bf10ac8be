"""The maintenance feeds (RFC 5545), read back by the ``icalendar`` library and, independently,
by ``vobject``, which builds each event's zone from the feed's own VTIMEZONE: an event that
reads back at the right instant on both sides of a DST change shows that calendar
applications will show it at the right local time.

The frozen clock reads Monday 23 November 2026 10:00 New York (15:00 UTC); the feeds run to
the same instant of 24 November 2027. US clocks go forward on 14 March 2027, UK clocks on
28 March 2027.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import vobject  # type: ignore[import-untyped]
from django.test import Client

from caredesk.status.tests.conftest import Api
from caredesk.testing import World

NY = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def feed(path: str, **params: str) -> bytes:
    response = Client().get(f"/api{path}", params)  # no token: calendar apps send none
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def by_library(text: bytes) -> list[tuple[datetime, datetime, str, str]]:
    """(start, end) in UTC, the start's TZID and the summary of every VEVENT."""
    calendar = icalendar.Calendar.from_ical(text)
    return [
        (
            event.decoded("DTSTART").astimezone(UTC),
            event.decoded("DTEND").astimezone(UTC),
            str(event["DTSTART"].params.get("TZID", "UTC")),
            str(event["SUMMARY"]),
        )
        for event in calendar.walk("VEVENT")
    ]


def by_vobject(text: bytes) -> list[tuple[datetime, datetime]]:
    calendar: Any = vobject.readOne(text.decode("utf-8"))
    return [
        (e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
        for e in calendar.vevent_list
    ]


def test_a_service_feed_over_twelve_months(world: World) -> None:
    text = feed("/services/premier-edition/maintenance.ics")
    events = by_library(text)
    # Tue, Wed and Thu 22:00 New York from Tue 24 Nov 2026 to Tue 23 Nov 2027 (24 Nov
    # 03:00 UTC, before the feed's end): 52 weeks of three and one more.
    days = [date(2026, 11, 23) + timedelta(days=n) for n in range(367)]
    starts = [
        datetime(d.year, d.month, d.day, 22, tzinfo=NY).astimezone(UTC)
        for d in days
        if d.weekday() in (1, 2, 3)
    ]
    expected = [s for s in starts if s < utc(2027, 11, 24, 15)]
    assert [e[0] for e in events] == expected
    assert len(events) == 157
    # Tue 24 Nov 2026 22:00 EST to Wed 05:00 EST; Tue 16 Mar 2027 22:00 EDT to Wed 05:00 EDT.
    assert events[0][:3] == (utc(2026, 11, 25, 3), utc(2026, 11, 25, 10), "America/New_York")
    march = [e for e in events if e[0].date() == date(2027, 3, 17)]
    assert march[0][:2] == (utc(2027, 3, 17, 2), utc(2027, 3, 17, 9))
    assert events[0][3] == "Planned maintenance: Premier Edition (including Self-Service)"
    # The second parser reads the same instants from the feed's VTIMEZONE alone.
    assert by_vobject(text) == [e[:2] for e in events]
    assert b"DTSTART;TZID=America/New_York:20270316T220000" in text
    assert text.count(b"BEGIN:VTIMEZONE") == 1


def test_the_outbound_sunday_window_across_the_change(world: World) -> None:
    text = feed("/services/outbound-engagement/maintenance.ics")
    events = by_vobject(text)
    # Sun 14 Mar 2027 00:00 EST to 05:00 EDT: four real hours.
    assert (utc(2027, 3, 14, 5), utc(2027, 3, 14, 9)) in events
    # Sun 7 Nov 2027 00:00 EDT to 05:00 EST: six.
    assert (utc(2027, 11, 7, 4), utc(2027, 11, 7, 10)) in events


def test_a_local_time_service_feed_in_japanese(world: World) -> None:
    text = feed("/services/pureengage-cloud/maintenance.ics", tz="Asia/Tokyo", lang="ja")
    events = by_library(text)
    # Mon 23 Nov 2026 15:00 UTC, the clock's instant, is Tue 24 Nov 00:00 in Tokyo.
    assert events[0][:3] == (utc(2026, 11, 23, 15), utc(2026, 11, 23, 21), "Asia/Tokyo")
    assert events[0][3] == "計画メンテナンス: PureEngage Cloud"
    assert by_vobject(text) == [e[:2] for e in events]


def test_a_local_time_service_feed_needs_a_zone(world: World) -> None:
    response = Client().get("/api/services/pureengage-cloud/maintenance.ics")
    assert response.status_code == 422
    assert "customer's local time; give tz" in response.json()["detail"]
    response = Client().get("/api/services/premier-edition/maintenance.ics", {"lang": "fr"})
    assert response.status_code == 422
    assert response.json()["detail"] == "unknown language 'fr'; expected one of: en, ja"


def test_purecloud_feed_is_an_empty_calendar(world: World) -> None:
    assert by_library(feed("/services/purecloud/maintenance.ics")) == []


def test_an_organisations_feed(world: World, apis: dict[str, Api]) -> None:
    path = f"/organisations/{world.account.id}/services"
    apis["engineer"].put(path, {"services": ["pureengage-cloud", "premier-edition"]})
    _, body = apis["account"].get(path)
    url = urlsplit(body["calendar_url"])
    assert url.path == f"/api/organisations/{world.account.id}/maintenance.ics"
    response = Client().get(f"{url.path}?{url.query}")
    assert response.status_code == 200
    events = by_library(response.content)
    zones = {(e[2], e[3].split(": ")[1]) for e in events}
    assert zones == {
        ("Europe/London", "PureEngage Cloud"),  # Globex's own zone
        ("America/New_York", "Premier Edition (including Self-Service)"),
    }
    # PureEngage for London: Tue 23 Mar 2027 00:00 GMT, Tue 30 Mar 2027 00:00 BST.
    read = by_vobject(response.content)
    assert (utc(2027, 3, 23), utc(2027, 3, 23, 6)) in read
    assert (utc(2027, 3, 29, 23), utc(2027, 3, 30, 5)) in read
    assert read == [e[:2] for e in events]


def test_an_organisations_feed_needs_its_key(world: World) -> None:
    path = f"/api/organisations/{world.account.id}/maintenance.ics"
    for params in ({"key": "guessed"}, {}):
        response = Client().get(path, params)
        assert response.status_code in (404, 422)
    response = Client().get(path, {"key": "guessed"})
    assert response.json()["detail"] == (f"no maintenance feed {world.account.id} with this key")
