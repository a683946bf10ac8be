"""The hours Care staffs the web portal (seed 000: "Web portal support 8:00am to 5:00pm") and
what is phoned in outside them: read from the shipped documents, at hand-worked instants,
and the exact message for each mistake."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caredesk.core.policy import Channel
from tests.core.policy_documents import CARE, RESELLER, SUPPORT, document, fresh, refused

NEW_YORK = ZoneInfo("America/New_York")


# -- portal hours (seed 000: "Web portal support 8:00am to 5:00pm") ----------------------------


def test_the_support_portal_is_staffed_in_business_hours_and_severity_1_is_phoned() -> None:
    portal = fresh(SUPPORT).portal
    assert portal is not None
    assert portal.zone == "customer"
    assert portal.hours == dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")
    assert portal.channels == {Channel.PORTAL, Channel.API}
    assert portal.phone_severities == {1}


def test_the_customer_care_portal_is_staffed_24x7x365() -> None:
    portal = fresh(CARE).portal
    assert portal is not None
    assert portal.calendar("Asia/Tokyo", country="JP").describe().startswith("24x7")


def test_the_reseller_guide_says_nothing_of_portal_hours() -> None:
    assert fresh(RESELLER).portal is None


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall time in November 2026 (EST, UTC-5) as a UTC instant."""
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.mark.parametrize(
    ("at", "severity", "channel", "phoned"),
    [
        (ny(28, 10), 1, "portal", True),  # Saturday 10:00 EST: nobody at the portal
        (ny(28, 10), 1, "api", True),  # the API is the portal's other door
        (ny(28, 10), 1, "phone", False),  # already on the phone
        (ny(28, 10), 2, "portal", False),  # waits for Monday 08:00: business hours
        (ny(23, 10), 1, "portal", False),  # Monday 10:00 EST: staffed
        (ny(23, 7, 59), 1, "portal", True),  # Monday 07:59, a minute before opening
        (ny(23, 8), 1, "portal", False),  # Monday 08:00, opening
        (ny(27, 16, 59), 1, "portal", False),  # Friday 16:59
        (ny(27, 17), 1, "portal", True),  # Friday 17:00, closing
        (ny(26, 10), 1, "portal", True),  # Thanksgiving, Thursday 26: a US public holiday
    ],
)
def test_a_severity_1_outside_support_portal_hours_is_phoned_in(
    at: datetime, severity: int, channel: str, phoned: bool
) -> None:
    portal = fresh(SUPPORT).portal
    assert portal is not None
    calendar = portal.calendar("America/New_York", country="US")
    assert portal.phone_instead(severity=severity, channel=channel, at=at, calendar=calendar) is (
        phoned
    )


def test_nothing_is_phoned_in_on_a_portal_staffed_24x7x365() -> None:
    portal = fresh(CARE).portal
    assert portal is not None
    calendar = portal.calendar("Asia/Tokyo", country="JP")
    # Monday 23 November 2026 is Labour Thanksgiving Day in Japan; Saturday 28, 00:00 JST.
    for at in (datetime(2026, 11, 23, 1, tzinfo=UTC), datetime(2026, 11, 27, 15, tzinfo=UTC)):
        assert not portal.phone_instead(severity=1, channel="portal", at=at, calendar=calendar)


def portal_table(doc: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = doc["portal"]
    return table


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("zone", "Mars/Olympus", "portal.zone: unknown time zone 'Mars/Olympus'"),
        ("zone", "vendor", "portal.zone: unknown time zone 'vendor'"),
        (
            "hours",
            {"mon": "8-5"},
            "portal.hours: malformed working interval '8-5' on mon; expected 'HH:MM-HH:MM'",
        ),
        (
            "hours",
            {},
            "portal.hours: working hours name no working interval; a calendar needs at least one",
        ),
        (
            "channels",
            ["portal", "phone"],
            "portal.channels: the portal's channels cannot include 'phone'",
        ),
        (
            "channels",
            ["fax"],
            "portal.channels: unknown channel 'fax'; expected one of 'portal', 'api', 'phone', "
            "'chat', 'email'",
        ),
        (
            "phone_severities",
            [1, 2],
            "portal.phone_severities: severity 2 is not taken by phone on plan 'standard'",
        ),
        (
            "phone_severities",
            [5],
            "portal.phone_severities: unknown severity 5; expected 1, 2, 3 or 4",
        ),
        ("colour", 1, "portal.colour: unknown key"),
    ],
)
def test_portal_hours_mistakes_are_named(key: str, value: object, message: str) -> None:
    doc = document(SUPPORT)
    portal_table(doc)[key] = value
    assert refused(doc).startswith(message)


def test_portal_hours_need_every_key() -> None:
    for key in ("zone", "hours", "channels", "phone_severities"):
        doc = document(SUPPORT)
        del portal_table(doc)[key]
        assert refused(doc) == f"portal.{key}: missing"
