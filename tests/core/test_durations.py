"""Policy durations: parsing, meaning on a calendar, errors naming the text."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.durations import Duration, Unit, parse_duration

NY = ZoneInfo("America/New_York")
WEEKDAYS = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("10m", Duration(10, Unit.MINUTES), "10m"),
        ("15 min", Duration(15, Unit.MINUTES), "15m"),
        ("4h", Duration(4, Unit.HOURS), "4h"),
        ("72 hours", Duration(72, Unit.HOURS), "72h"),
        ("6 BH", Duration(6, Unit.BUSINESS_HOURS), "6 BH"),
        ("6BH", Duration(6, Unit.BUSINESS_HOURS), "6 BH"),
        ("2 BD", Duration(2, Unit.BUSINESS_DAYS), "2 BD"),
        ("30 bd", Duration(30, Unit.BUSINESS_DAYS), "30 BD"),
    ],
)
def test_parse(text: str, expected: Duration, canonical: str) -> None:
    assert parse_duration(text) == expected
    assert str(expected) == canonical


@pytest.mark.parametrize("text", ["n/a", "N/A", "not applicable", " na "])
def test_not_applicable(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize("text", ["", "soon", "6", "BH", "1.5 BH", "-2 BD", "2 weeks", "4 h 30"])
def test_malformed_text_is_named(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration") as err:
        parse_duration(text)
    assert repr(text) in str(err.value)


def test_zero_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'0 BH' must be greater than zero"):
        parse_duration("0 BH")


def test_business_day_is_the_standard_working_day() -> None:
    nine_to_five = BusinessCalendar("America/New_York", WEEKDAYS)
    assert Duration(2, Unit.BUSINESS_DAYS).length(nine_to_five) == timedelta(hours=18)
    short_friday = BusinessCalendar(
        "America/New_York", {**WEEKDAYS, "fri": "08:00-12:00"}, day_length=timedelta(hours=8)
    )
    assert Duration(3, Unit.BUSINESS_DAYS).length(short_friday) == timedelta(hours=24)


def test_clock_units_run_24x7_and_business_units_on_the_calendar() -> None:
    calendar = BusinessCalendar("America/New_York", WEEKDAYS)
    friday_1630 = datetime(2026, 11, 20, 16, 30, tzinfo=NY)
    assert Duration(4, Unit.HOURS).due(friday_1630, calendar) == datetime(
        2026, 11, 20, 20, 30, tzinfo=NY
    )  # Friday 20:30, nights count
    assert Duration(4, Unit.BUSINESS_HOURS).due(friday_1630, calendar) == datetime(
        2026, 11, 23, 11, 30, tzinfo=NY
    )  # Monday 11:30
    assert "clock time" in Duration(10, Unit.MINUTES).describe(calendar)
    assert Duration(2, Unit.BUSINESS_DAYS).describe(calendar) == (
        "2 BD (2 x 9:00 business hours = 18:00)"
    )


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("5 mins", Unit.MINUTES),
        ("5 minute", Unit.MINUTES),
        ("5 minutes", Unit.MINUTES),
        ("5 hr", Unit.HOURS),
        ("5 hrs", Unit.HOURS),
        ("5 hour", Unit.HOURS),
        ("5 Minutes", Unit.MINUTES),
        ("5HRS", Unit.HOURS),
    ],
)
def test_unit_aliases(text: str, unit: Unit) -> None:
    assert parse_duration(text) == Duration(5, unit)


def test_a_duration_must_be_text() -> None:
    with pytest.raises(ValueError, match="must be text") as err:
        parse_duration(5)  # type: ignore[arg-type]
    assert str(err.value) == "duration 5 must be text such as '10m', '4h', '6 BH' or '2 BD'"
