"""``BusinessCalendar`` on hand-worked examples.

Every expected instant below was worked out by hand from a printed calendar and the zone's
rules, and is written as the local wall time a person would read ("Mon 2026-11-23 13:30
EST"), so a failure reads like a wrong deadline.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core.calendar import BusinessCalendar

MON_FRI = ("mon", "tue", "wed", "thu", "fri")
ALL_WEEK = (*MON_FRI, "sat", "sun")
H = timedelta(hours=1)
M = timedelta(minutes=1)
S = timedelta(seconds=1)
US = timedelta(microseconds=1)
ZERO = timedelta(0)


def at(zone: str, text: str, fold: int = 0) -> datetime:
    """Local wall time ``"2026-11-20 16:30"`` in ``zone``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=fold)


def show(t: datetime, zone: str) -> str:
    """How a person in ``zone`` reads the instant: ``"Mon 2026-11-23 13:30 EST"``."""
    local = t.astimezone(ZoneInfo(zone))
    if local.second or local.microsecond:
        return local.strftime("%a %Y-%m-%d %H:%M:%S.%f %Z")
    return local.strftime("%a %Y-%m-%d %H:%M %Z")


def weekdays(text: str | list[str]) -> dict[str, str | list[str]]:
    return dict.fromkeys(MON_FRI, text)


# -- New York office hours with US public holidays ------------------------------------------

NY = "America/New_York"


@pytest.fixture(scope="module")
def ny_office() -> BusinessCalendar:
    return BusinessCalendar(NY, weekdays("08:00-17:00"), country="US")


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # the brief's example: half an hour on Friday, 5.5 h on Monday
        ("2026-11-20 16:30", 6 * H, "Mon 2026-11-23 13:30 EST"),
        # a deadline exactly at closing time is the closing time, not Monday 08:00
        ("2026-11-20 08:00", 9 * H, "Fri 2026-11-20 17:00 EST"),
        ("2026-11-20 16:00", 1 * H, "Fri 2026-11-20 17:00 EST"),
        ("2026-11-20 16:00", 1 * H + M, "Mon 2026-11-23 08:01 EST"),
        # started on a Saturday: the clock begins Monday 08:00
        ("2026-11-21 10:00", 1 * H, "Mon 2026-11-23 09:00 EST"),
        ("2026-11-21 10:00", 9 * H, "Mon 2026-11-23 17:00 EST"),
        # started before opening on a working day
        ("2026-11-23 06:15", 30 * M, "Mon 2026-11-23 08:30 EST"),
        # started after closing
        ("2026-11-23 19:00", 30 * M, "Tue 2026-11-24 08:30 EST"),
        # Thanksgiving (Thu 2026-11-26) is skipped; the Friday after is a working day
        ("2026-11-25 16:00", 2 * H, "Fri 2026-11-27 09:00 EST"),
        ("2026-11-25 16:00", 9 * H, "Fri 2026-11-27 16:00 EST"),
        ("2026-11-26 10:00", 30 * M, "Fri 2026-11-27 08:30 EST"),
        # five business days from Monday 09:00 across Thanksgiving:
        # Mon 8 h, Tue 9, Wed 9, (Thu off), Fri 9, Mon 9 = 44 h, then 1 h on Tuesday
        ("2026-11-23 09:00", 45 * H, "Tue 2026-12-01 09:00 EST"),
        # Christmas (Fri 2026-12-25) and New Year's Day (Fri 2027-01-01)
        ("2026-12-24 16:00", 2 * H, "Mon 2026-12-28 09:00 EST"),
        ("2026-12-31 12:00", 9 * H, "Mon 2027-01-04 12:00 EST"),
        # US spring forward (Sun 2026-03-08) and fall back (Sun 2026-11-01) over a weekend
        ("2026-03-06 16:00", 2 * H, "Mon 2026-03-09 09:00 EDT"),
        ("2026-10-30 16:00", 2 * H, "Mon 2026-11-02 09:00 EST"),
        # zero: the start itself, even while closed
        ("2026-11-23 07:00", ZERO, "Mon 2026-11-23 07:00 EST"),
        ("2026-11-21 10:00", ZERO, "Sat 2026-11-21 10:00 EST"),
        # negative: the latest instant that far back
        ("2026-11-23 09:00", -2 * H, "Fri 2026-11-20 16:00 EST"),
        ("2026-11-23 08:00", -1 * H, "Fri 2026-11-20 16:00 EST"),
        ("2026-11-21 12:00", -9 * H, "Fri 2026-11-20 08:00 EST"),
        ("2026-11-21 12:00", -9 * H - M, "Thu 2026-11-19 16:59 EST"),
        ("2026-11-27 08:30", -1 * H, "Wed 2026-11-25 16:30 EST"),
        ("2026-11-23 12:00", -1 * H, "Mon 2026-11-23 11:00 EST"),
        # the start of the epoch: going back into 1969 (1970-01-01 00:00 UTC is
        # Wed 1969-12-31 19:00 EST)
        ("1969-12-31 19:00", -1 * H, "Wed 1969-12-31 16:00 EST"),
    ],
)
def test_ny_office_add(
    ny_office: BusinessCalendar, start: str, duration: timedelta, expected: str
) -> None:
    result = ny_office.add(at(NY, start), duration)
    assert show(result, NY) == expected
    assert result.tzinfo is UTC


def test_ny_office_day_length_and_business_days(ny_office: BusinessCalendar) -> None:
    assert ny_office.day_length == 9 * H
    # 2 business days from Wednesday 16:00: Wed 1 h, (Thanksgiving), Fri 9 h, Mon 8 h
    result = ny_office.add(at(NY, "2026-11-25 16:00"), 2 * ny_office.day_length)
    assert show(result, NY) == "Mon 2026-11-30 16:00 EST"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-11-20 16:30", "2026-11-23 13:30", 6 * H),
        ("2026-11-23 13:30", "2026-11-20 16:30", -6 * H),
        ("2026-11-23 08:00", "2026-11-30 08:00", 36 * H),  # Thanksgiving week: 4 days
        ("2026-11-20 17:00", "2026-11-23 08:00", ZERO),  # a closed weekend
        ("2026-11-21 00:00", "2026-11-22 23:59", ZERO),
        ("2026-03-06 00:00", "2026-03-10 00:00", 18 * H),  # Fri and Mon, across DST
        ("2026-11-20 12:00", "2026-11-20 12:00", ZERO),
        ("2026-11-20 07:00", "2026-11-20 08:00", ZERO),
        ("2026-11-20 16:59", "2026-11-20 17:01", M),
        ("2026-12-24 00:00", "2027-01-05 00:00", 6 * 9 * H),  # Dec 24, 28-31, Jan 4
    ],
)
def test_ny_office_between(
    ny_office: BusinessCalendar, a: str, b: str, expected: timedelta
) -> None:
    assert ny_office.between(at(NY, a), at(NY, b)) == expected


def test_ny_office_holidays(ny_office: BusinessCalendar) -> None:
    assert ny_office.holiday(date(2026, 11, 26)) == "Thanksgiving Day"
    assert ny_office.holiday(date(2026, 11, 27)) is None
    assert ny_office.holiday(date(2026, 12, 25)) == "Christmas Day"
    assert ny_office.country == "US"
    assert ny_office.subdivision is None


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        ("2026-11-23 08:00:00", True),  # opening instant
        ("2026-11-23 07:59:59.999999", False),
        ("2026-11-23 16:59:59.999999", True),
        ("2026-11-23 17:00:00", False),  # closing instant
        ("2026-11-23 12:00:00", True),
        ("2026-11-21 12:00:00", False),  # Saturday
        ("2026-11-26 12:00:00", False),  # Thanksgiving
    ],
)
def test_ny_office_is_open_edges(ny_office: BusinessCalendar, t: str, expected: bool) -> None:
    assert ny_office.is_open(at(NY, t)) is expected


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        ("2026-11-23 08:00", "Mon 2026-11-23 08:00 EST"),  # open: itself
        ("2026-11-23 12:34:56.789000", "Mon 2026-11-23 12:34:56.789000 EST"),
        ("2026-11-23 16:59:59.999999", "Mon 2026-11-23 16:59:59.999999 EST"),
        ("2026-11-20 17:00", "Mon 2026-11-23 08:00 EST"),  # closing instant: next opening
        ("2026-11-23 07:59:59.999999", "Mon 2026-11-23 08:00 EST"),
        ("2026-11-25 17:00", "Fri 2026-11-27 08:00 EST"),  # over Thanksgiving
        ("2026-12-31 17:00", "Mon 2027-01-04 08:00 EST"),  # over New Year, into a new year
    ],
)
def test_ny_office_next_open(ny_office: BusinessCalendar, t: str, expected: str) -> None:
    assert show(ny_office.next_open(at(NY, t)), NY) == expected


def test_ny_office_open_intervals(ny_office: BusinessCalendar) -> None:
    got = list(ny_office.open_intervals(at(NY, "2026-11-25 12:00"), at(NY, "2026-11-30 10:00")))
    assert [(show(s, NY), show(e, NY)) for s, e in got] == [
        ("Wed 2026-11-25 12:00 EST", "Wed 2026-11-25 17:00 EST"),
        ("Fri 2026-11-27 08:00 EST", "Fri 2026-11-27 17:00 EST"),
        ("Mon 2026-11-30 08:00 EST", "Mon 2026-11-30 10:00 EST"),
    ]
    assert all(s.tzinfo is UTC and e.tzinfo is UTC for s, e in got)
    # nothing when the range is empty, reversed, or closed throughout
    assert (
        list(ny_office.open_intervals(at(NY, "2026-11-25 12:00"), at(NY, "2026-11-25 12:00"))) == []
    )
    assert (
        list(ny_office.open_intervals(at(NY, "2026-11-30 10:00"), at(NY, "2026-11-25 12:00"))) == []
    )
    assert (
        list(ny_office.open_intervals(at(NY, "2026-11-21 00:00"), at(NY, "2026-11-23 08:00"))) == []
    )
    # a range ending at an opening instant does not include it
    assert list(
        ny_office.open_intervals(at(NY, "2026-11-20 16:00"), at(NY, "2026-11-23 08:00"))
    ) == [(at(NY, "2026-11-20 16:00"), at(NY, "2026-11-20 17:00"))]


def test_describe_and_repr(ny_office: BusinessCalendar) -> None:
    assert ny_office.describe() == "Mon-Fri 08:00-17:00 America/New_York, public holidays of US"
    assert repr(ny_office) == (
        "BusinessCalendar('Mon-Fri 08:00-17:00 America/New_York, public holidays of US')"
    )
    declared = BusinessCalendar(
        "Europe/Berlin",
        weekdays(["09:00-12:00", "13:00-17:00"]),
        [date(2026, 12, 24), date(2026, 12, 31)],
        country="DE",
        subdivision="BY",
    )
    assert declared.describe() == (
        "Mon-Fri 09:00-12:00, 13:00-17:00 Europe/Berlin, public holidays of DE-BY, "
        "2 declared holiday(s)"
    )
    assert not declared.is_always_open


def test_subdivision_holidays() -> None:
    california = BusinessCalendar(NY, weekdays("08:00-17:00"), country="US", subdivision="CA")
    assert california.holiday(date(2026, 3, 31)) == "Cesar Chavez Day"
    assert california.subdivision == "CA"
    # Tue 2026-03-31 is closed in California
    result = california.add(at(NY, "2026-03-30 16:00"), 2 * H)
    assert show(result, NY) == "Wed 2026-04-01 09:00 EDT"


# -- night shift across New York's DST changes ------------------------------------------------


@pytest.fixture(scope="module")
def ny_nights() -> BusinessCalendar:
    """Saturday and Sunday nights, 22:00-06:00, each owned by the evening it starts on."""
    return BusinessCalendar(NY, {"sat": "22:00-06:00", "sun": "22:00-06:00"})


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # spring forward at Sun 02:00 EST -> 03:00 EDT: the Saturday night is 7 hours
        ("2026-03-07 22:00", "2026-03-08 06:00", 7 * H),
        ("2026-03-08 22:00", "2026-03-09 06:00", 8 * H),
        ("2026-03-07 12:00", "2026-03-09 12:00", 15 * H),
        # fall back at Sun 02:00 EDT -> 01:00 EST: the Saturday night is 9 hours
        ("2026-10-31 22:00", "2026-11-01 06:00", 9 * H),
        ("2026-10-31 12:00", "2026-11-02 12:00", 17 * H),
        # an ordinary weekend
        ("2026-06-06 12:00", "2026-06-08 12:00", 16 * H),
    ],
)
def test_night_shift_between_over_dst(
    ny_nights: BusinessCalendar, a: str, b: str, expected: timedelta
) -> None:
    assert ny_nights.between(at(NY, a), at(NY, b)) == expected
    assert ny_nights.between(at(NY, b), at(NY, a)) == -expected


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # spring: 22:00 EST + 3 h is 01:00 EST; + 4 h jumps the missing hour to 03:00 EDT
        ("2026-03-07 22:00", 3 * H, "Sun 2026-03-08 01:00 EST"),
        ("2026-03-07 22:00", 4 * H, "Sun 2026-03-08 03:00 EDT"),
        ("2026-03-07 22:00", 7 * H, "Sun 2026-03-08 06:00 EDT"),  # the closing instant
        ("2026-03-07 22:00", 7 * H + M, "Sun 2026-03-08 22:01 EDT"),
        ("2026-03-07 23:00", 8 * H, "Mon 2026-03-09 00:00 EDT"),
        ("2026-03-08 06:00", -7 * H, "Sat 2026-03-07 22:00 EST"),
        # fall: the hour 01:00-02:00 is worked twice, first in EDT then in EST
        ("2026-10-31 22:00", 3 * H + 30 * M, "Sun 2026-11-01 01:30 EDT"),
        ("2026-10-31 22:00", 4 * H + 30 * M, "Sun 2026-11-01 01:30 EST"),
        ("2026-10-31 22:00", 8 * H, "Sun 2026-11-01 05:00 EST"),
        ("2026-10-31 22:00", 9 * H, "Sun 2026-11-01 06:00 EST"),
        ("2026-11-01 06:00", -9 * H, "Sat 2026-10-31 22:00 EDT"),
        # started on a weekday: the clock waits for Saturday night
        ("2026-03-04 09:00", 1 * H, "Sat 2026-03-07 23:00 EST"),
    ],
)
def test_night_shift_add_over_dst(
    ny_nights: BusinessCalendar, start: str, duration: timedelta, expected: str
) -> None:
    assert show(ny_nights.add(at(NY, start), duration), NY) == expected


def test_night_shift_repeated_hour(ny_nights: BusinessCalendar) -> None:
    first = at(NY, "2026-11-01 01:30", fold=0)  # EDT
    second = at(NY, "2026-11-01 01:30", fold=1)  # EST, an hour later
    assert ny_nights.is_open(first)
    assert ny_nights.is_open(second)
    assert ny_nights.between(first, second) == H
    assert ny_nights.between(second, first) == -H
    assert show(ny_nights.add(first, H), NY) == "Sun 2026-11-01 01:30 EST"
    assert ny_nights.add(second, -H) == first.astimezone(UTC)


def test_night_shift_day_length(ny_nights: BusinessCalendar) -> None:
    assert ny_nights.day_length == 8 * H  # the standard night, not the DST ones
    assert ny_nights.describe() == "Sat-Sun 22:00-06:00 America/New_York"


def test_night_shift_open_intervals_across_a_new_year() -> None:
    nights = BusinessCalendar("UTC", {"thu": "22:00-06:00"})
    # Thu 2026-12-31 22:00 to Fri 2027-01-01 06:00 UTC: one piece across the year edge
    got = list(nights.open_intervals(at("UTC", "2026-12-31 00:00"), at("UTC", "2027-01-02 00:00")))
    assert got == [(at("UTC", "2026-12-31 22:00"), at("UTC", "2027-01-01 06:00"))]
    # a holiday on the Thursday removes the whole night, Friday morning included
    off = BusinessCalendar("UTC", {"thu": "22:00-06:00"}, [date(2026, 12, 31)])
    assert off.between(at("UTC", "2026-12-31 00:00"), at("UTC", "2027-01-02 00:00")) == ZERO
    assert not off.is_open(at("UTC", "2027-01-01 03:00"))
    # a holiday on the Friday does not
    fri = BusinessCalendar("UTC", {"thu": "22:00-06:00"}, [date(2027, 1, 1)])
    assert fri.between(at("UTC", "2026-12-31 00:00"), at("UTC", "2027-01-02 00:00")) == 8 * H


# -- unusual zones ----------------------------------------------------------------------------

LHI = "Australia/Lord_Howe"


@pytest.fixture(scope="module")
def lord_howe_sunday() -> BusinessCalendar:
    return BusinessCalendar(LHI, {"sun": "00:00-06:00"})


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # DST starts Sun 2026-10-04 02:00 +10:30 -> 02:30 +11: half an hour is missing
        ("2026-10-04 00:00", 1 * H, "Sun 2026-10-04 01:00 +1030"),
        ("2026-10-04 00:00", 2 * H, "Sun 2026-10-04 02:30 +11"),
        ("2026-10-04 00:00", 3 * H, "Sun 2026-10-04 03:30 +11"),
        ("2026-10-04 00:00", 5 * H + 30 * M, "Sun 2026-10-04 06:00 +11"),
        # DST ends Sun 2026-04-05 02:00 +11 -> 01:30 +10:30: 01:30-02:00 is worked twice
        ("2026-04-05 00:00", 1 * H + 45 * M, "Sun 2026-04-05 01:45 +11"),
        ("2026-04-05 00:00", 2 * H + 15 * M, "Sun 2026-04-05 01:45 +1030"),
        ("2026-04-05 00:00", 3 * H, "Sun 2026-04-05 02:30 +1030"),
        ("2026-04-05 00:00", 6 * H + 30 * M, "Sun 2026-04-05 06:00 +1030"),
        ("2026-04-05 00:00", 6 * H + 31 * M, "Sun 2026-04-12 00:01 +1030"),
    ],
)
def test_lord_howe_half_hour_dst(
    lord_howe_sunday: BusinessCalendar, start: str, duration: timedelta, expected: str
) -> None:
    assert show(lord_howe_sunday.add(at(LHI, start), duration), LHI) == expected


def test_lord_howe_sunday_lengths(lord_howe_sunday: BusinessCalendar) -> None:
    cal = lord_howe_sunday
    assert cal.between(at(LHI, "2026-10-03 12:00"), at(LHI, "2026-10-05 00:00")) == 5 * H + 30 * M
    assert cal.between(at(LHI, "2026-04-04 12:00"), at(LHI, "2026-04-06 00:00")) == 6 * H + 30 * M
    assert cal.between(at(LHI, "2026-06-06 12:00"), at(LHI, "2026-06-08 00:00")) == 6 * H
    # Sunday 00:00 +10:30 is Saturday 13:30 UTC; it closes at 06:00 +11, 19:00 UTC
    assert not cal.is_open(at("UTC", "2026-10-03 13:29:59.999999"))
    assert cal.is_open(at("UTC", "2026-10-03 13:30"))
    assert cal.is_open(at("UTC", "2026-10-03 15:29:59.999999"))  # 01:59:59.999999 +10:30
    assert cal.is_open(at("UTC", "2026-10-03 15:30"))  # the next instant is 02:30 +11
    assert cal.is_open(at("UTC", "2026-10-03 18:59:59.999999"))
    assert not cal.is_open(at("UTC", "2026-10-03 19:00"))


def test_kolkata_half_hour_offset() -> None:
    kolkata = BusinessCalendar("Asia/Kolkata", weekdays("09:00-18:00"))
    result = kolkata.add(at("Asia/Kolkata", "2026-03-06 17:00"), 2 * H)
    assert show(result, "Asia/Kolkata") == "Mon 2026-03-09 10:00 IST"
    assert result == datetime(2026, 3, 9, 4, 30, tzinfo=UTC)
    # Mon 00:00-12:00 UTC is 05:30-17:30 IST: open 09:00-17:30
    assert kolkata.between(at("UTC", "2026-03-09 00:00"), at("UTC", "2026-03-09 12:00")) == (
        8 * H + 30 * M
    )
    assert not kolkata.is_open(at("UTC", "2026-03-09 03:29"))
    assert kolkata.is_open(at("UTC", "2026-03-09 03:30"))
    assert kolkata.is_open(at("UTC", "2026-03-09 12:29"))
    assert not kolkata.is_open(at("UTC", "2026-03-09 12:30"))


SAO = "America/Sao_Paulo"


def test_sao_paulo_day_that_began_at_one() -> None:
    """DST began Sun 2018-11-04 at 00:00, which became 01:00: that Sunday had 23 hours."""
    sundays = BusinessCalendar(SAO, {"sun": "00:00-24:00"})
    assert sundays.between(at(SAO, "2018-11-03 12:00"), at(SAO, "2018-11-05 12:00")) == 23 * H
    assert not sundays.is_open(at(SAO, "2018-11-03 23:59"))
    assert show(sundays.next_open(at(SAO, "2018-11-03 23:30")), SAO) == "Sun 2018-11-04 01:00 -02"
    assert sundays.next_open(at(SAO, "2018-11-03 23:30")) == datetime(2018, 11, 4, 3, tzinfo=UTC)
    assert show(sundays.add(at(SAO, "2018-11-03 12:00"), H), SAO) == "Sun 2018-11-04 02:00 -02"
    assert show(sundays.add(at(SAO, "2018-11-03 12:00"), 23 * H), SAO) == (
        "Mon 2018-11-05 00:00 -02"
    )
    assert show(sundays.add(at(SAO, "2018-11-06 12:00"), -23 * H), SAO) == (
        "Sun 2018-11-04 01:00 -02"
    )
    # a Saturday night shift loses the hour that never was
    saturday_nights = BusinessCalendar(SAO, {"sat": "22:00-02:00"})
    assert (
        saturday_nights.between(at(SAO, "2018-11-03 12:00"), at(SAO, "2018-11-04 12:00")) == 3 * H
    )


def test_sao_paulo_day_with_a_repeated_hour() -> None:
    """DST ended Sun 2019-02-17 00:00 -02, back to Sat 23:00 -03: that Saturday had 25 hours."""
    saturdays = BusinessCalendar(SAO, {"sat": "00:00-24:00"})
    assert saturdays.between(at(SAO, "2019-02-15 12:00"), at(SAO, "2019-02-17 12:00")) == 25 * H
    start = at(SAO, "2019-02-16 00:00")
    assert show(saturdays.add(start, 23 * H), SAO) == "Sat 2019-02-16 23:00 -02"
    assert show(saturdays.add(start, 24 * H), SAO) == "Sat 2019-02-16 23:00 -03"
    assert show(saturdays.add(start, 25 * H), SAO) == "Sun 2019-02-17 00:00 -03"


APIA = "Pacific/Apia"


def test_apia_skipped_friday() -> None:
    """Samoa went from Thu 2011-12-29 23:59:59 -10 straight to Sat 2011-12-31 00:00 +14."""
    office = BusinessCalendar(APIA, weekdays("09:00-17:00"))
    assert show(office.add(at(APIA, "2011-12-29 16:00"), 2 * H), APIA) == (
        "Mon 2012-01-02 10:00 +14"
    )
    assert office.between(at(APIA, "2011-12-29 00:00"), at(APIA, "2012-01-02 00:00")) == 8 * H
    assert show(office.next_open(at(APIA, "2011-12-29 17:00")), APIA) == (
        "Mon 2012-01-02 09:00 +14"
    )
    assert show(office.add(at(APIA, "2012-01-02 09:00"), -M), APIA) == ("Thu 2011-12-29 16:59 -10")
    fridays = BusinessCalendar(APIA, {"fri": "09:00-17:00"})
    assert show(fridays.next_open(at(APIA, "2011-12-29 18:00")), APIA) == (
        "Fri 2012-01-06 09:00 +14"
    )
    # Friday night into Saturday: only the Saturday morning part of it ever existed
    friday_nights = BusinessCalendar(APIA, {"fri": "22:00-02:00"})
    assert (
        friday_nights.between(at(APIA, "2011-12-29 00:00"), at(APIA, "2012-01-01 00:00")) == 2 * H
    )
    assert show(friday_nights.next_open(at(APIA, "2011-12-29 12:00")), APIA) == (
        "Sat 2011-12-31 00:00 +14"
    )


# -- leap day, the far future, lunch breaks, declared holidays --------------------------------

LONDON = "Europe/London"


def test_leap_day() -> None:
    office = BusinessCalendar(LONDON, weekdays("09:00-17:00"))
    assert show(office.add(at(LONDON, "2028-02-28 16:00"), 2 * H), LONDON) == (
        "Tue 2028-02-29 10:00 GMT"
    )
    assert show(office.add(at(LONDON, "2028-02-29 16:00"), 2 * H), LONDON) == (
        "Wed 2028-03-01 10:00 GMT"
    )
    assert office.between(at(LONDON, "2028-02-28 00:00"), at(LONDON, "2028-03-02 00:00")) == (
        24 * H
    )
    closed = BusinessCalendar(LONDON, weekdays("09:00-17:00"), [date(2028, 2, 29)])
    assert closed.holiday(date(2028, 2, 29)) == "holiday"
    assert show(closed.add(at(LONDON, "2028-02-28 16:00"), 2 * H), LONDON) == (
        "Wed 2028-03-01 10:00 GMT"
    )
    assert closed.between(at(LONDON, "2028-02-28 00:00"), at(LONDON, "2028-03-02 00:00")) == (
        16 * H
    )


def test_near_2200() -> None:
    # The holidays library stops at 2100, so the New Year is declared here.
    office = BusinessCalendar(NY, weekdays("08:00-17:00"), [date(2200, 1, 1)])
    assert show(office.add(at(NY, "2199-12-31 16:00"), 2 * H), NY) == "Thu 2200-01-02 09:00 EST"
    # DST in 2200 starts on the second Sunday of March (the 9th)
    assert show(office.add(at(NY, "2200-03-07 16:00"), 2 * H), NY) == "Mon 2200-03-10 09:00 EDT"
    assert show(office.add(at(NY, "2200-12-31 16:00"), 10 * 9 * H), NY) == (
        "Wed 2201-01-14 16:00 EST"
    )
    assert office.between(at(NY, "2200-03-03 00:00"), at(NY, "2200-03-17 00:00")) == 10 * 9 * H


def test_whole_range_1970_to_2200() -> None:
    office = BusinessCalendar(NY, weekdays("08:00-17:00"))
    start, end = at("UTC", "1970-01-01 00:00"), at("UTC", "2200-12-31 00:00")
    total = office.between(start, end)
    # 84,371 days, five in seven of them working days
    assert 60_200 * 9 * H < total < 60_330 * 9 * H
    assert office.add(start, total) <= end
    assert office.between(start, office.add(start, total)) == total
    assert office.add(end, -total) >= start


BERLIN = "Europe/Berlin"


@pytest.fixture(scope="module")
def lunch() -> BusinessCalendar:
    return BusinessCalendar(BERLIN, weekdays(["09:00-12:00", "13:00-17:00"]))


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2026-06-01 11:30", 1 * H, "Mon 2026-06-01 13:30 CEST"),
        ("2026-06-01 11:00", 1 * H, "Mon 2026-06-01 12:00 CEST"),  # lunch is a closing
        ("2026-06-01 11:00", 1 * H + M, "Mon 2026-06-01 13:01 CEST"),
        ("2026-06-01 12:30", 30 * M, "Mon 2026-06-01 13:30 CEST"),
        ("2026-06-01 13:00", -M, "Mon 2026-06-01 11:59 CEST"),
        ("2026-06-01 12:30", -M, "Mon 2026-06-01 11:59 CEST"),
        ("2026-06-01 16:00", 7 * H, "Tue 2026-06-02 16:00 CEST"),
        ("2026-06-05 16:00", 2 * H, "Mon 2026-06-08 10:00 CEST"),
    ],
)
def test_lunch_break_add(
    lunch: BusinessCalendar, start: str, duration: timedelta, expected: str
) -> None:
    assert show(lunch.add(at(BERLIN, start), duration), BERLIN) == expected


def test_lunch_break_queries(lunch: BusinessCalendar) -> None:
    assert lunch.day_length == 7 * H
    assert lunch.is_open(at(BERLIN, "2026-06-01 11:59"))
    assert not lunch.is_open(at(BERLIN, "2026-06-01 12:00"))
    assert not lunch.is_open(at(BERLIN, "2026-06-01 12:59"))
    assert lunch.is_open(at(BERLIN, "2026-06-01 13:00"))
    assert show(lunch.next_open(at(BERLIN, "2026-06-01 12:00")), BERLIN) == (
        "Mon 2026-06-01 13:00 CEST"
    )
    assert show(lunch.next_open(at(BERLIN, "2026-06-05 17:00")), BERLIN) == (
        "Mon 2026-06-08 09:00 CEST"
    )
    day = list(lunch.open_intervals(at(BERLIN, "2026-06-01 00:00"), at(BERLIN, "2026-06-02 00:00")))
    assert [(show(s, BERLIN), show(e, BERLIN)) for s, e in day] == [
        ("Mon 2026-06-01 09:00 CEST", "Mon 2026-06-01 12:00 CEST"),
        ("Mon 2026-06-01 13:00 CEST", "Mon 2026-06-01 17:00 CEST"),
    ]
    clipped = list(
        lunch.open_intervals(at(BERLIN, "2026-06-01 10:00"), at(BERLIN, "2026-06-01 14:00"))
    )
    assert clipped == [
        (at(BERLIN, "2026-06-01 10:00"), at(BERLIN, "2026-06-01 12:00")),
        (at(BERLIN, "2026-06-01 13:00"), at(BERLIN, "2026-06-01 14:00")),
    ]
    assert lunch.between(at(BERLIN, "2026-06-01 11:00"), at(BERLIN, "2026-06-01 14:00")) == 2 * H


def test_declared_holidays() -> None:
    office = BusinessCalendar("UTC", weekdays("09:00-17:00"), [date(2026, 6, 5), date(2026, 6, 8)])
    # Thu 16:00 + 2 h: Fri 5th and Mon 8th are declared off
    assert show(office.add(at("UTC", "2026-06-04 16:00"), 2 * H), "UTC") == (
        "Tue 2026-06-09 10:00 UTC"
    )
    assert office.holiday(date(2026, 6, 5)) == "holiday"
    assert office.holiday(date(2026, 6, 4)) is None
    assert office.between(at("UTC", "2026-06-01 00:00"), at("UTC", "2026-06-13 00:00")) == 8 * 8 * H
    assert not office.is_open(at("UTC", "2026-06-05 12:00"))


TOKYO = "Asia/Tokyo"


def test_japanese_holidays_golden_week() -> None:
    office = BusinessCalendar(TOKYO, weekdays("09:00-18:00"), country="JP")
    # Wed 2026-04-29 is Showa Day
    assert show(office.add(at(TOKYO, "2026-04-28 17:00"), 2 * H), TOKYO) == (
        "Thu 2026-04-30 10:00 JST"
    )
    # Mon 4th, Tue 5th and Wed 6th (for Constitution Day falling on Sunday 3rd) are off
    assert show(office.add(at(TOKYO, "2026-05-01 17:00"), 2 * H), TOKYO) == (
        "Thu 2026-05-07 10:00 JST"
    )
    assert office.between(at(TOKYO, "2026-05-01 09:00"), at(TOKYO, "2026-05-08 09:00")) == 18 * H
    assert office.holiday(date(2026, 4, 29)) == "Showa Day"
    assert office.holiday(date(2026, 5, 6)) == "Substitute Holiday"
    assert office.holiday(date(2026, 5, 7)) is None
    # an explicit declaration overrides the name
    both = BusinessCalendar(TOKYO, weekdays("09:00-18:00"), [date(2026, 5, 6)], country="jp")
    assert both.holiday(date(2026, 5, 6)) == "holiday"


# -- 24x7 -------------------------------------------------------------------------------------


def test_always_open() -> None:
    clock = BusinessCalendar.always()
    t = at(NY, "2026-03-08 01:30")  # just before New York's spring forward
    real = t.astimezone(UTC)  # aware arithmetic in a zone is wall-clock arithmetic
    assert clock.add(t, 90 * M) == real + 90 * M
    assert show(clock.add(t, 90 * M), NY) == "Sun 2026-03-08 04:00 EDT"
    assert clock.add(t, -90 * M) == real - 90 * M
    assert clock.add(t, 4 * H).tzinfo is UTC
    assert clock.between(t, at(NY, "2026-03-08 03:30")) == H  # one real hour
    assert clock.between(at(NY, "2026-03-08 03:30"), t) == -H
    assert clock.is_open(t)
    assert clock.next_open(t) == t
    assert clock.day_length == 24 * H
    assert clock.describe() == "24x7 (clock time)"
    assert clock.is_always_open
    year_edge = list(
        clock.open_intervals(at("UTC", "2025-12-31 12:00"), at("UTC", "2026-01-01 12:00"))
    )
    assert year_edge == [(at("UTC", "2025-12-31 12:00"), at("UTC", "2026-01-01 12:00"))]
    assert clock.add(at("UTC", "2026-01-01 00:00"), 365 * 24 * H) == at("UTC", "2027-01-01 00:00")
    local_24x7 = BusinessCalendar(NY, dict.fromkeys(ALL_WEEK, "00:00-24:00"))
    assert local_24x7.describe() == "24x7 (clock time)"  # 24x7 is clock time in any zone
    assert local_24x7.between(t, at(NY, "2026-03-08 03:30")) == H
    assert not BusinessCalendar(
        "UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"), [date(2026, 1, 1)]
    ).is_always_open


def test_explicit_day_length() -> None:
    cal = BusinessCalendar("UTC", weekdays("08:00-17:00"), day_length=8 * H)
    assert cal.day_length == 8 * H


# -- microseconds: the exact path -------------------------------------------------------------


def test_microsecond_inputs(ny_office: BusinessCalendar) -> None:
    start = at(NY, "2026-11-20 16:59:59.500000")
    assert show(ny_office.add(start, S), NY) == "Mon 2026-11-23 08:00:00.500000 EST"
    assert show(ny_office.add(at(NY, "2026-11-20 16:30"), 6 * H + US), NY) == (
        "Mon 2026-11-23 13:30:00.000001 EST"
    )
    assert show(ny_office.add(at(NY, "2026-11-23 08:00:00.000001"), -2 * US), NY) == (
        "Fri 2026-11-20 16:59:59.999999 EST"
    )
    assert ny_office.between(
        at(NY, "2026-11-20 16:59:59.250000"), at(NY, "2026-11-23 08:00:00.750000")
    ) == timedelta(seconds=1.5)
    assert ny_office.add(at(NY, "2026-11-21 10:00:00.123456"), ZERO) == at(
        NY, "2026-11-21 10:00:00.123456"
    )


@pytest.mark.parametrize(
    ("start", "duration"),
    [
        ("2026-11-20 16:30", 6 * H),
        ("2026-11-20 08:00", 9 * H),
        ("2026-11-21 10:00", 1 * H),
        ("2026-11-25 16:00", 2 * H),
        ("2026-11-23 09:00", 45 * H),
        ("2026-11-23 09:00", -2 * H),
        ("2026-11-21 12:00", -9 * H),
        ("2026-03-06 16:00", 500 * H),
        ("2026-11-23 10:00", -500 * H),
    ],
)
def test_microsecond_path_agrees_with_second_path(
    ny_office: BusinessCalendar, start: str, duration: timedelta
) -> None:
    s = at(NY, start)
    fast = ny_office.add(s, duration)
    assert fast == ny_office._add_exact(s, duration)
    # a microsecond later inside the same open stretch lands a microsecond later
    if all(ny_office.is_open(x) for x in (s, s + US, fast - US, fast)):
        assert ny_office.add(s + US, duration) == fast + US
    # the same instants with a microsecond on each side: the exact path agrees
    assert ny_office.between(s, fast) == duration
    assert ny_office._between_exact(s, fast) == duration
    inner = ny_office.between(s + US, fast - US)
    assert ny_office.between(s, fast) - inner == ny_office.between(s, s + US) + ny_office.between(
        fast - US, fast
    )


# -- errors -----------------------------------------------------------------------------------

OFFICE = weekdays("08:00-17:00")


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, ["unknown time zone", "'Mars/Olympus_Mons'"]),
        ({"timezone": "America/New_Yrok"}, ["'America/New_Yrok'"]),
        ({"timezone": ""}, ["time zone ''"]),
        ({"timezone": "../etc/passwd"}, ["'../etc/passwd'"]),
        ({"hours": {"mon": "8-17"}}, ["malformed working interval", "'8-17'"]),
        ({"hours": {"mon": "08:00-25:00"}}, ["'08:00-25:00'"]),
        ({"hours": {"mon": "08:00-08:00"}}, ["empty working interval", "'08:00-08:00'"]),
        ({"hours": {"mun": "08:00-17:00"}}, ["unknown weekday", "'mun'"]),
        (
            {"hours": {"mon": ["08:00-12:00", "11:00-13:00"]}},
            ["overlapping", "mon 08:00-12:00", "mon 11:00-13:00"],
        ),
        (
            {"hours": {"sun": "22:00-06:00", "mon": "05:00-09:00"}},
            ["overlapping", "sun 22:00-06:00", "mon 05:00-09:00"],
        ),
        ({"hours": {}}, ["no working interval"]),
        ({"hours": {"mon": []}}, ["no working interval"]),
        ({"country": "XX"}, ["unknown country", "'XX'"]),
        ({"country": "Atlantis"}, ["'Atlantis'"]),
        ({"country": ""}, ["country ''"]),
        ({"country": "US", "subdivision": "ZZ"}, ["unknown subdivision", "'ZZ'", "'US'"]),
        ({"subdivision": "CA"}, ["'CA'", "needs a country"]),
        ({"holidays": ["2026-12-25"]}, ["'2026-12-25'", "not a date"]),
        (
            {"holidays": [datetime(2026, 12, 25, tzinfo=UTC)]},
            ["datetime.datetime(2026, 12, 25", "not a date"],
        ),
        ({"day_length": ZERO}, ["day_length", "datetime.timedelta(0)"]),
        ({"day_length": -H}, ["day_length", "datetime.timedelta(days=-1, seconds=82800)"]),
        ({"day_length": 9}, ["day_length", "9"]),
        ({"day_length": ZERO, "hours": {}}, ["day_length"]),
    ],
)
def test_constructor_errors_name_the_bad_value(
    kwargs: dict[str, object], fragments: list[str]
) -> None:
    args: dict[str, object] = {"timezone": NY, "hours": OFFICE, **kwargs}
    with pytest.raises(ValueError, match=re.escape(fragments[0])) as err:
        BusinessCalendar(**args)  # type: ignore[arg-type]
    for fragment in fragments:
        assert fragment in str(err.value)


NAIVE = datetime(2026, 11, 20, 16, 30)  # noqa: DTZ001 - naive on purpose
AWARE = at(NY, "2026-11-20 16:30")


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.add(NAIVE, H),
        lambda cal: cal.add(NAIVE, -H),
        lambda cal: cal.add(NAIVE, ZERO),
        lambda cal: cal.add(NAIVE, H + US),
        lambda cal: cal.between(NAIVE, AWARE),
        lambda cal: cal.between(AWARE, NAIVE),
        lambda cal: cal.between(NAIVE, NAIVE),
        lambda cal: cal.is_open(NAIVE),
        lambda cal: cal.next_open(NAIVE),
        lambda cal: list(cal.open_intervals(NAIVE, AWARE)),
        lambda cal: list(cal.open_intervals(AWARE, NAIVE)),
        lambda cal: cal.local(NAIVE),
    ],
)
def test_naive_datetime_refused(ny_office: BusinessCalendar, call: object) -> None:
    with pytest.raises(ValueError, match="has no time zone") as err:
        call(ny_office)  # type: ignore[operator]
    assert "2026-11-20T16:30:00" in str(err.value)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda cal: cal.add("2026-11-20 16:30", H), "'2026-11-20 16:30'"),
        (lambda cal: cal.add(date(2026, 11, 20), H), "datetime.date(2026, 11, 20)"),
        (lambda cal: cal.add(AWARE, 3600), "duration 3600"),
        (lambda cal: cal.add(AWARE, "1h"), "'1h'"),
        (lambda cal: cal.add(AWARE, None), "None"),
        (lambda cal: cal.between(AWARE, 5), "5"),
        (lambda cal: cal.between(None, AWARE), "None"),
        (lambda cal: cal.add(at(NY, "2500-01-01 00:00"), H), "2500"),
        (lambda cal: cal.add(at(NY, "1850-01-01 00:00"), -H), "1850"),
        (lambda cal: cal.add(at("UTC", "2399-12-30 00:00"), 30 * 24 * H), "2400"),
        (lambda cal: cal.between(AWARE, at(NY, "2500-01-01 00:00")), "2500"),
    ],
)
def test_bad_arguments_name_the_value(
    ny_office: BusinessCalendar, call: object, fragment: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        call(ny_office)  # type: ignore[operator]


def test_results_are_utc(ny_office: BusinessCalendar) -> None:
    s = at(NY, "2026-11-20 16:30")
    assert ny_office.add(s, H).tzinfo is UTC
    assert ny_office.add(s, -H).tzinfo is UTC
    assert ny_office.add(s, ZERO).tzinfo is UTC
    assert ny_office.add(s, H + US).tzinfo is UTC
    assert ny_office.next_open(s).tzinfo is UTC
    assert ny_office.local(s).tzinfo == ZoneInfo(NY)


def test_public_holidays_continue_past_the_librarys_default_end() -> None:
    # The holidays library stops at 2100 by default; its US rules hold for any year.
    calendar = BusinessCalendar("America/New_York", {"fri": "08:00-17:00"}, country="US")
    assert calendar.holiday(date(2150, 12, 25)) == "Christmas Day"
    friday = datetime(2150, 12, 25, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert not calendar.is_open(friday)


def test_a_year_the_holiday_library_cannot_compute_is_a_clear_error() -> None:
    calendar = BusinessCalendar("Asia/Shanghai", {"mon": "09:00-18:00"}, country="CN")
    with pytest.raises(ValueError, match=r"public holidays of CN are not known for 2150"):
        calendar.holiday(date(2150, 2, 1))


# -- day_end: the close of the business day an instant belongs to -----------------------------
# (the stale rule closes a proposed resolution at the end of a business day)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # open: that day's closing time
        ("2026-11-20 10:00", "Fri 2026-11-20 17:00 EST"),
        ("2026-11-20 08:00", "Fri 2026-11-20 17:00 EST"),  # the opening instant itself
        ("2026-11-20 16:59:59", "Fri 2026-11-20 17:00 EST"),
        # the closing instant closes that day
        ("2026-11-20 17:00", "Fri 2026-11-20 17:00 EST"),
        # closed: the business day before
        ("2026-11-20 17:00:01", "Fri 2026-11-20 17:00 EST"),
        ("2026-11-21 12:00", "Fri 2026-11-20 17:00 EST"),  # Saturday
        ("2026-11-23 07:59", "Fri 2026-11-20 17:00 EST"),  # Monday before opening
        ("2026-11-23 08:00", "Mon 2026-11-23 17:00 EST"),
        # Thanksgiving (Thu 2026-11-26) is a holiday: it belongs to Wednesday
        ("2026-11-26 11:00", "Wed 2026-11-25 17:00 EST"),
        ("2026-11-27 09:00", "Fri 2026-11-27 17:00 EST"),
    ],
)
def test_day_end_in_the_new_york_office(
    ny_office: BusinessCalendar, instant: str, expected: str
) -> None:
    assert show(ny_office.day_end(at(NY, instant)), NY) == expected


def test_day_end_over_a_lunch_break_is_the_last_period_of_that_day() -> None:
    lunch = BusinessCalendar(NY, weekdays(["08:00-12:00", "13:00-17:00"]))
    assert show(lunch.day_end(at(NY, "2026-11-23 09:00")), NY) == "Mon 2026-11-23 17:00 EST"
    assert show(lunch.day_end(at(NY, "2026-11-23 12:30")), NY) == "Mon 2026-11-23 17:00 EST"
    assert show(lunch.day_end(at(NY, "2026-11-23 12:00")), NY) == "Mon 2026-11-23 17:00 EST"
    assert show(lunch.day_end(at(NY, "2026-11-23 14:00")), NY) == "Mon 2026-11-23 17:00 EST"


def test_day_end_of_a_night_shift_is_the_next_morning() -> None:
    # Monday's shift runs Monday 22:00 to Tuesday 05:00: it is Monday's business day.
    nights = BusinessCalendar("UTC", {"mon": "22:00-05:00"})
    assert show(nights.day_end(at("UTC", "2026-11-23 23:00")), "UTC") == (
        "Tue 2026-11-24 05:00 UTC"
    )
    assert show(nights.day_end(at("UTC", "2026-11-24 03:00")), "UTC") == (
        "Tue 2026-11-24 05:00 UTC"
    )
    assert show(nights.day_end(at("UTC", "2026-11-26 12:00")), "UTC") == (
        "Tue 2026-11-24 05:00 UTC"
    )


def test_day_end_reaches_back_into_the_previous_year() -> None:
    # A fresh calendar first indexes the year asked about; the business day before New
    # Year's Day 2027 (a Friday, closed at 03:00) is Thursday 2026-12-31.
    cal = BusinessCalendar("UTC", weekdays("09:00-17:00"))
    assert show(cal.day_end(at("UTC", "2027-01-01 03:00")), "UTC") == "Thu 2026-12-31 17:00 UTC"
    again = BusinessCalendar("UTC", weekdays("09:00-17:00"))
    assert show(again.day_end(at("UTC", "2027-01-01 09:00")), "UTC") == "Fri 2027-01-01 17:00 UTC"


def test_day_end_is_utc_and_refuses_naive_instants(ny_office: BusinessCalendar) -> None:
    assert ny_office.day_end(at(NY, "2026-11-20 10:00")).tzinfo is UTC
    with pytest.raises(ValueError, match="has no time zone"):
        ny_office.day_end(datetime(2026, 11, 20, 10))  # noqa: DTZ001 (naive on purpose)


# -- the supported years: 1900 to 2399 ---------------------------------------------------------


def test_the_first_supported_year_is_1900() -> None:
    cal = BusinessCalendar("UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"))
    assert cal.add(at("UTC", "1900-01-01 00:00"), H) == at("UTC", "1900-01-01 01:00")
    assert cal.between(at("UTC", "1900-01-01 00:00"), at("UTC", "1900-01-02 00:00")) == 24 * H
    with pytest.raises(ValueError, match="the year 1899 is outside the supported range 1900-2399"):
        cal.add(at("UTC", "1900-01-01 00:00"), -H)
    with pytest.raises(ValueError, match="the year 1899 is outside the supported range 1900-2399"):
        cal.is_open(at("UTC", "1899-12-31 23:00"))


def test_the_last_supported_year_is_2399() -> None:
    cal = BusinessCalendar("UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"))
    assert cal.add(at("UTC", "2399-12-31 22:00"), H) == at("UTC", "2399-12-31 23:00")
    with pytest.raises(ValueError, match="the year 2400 is outside the supported range 1900-2399"):
        cal.add(at("UTC", "2399-12-31 23:00"), 2 * H)


def test_an_empty_week_is_refused_even_with_a_day_length() -> None:
    with pytest.raises(ValueError, match="working hours name no working interval") as err:
        BusinessCalendar("UTC", {}, day_length=8 * H)
    assert str(err.value) == (
        "working hours name no working interval; a calendar needs at least one"
    )
    with pytest.raises(ValueError, match="working hours name no working interval"):
        BusinessCalendar("UTC", {})


@pytest.mark.parametrize("bad", [ZERO, -H, 8, "8h"])
def test_day_length_must_be_a_positive_timedelta(bad: object) -> None:
    with pytest.raises(ValueError, match=re.escape(f"day_length {bad!r} must be a positive")):
        BusinessCalendar("UTC", weekdays("08:00-17:00"), day_length=bad)  # type: ignore[arg-type]


def test_no_day_length_is_the_standard_working_day() -> None:
    cal = BusinessCalendar("UTC", weekdays("08:00-17:00"), day_length=None)
    assert cal.day_length == 9 * H


def test_day_end_after_the_last_period_of_the_indexed_year() -> None:
    # A fresh calendar indexes 2026 only; Thursday 2026-12-31 20:00 is after its last period.
    cal = BusinessCalendar("UTC", weekdays("09:00-17:00"))
    assert show(cal.day_end(at("UTC", "2026-12-31 20:00")), "UTC") == "Thu 2026-12-31 17:00 UTC"


def test_day_end_in_the_first_period_of_1900() -> None:
    # Monday 1900-01-01 is the first supported day: nothing before it needs indexing.
    cal = BusinessCalendar("UTC", weekdays("09:00-17:00"))
    assert show(cal.day_end(at("UTC", "1900-01-01 10:00")), "UTC") == "Mon 1900-01-01 17:00 UTC"
    with pytest.raises(ValueError, match="the year 1899 is outside the supported range"):
        BusinessCalendar("UTC", weekdays("09:00-17:00")).day_end(at("UTC", "1900-01-01 08:00"))


def test_a_24x7_week_with_holidays_is_not_clock_time() -> None:
    cal = BusinessCalendar("UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"), [date(2026, 12, 25)])
    assert cal.is_always_open is False
    assert cal.describe() == "24x7 UTC, 1 declared holiday(s)"
    national = BusinessCalendar("UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"), country="GB")
    assert national.is_always_open is False
    assert national.describe() == "24x7 UTC, public holidays of GB"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1900, 12, 25), "Christmas Day"),  # the first supported year
        (date(2399, 12, 25), "Christmas Day"),  # the last
        (date(1899, 12, 25), None),  # outside the range: never asked of the library
        (date(2400, 12, 25), None),
        (date(2026, 12, 24), None),
    ],
)
def test_public_holidays_within_the_supported_years(day: date, expected: str | None) -> None:
    calendar = BusinessCalendar("America/New_York", {"fri": "08:00-17:00"}, country="US")
    assert calendar.holiday(day) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": ""}, "country '' is not an ISO 3166 country code such as 'US'"),
        ({"country": "  "}, "country '  ' is not an ISO 3166 country code such as 'US'"),
        ({"country": 5}, "country 5 is not an ISO 3166 country code such as 'US'"),
        (
            {"country": "XX", "subdivision": "ZZ"},
            "unknown country 'XX'; expected an ISO 3166 country code such as 'US'",
        ),
    ],
)
def test_country_messages(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166") as err:
        BusinessCalendar("UTC", weekdays("08:00-17:00"), **kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_a_deadline_reached_a_microsecond_before_closing_is_the_closing_instant() -> None:
    office = BusinessCalendar(NY, weekdays("08:00-17:00"))
    start = at(NY, "2026-11-20 16:59:59.999999")
    assert show(office.add(start, US), NY) == "Fri 2026-11-20 17:00 EST"


def test_an_index_grown_backwards_keeps_its_arithmetic() -> None:
    # A fresh calendar first indexes 2027, then grows back into 2026 (no holidays here):
    # Thursday 2026-12-31 16:00 + 2 h is Friday 2027-01-01 09:00; Wednesday 16:00 to
    # Monday 2027-01-04 09:00 holds 1 + 9 + 9 + 1 hours.
    office = BusinessCalendar(NY, weekdays("08:00-17:00"))
    assert show(office.add(at(NY, "2027-01-04 09:00"), H), NY) == "Mon 2027-01-04 10:00 EST"
    assert show(office.add(at(NY, "2026-12-31 16:00"), 2 * H), NY) == "Fri 2027-01-01 09:00 EST"
    assert office.between(at(NY, "2026-12-30 16:00"), at(NY, "2027-01-04 09:00")) == 20 * H


def test_microseconds_are_exact_across_the_whole_range() -> None:
    # Beyond 2**53 microseconds from 1970 (the year 2255) a float loses odd microseconds;
    # the exact path counts in integers.
    always = BusinessCalendar("UTC", dict.fromkeys(ALL_WEEK, "00:00-24:00"))
    late = datetime(2390, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    assert always.add(late, US) == datetime(2390, 1, 1, 0, 0, 0, 2, tzinfo=UTC)
    assert always.between(late, late + 3 * US) == 3 * US
    end = datetime(2399, 12, 31, 0, 0, 0, 2, tzinfo=UTC)
    long_ago = always.add(end, -timedelta(days=105_850, microseconds=1))
    assert long_ago == datetime(2110, 3, 11, 0, 0, 0, 1, tzinfo=UTC)


def test_the_naive_message_in_full(ny_office: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="has no time zone") as err:
        ny_office.is_open(NAIVE)
    assert str(err.value) == (
        "instant 2026-11-20T16:30:00 has no time zone; pass an aware datetime "
        "(for example with tzinfo=UTC)"
    )
