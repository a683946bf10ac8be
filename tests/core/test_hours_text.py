"""Working hours in one line (what an operator types for an organisation) and declared
holidays open only part of their day (the vendor closing early), on hand-worked examples."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.hours import DeclaredDay, declared_day, hours_text, parse_hours

H = timedelta(hours=1)
M = timedelta(minutes=1)
NY = "America/New_York"
LUNCH = ["09:00-12:00", "13:00-18:00"]


def days(names: str, intervals: list[str]) -> dict[str, list[str]]:
    return {name: list(intervals) for name in names.split()}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(NY))


def show(t: datetime) -> str:
    return t.astimezone(ZoneInfo(NY)).strftime("%a %Y-%m-%d %H:%M %Z")


# -- one line of working hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Mon-Fri 09:00-18:00", days("mon tue wed thu fri", ["09:00-18:00"])),
        (
            "Mon-Fri 09:00-12:00, 13:00-18:00",
            days("mon tue wed thu fri", LUNCH),
        ),
        # Several groups, names in any case, full names, a list of days, spaces.
        (
            "mon-thu 08:00-17:00;  Friday 08:00-13:00 ; Sat,Sun 10:00-12:00",
            {
                **days("mon tue wed thu", ["08:00-17:00"]),
                "fri": ["08:00-13:00"],
                "sat": ["10:00-12:00"],
                "sun": ["10:00-12:00"],
            },
        ),
        # A range wraps past Sunday: a Sunday-to-Thursday week.
        ("Sun-Thu 08:00-17:00", days("mon tue wed thu sun", ["08:00-17:00"])),
        # The same day in two groups: its intervals join, in order.
        ("Mon 13:00-18:00; Mon 09:00-12:00", {"mon": LUNCH}),
        # Across midnight, and round the clock.
        ("Mon-Fri 22:00-06:00", days("mon tue wed thu fri", ["22:00-06:00"])),
        ("24x7", days("mon tue wed thu fri sat sun", ["00:00-24:00"])),
    ],
)
def test_one_line_of_hours_is_the_weekday_map(text: str, hours: dict[str, list[str]]) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    "text",
    [
        "Mon-Fri 09:00-12:00, 13:00-18:00",
        "Mon-Thu 08:00-17:00; Fri 08:00-13:00; Sat-Sun 10:00-12:00",
        "Mon 09:00-17:00; Wed 09:00-17:00",
        "Mon-Fri 22:00-06:00",
        "24x7",
    ],
)
def test_what_a_calendar_prints_is_what_an_operator_types(text: str) -> None:
    assert hours_text(parse_hours(text)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Mon-Fri 09:00-13:00, 12:00-18:00",
            "working hours 'Mon-Fri 09:00-13:00, 12:00-18:00': overlapping working intervals: "
            "mon 09:00-13:00 and mon 12:00-18:00",
        ),
        (
            "Mon-Fri 9am-6pm",
            "working hours 'Mon-Fri 9am-6pm': malformed working interval '9am-6pm' on mon; "
            "expected 'HH:MM-HH:MM'",
        ),
        (
            "Mon-Fri 09:00-25:00",
            "working hours 'Mon-Fri 09:00-25:00': malformed working interval '09:00-25:00' on "
            "mon; hours run 00-23 (24:00 only as an end) and minutes 00-59",
        ),
        (
            "Mon-Fri 09:00-09:00",
            "working hours 'Mon-Fri 09:00-09:00': empty working interval '09:00-09:00' on mon; "
            "use '00:00-24:00' for a whole day",
        ),
        (
            "Mun-Fri 09:00-18:00",
            "working hours 'Mun-Fri 09:00-18:00': unknown day 'mun'; expected Mon, Tue, Wed, "
            "Thu, Fri, Sat or Sun",
        ),
        (
            "Mon-Fri",
            "working hours 'Mon-Fri': 'Mon-Fri' does not give days then times; expected hours "
            "such as 'Mon-Fri 09:00-18:00' or 'Mon-Fri 09:00-12:00, 13:00-18:00; Sat 10:00-14:00'",
        ),
        (
            "Mon-Fri 09:00-12:00,",
            "working hours 'Mon-Fri 09:00-12:00,': 'Mon-Fri 09:00-12:00,' does not give days "
            "then times; expected hours such as 'Mon-Fri 09:00-18:00' or 'Mon-Fri 09:00-12:00, "
            "13:00-18:00; Sat 10:00-14:00'",
        ),
        (
            "  ",
            "working hours '  ' name no working time; expected hours such as 'Mon-Fri "
            "09:00-18:00' or 'Mon-Fri 09:00-12:00, 13:00-18:00; Sat 10:00-14:00'",
        ),
    ],
)
def test_bad_hours_are_refused_in_one_sentence_naming_them(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="working hours") as refused:
        parse_hours(text)
    assert str(refused.value) == message


def test_a_working_day_with_a_lunch_break_is_eight_business_hours() -> None:
    # SPEC 2: one business day is the calendar's standard working day; with a lunch break
    # 09:00-12:00 and 13:00-18:00 that is 8 hours, not the policy's 9.
    office = BusinessCalendar(NY, parse_hours("Mon-Fri 09:00-12:00, 13:00-18:00"))
    assert office.day_length == 8 * H
    # Monday 11:00 + 2 BH: 11:00-12:00, lunch, 13:00-14:00.
    assert show(office.add(at("2026-11-23 11:00"), 2 * H)) == "Mon 2026-11-23 14:00 EST"
    # Monday 11:00 + 1 BD (8 h): 1 h before lunch, 5 after, then Tuesday 09:00-11:00.
    assert show(office.add(at("2026-11-23 11:00"), office.day_length)) == (
        "Tue 2026-11-24 11:00 EST"
    )


# -- declared holidays open part of the day ---------------------------------------------------


def test_a_declared_day_from_what_people_write() -> None:
    assert declared_day("2026-12-24") == DeclaredDay(date(2026, 12, 24))
    assert declared_day("2026-12-24", open_until="13:00") == DeclaredDay(
        date(2026, 12, 24), None, 13 * 60
    )
    assert declared_day(date(2026, 12, 24), "10:00", "24:00") == DeclaredDay(
        date(2026, 12, 24), 10 * 60, 24 * 60
    )
    assert str(declared_day("2026-12-24", open_until="13:00")) == "2026-12-24 open 00:00-13:00"
    assert str(declared_day("2026-12-24")) == "2026-12-24 closed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-02-30",), "holiday date '2026-02-30' is not a date; expected YYYY-MM-DD"),
        (("24/12/2026",), "holiday date '24/12/2026' is not a date; expected YYYY-MM-DD"),
        (
            ("2026-12-24", "", "13h"),
            "closing time '13h' is not a time; expected HH:MM between 00:00 and 23:59",
        ),
        (
            ("2026-12-24", "24:00", ""),
            "opening time '24:00' is not a time; expected HH:MM between 00:00 and 23:59",
        ),
        (
            ("2026-12-24", "14:00", "13:00"),
            "opening time '14:00' is not before closing time '13:00'; expected the day's open "
            "window, such as 09:00 to 13:00",
        ),
        (
            ("2026-12-24", "", "00:00"),
            "closing time '00:00' leaves no working time; declare the whole day closed",
        ),
        (
            ("2026-12-24", "00:00", ""),
            "a holiday open from '00:00' all day closes nothing; give a later opening time or "
            "a closing time",
        ),
    ],
)
def test_a_bad_declaration_is_refused_naming_it(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=r"\S") as refused:
        declared_day(*args)
    assert str(refused.value) == message


def test_a_holiday_closing_early_counts_only_the_morning() -> None:
    office = BusinessCalendar(
        NY,
        dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00"),
        [declared_day("2026-12-24", open_until="13:00"), declared_day("2026-12-31")],
        country="US",
    )
    # Thursday 24 December closes at 13:00: 5 business hours that day.
    assert office.between(at("2026-12-24 00:00"), at("2026-12-25 00:00")) == 5 * H
    assert office.is_open(at("2026-12-24 12:59"))
    assert not office.is_open(at("2026-12-24 13:00"))
    # Wednesday 23 15:00 + 9 h: 2 h on Wednesday, 5 on Thursday morning, Friday is
    # Christmas, then Monday 28 08:00-10:00.
    assert show(office.add(at("2026-12-23 15:00"), 9 * H)) == "Mon 2026-12-28 10:00 EST"
    # A deadline reached at the early closing is that closing.
    assert show(office.add(at("2026-12-24 08:00"), 5 * H)) == "Thu 2026-12-24 13:00 EST"
    # Thursday 31 December is declared closed all day, New Year's Day a public holiday.
    assert show(office.add(at("2026-12-30 16:00"), 2 * H)) == "Mon 2027-01-04 09:00 EST"
    assert office.holiday(date(2026, 12, 31)) == "holiday"
    assert office.holiday(date(2026, 12, 24)) is None  # open, for part of the day
    assert office.day_length == 9 * H  # a declared day does not change the standard day
    assert office.describe() == (
        "Mon-Fri 08:00-17:00 America/New_York, public holidays of US, 2 declared holiday(s)"
    )


def test_a_late_opening_and_a_window_inside_the_day() -> None:
    office = BusinessCalendar(
        NY,
        {"mon": ["09:00-12:00", "13:00-18:00"]},
        [
            declared_day("2026-11-23", open_from="12:30"),
            declared_day("2026-11-30", "10:00", "14:00"),
        ],
    )
    # Monday 23: lunch until 13:00, then the afternoon.
    assert office.between(at("2026-11-23 00:00"), at("2026-11-24 00:00")) == 5 * H
    assert show(office.next_open(at("2026-11-23 09:00"))) == "Mon 2026-11-23 13:00 EST"
    # Monday 30: 10:00-12:00 and 13:00-14:00.
    pieces = list(office.open_intervals(at("2026-11-30 00:00"), at("2026-12-01 00:00")))
    assert [(show(s), show(e)) for s, e in pieces] == [
        ("Mon 2026-11-30 10:00 EST", "Mon 2026-11-30 12:00 EST"),
        ("Mon 2026-11-30 13:00 EST", "Mon 2026-11-30 14:00 EST"),
    ]


def test_a_day_declared_closed_and_partly_open_is_closed() -> None:
    office = BusinessCalendar(
        NY,
        {"mon": "08:00-17:00"},
        [declared_day("2026-11-23", open_until="13:00"), date(2026, 11, 23)],
    )
    assert office.between(at("2026-11-23 00:00"), at("2026-11-24 00:00")) == 0 * M
    assert office.describe() == "Mon 08:00-17:00 America/New_York, 1 declared holiday(s)"


def test_a_24x7_week_with_a_partly_open_day_is_not_clock_time() -> None:
    office = BusinessCalendar("UTC", parse_hours("24x7"), [declared_day("2026-11-23", "", "13:00")])
    assert not office.is_always_open
    assert office.describe() == "24x7 UTC, 1 declared holiday(s)"


def test_partly_open_days_agree_with_minute_stepping() -> None:
    # Brute force over the week of the US fall-back (Sunday 2026-11-01): each minute is
    # open when its local time is inside the day's hours and inside its declared window.
    hours = {
        "fri": "22:00-02:00",
        "sat": "20:00-24:00",
        "sun": "00:00-03:00",
        "mon": ["08:00-12:00", "13:00-17:00"],
    }
    declared = {
        date(2026, 10, 31): (23 * 60, 24 * 60),  # Saturday: open 23:00-24:00 only
        date(2026, 11, 1): (60, 150),  # Sunday: open 01:00-02:30 (01:00-02:00 twice)
        date(2026, 11, 2): (10 * 60, 16 * 60),  # Monday: 10:00-16:00
    }
    office = BusinessCalendar(
        NY, hours, [DeclaredDay(day, start, end) for day, (start, end) in declared.items()]
    )
    week = BusinessCalendar(NY, hours).week
    zone = ZoneInfo(NY)
    t = at("2026-10-30 00:00")
    end = at("2026-11-03 00:00")
    opened = 0
    while t < end:
        local = t.astimezone(zone)
        minute = local.hour * 60 + local.minute
        expected = False
        for owner, offset in ((local.date(), 0), (local.date() - timedelta(days=1), 1440)):
            start, stop = declared.get(owner, (0, 2 * 1440))
            for iv in week[owner.weekday()]:
                inside = max(iv.start, start) <= minute + offset < min(iv.end, stop)
                expected = expected or inside
        assert office.is_open(t) is expected, show(t)
        opened += expected
        t = (t.astimezone(ZoneInfo("UTC")) + M).astimezone(zone)
    assert office.between(at("2026-10-30 00:00"), end) == opened * M
    # Friday 22:00 to Saturday 02:00 (Friday's, whatever Saturday's window), Saturday
    # 23:00-24:00, Sunday 01:00-02:30 with the repeated hour (2.5 h), Monday 10-12, 13-16.
    assert opened * M == 4 * H + 1 * H + (2 * H + 30 * M) + 5 * H


def test_an_organisations_own_hours_replace_the_policys() -> None:
    from caredesk.core import policy as policies

    policy = policies.load("purecloud-support")
    assert policy.calendar(NY, country="US").describe() == (
        "Mon-Fri 08:00-17:00 America/New_York, public holidays of US"
    )
    own = policy.calendar(NY, country="US", hours=parse_hours("Mon-Fri 09:00-12:00, 13:00-18:00"))
    assert own.describe() == (
        "Mon-Fri 09:00-12:00, 13:00-18:00 America/New_York, public holidays of US"
    )
    assert own.day_length == 8 * H
