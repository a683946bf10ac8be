"""Parsing weekly working hours: formats, midnight, overlaps, the standard day."""

from __future__ import annotations

import pytest

from caredesk.core.hours import (
    MINUTES_PER_DAY,
    WEEKDAYS,
    WorkingInterval,
    describe_week,
    parse_interval,
    parse_week,
    standard_day_minutes,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


# -- single intervals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("08:00-17:00", 8 * 60, 17 * 60),
        ("8:00-17:00", 8 * 60, 17 * 60),  # one-digit hour
        (" 08:00 - 17:00 ", 8 * 60, 17 * 60),  # spaces around
        ("08:30-12:45", 8 * 60 + 30, 12 * 60 + 45),
        ("00:00-24:00", 0, 1440),  # the whole day
        ("00:00-00:01", 0, 1),
        ("23:59-24:00", 23 * 60 + 59, 1440),
        ("22:00-24:00", 22 * 60, 1440),
        ("22:00-00:00", 22 * 60, 1440),  # ending at the next midnight, written 00:00
        ("22:00-05:00", 22 * 60, 1440 + 5 * 60),  # crosses midnight
        ("23:59-23:58", 23 * 60 + 59, 1440 + 23 * 60 + 58),  # the longest crossing
        ("00:01-00:00", 1, 1440),
        ("17:00-08:00", 17 * 60, 1440 + 8 * 60),
    ],
)
def test_parse_interval_formats(text: str, start: int, end: int) -> None:
    iv = parse_interval(WED, text)
    assert iv == WorkingInterval(WED, start, end)
    assert iv.minutes == end - start


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("08:00-17:00", "08:00-17:00"),
        ("8:05-9:10", "08:05-09:10"),
        ("00:00-24:00", "00:00-24:00"),
        ("22:00-24:00", "22:00-24:00"),
        ("22:00-00:00", "22:00-24:00"),
        ("22:00-05:00", "22:00-05:00"),
    ],
)
def test_interval_text(text: str, shown: str) -> None:
    iv = parse_interval(FRI, text)
    assert iv.text == shown
    assert str(iv) == f"fri {shown}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "08:00",
        "08:00-",
        "0800-1700",
        "08.00-17.00",
        "08:0-17:00",
        "08:00-17:000",
        "108:00-17:00",
        "08:00 to 17:00",
        "-08:00-17:00",
        "8am-5pm",
    ],
)
def test_malformed_interval_names_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="malformed working interval") as err:
        parse_interval(TUE, text)
    assert repr(text) in str(err.value)
    assert "tue" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "24:00-05:00",  # 24 only as an end
        "25:00-26:00",
        "08:00-25:00",
        "08:60-17:00",
        "08:00-17:60",
        "99:99-17:00",
        "08:00-24:01",
        "08:00-24:30",
    ],
)
def test_bad_hour_or_minute_names_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="malformed working interval") as err:
        parse_interval(SAT, text)
    assert repr(text) in str(err.value)
    assert "sat" in str(err.value)
    assert "00-23" in str(err.value)


@pytest.mark.parametrize("text", ["08:00-08:00", "00:00-00:00", "24:00-24:00"])
def test_empty_interval_refused(text: str) -> None:
    with pytest.raises(ValueError, match="working interval") as err:
        parse_interval(SUN, text)
    assert repr(text) in str(err.value)
    if text != "24:00-24:00":  # that one already fails as an hour out of range
        assert "empty working interval" in str(err.value)
        assert "00:00-24:00" in str(err.value)  # the hint for a whole day


@pytest.mark.parametrize("value", [None, 830, 8.5, b"08:00-17:00"])
def test_non_string_interval_refused(value: object) -> None:
    with pytest.raises(ValueError, match="malformed working interval") as err:
        parse_interval(MON, value)  # type: ignore[arg-type]
    assert repr(value) in str(err.value)


# -- whole weeks ------------------------------------------------------------------------


def test_parse_week_mapping() -> None:
    week = parse_week(
        {
            "mon": "08:00-17:00",
            "tue": ["13:00-17:00", "08:00-12:00"],  # sorted on the way in
            "fri": "22:00-05:00",
        }
    )
    assert len(week) == 7
    assert week[MON] == (WorkingInterval(MON, 480, 1020),)
    assert week[TUE] == (WorkingInterval(TUE, 480, 720), WorkingInterval(TUE, 780, 1020))
    assert week[FRI] == (WorkingInterval(FRI, 1320, 1740),)  # owned by Friday
    assert week[SAT] == ()
    assert week[WED] == week[THU] == week[SUN] == ()


def test_weekday_names_are_case_and_space_insensitive() -> None:
    week = parse_week({" MON ": "08:00-17:00", "Sun": "10:00-11:00"})
    assert week[MON] == (WorkingInterval(MON, 480, 1020),)
    assert week[SUN] == (WorkingInterval(SUN, 600, 660),)


def test_a_tuple_and_an_empty_list_are_accepted() -> None:
    week = parse_week({"mon": ("08:00-09:00", "10:00-11:00"), "tue": []})
    assert [iv.text for iv in week[MON]] == ["08:00-09:00", "10:00-11:00"]
    assert week[TUE] == ()


@pytest.mark.parametrize("key", ["mun", "monday", "", "M", 0, "weekday"])
def test_unknown_weekday_names_the_key(key: object) -> None:
    with pytest.raises(ValueError, match="unknown weekday") as err:
        parse_week({key: "08:00-17:00"})  # type: ignore[dict-item]
    assert repr(key) in str(err.value)


def test_hours_must_be_a_mapping() -> None:
    with pytest.raises(ValueError, match="must map weekdays") as err:
        parse_week(["mon", "08:00-17:00"])  # type: ignore[arg-type]
    assert "['mon', '08:00-17:00']" in str(err.value)


def test_malformed_interval_inside_a_week_names_day_and_text() -> None:
    with pytest.raises(ValueError, match="malformed working interval") as err:
        parse_week({"mon": "08:00-17:00", "thu": ["08:00-12:00", "13:00-1700"]})
    assert "'13:00-1700'" in str(err.value)
    assert "thu" in str(err.value)


@pytest.mark.parametrize("value", [None, 5, 8.5])
def test_non_string_value_in_a_week_is_a_value_error(value: object) -> None:
    with pytest.raises(ValueError, match="malformed working interval") as err:
        parse_week({"wed": value})  # type: ignore[dict-item]
    assert repr(value) in str(err.value)


@pytest.mark.parametrize(
    ("hours", "first", "second"),
    [
        # within a day
        ({"mon": ["08:00-12:00", "11:00-13:00"]}, "mon 08:00-12:00", "mon 11:00-13:00"),
        ({"mon": ["08:00-17:00", "09:00-10:00"]}, "mon 08:00-17:00", "mon 09:00-10:00"),
        ({"tue": ["08:00-12:00", "08:00-12:00"]}, "tue 08:00-12:00", "tue 08:00-12:00"),
        ({"tue": ["00:00-24:00", "23:00-01:00"]}, "tue 00:00-24:00", "tue 23:00-01:00"),
        # across midnight into the next day
        ({"wed": "22:00-06:00", "thu": "05:00-09:00"}, "wed 22:00-06:00", "thu 05:00-09:00"),
        ({"wed": "23:00-00:30", "thu": "00:00-24:00"}, "wed 23:00-00:30", "thu 00:00-24:00"),
        (
            {"thu": "00:00-24:00", "fri": "23:00-00:30", "sat": "00:00-01:00"},
            "fri 23:00-00:30",
            "sat 00:00-01:00",
        ),
        # two midnight-crossing intervals on consecutive days
        ({"fri": "20:00-10:00", "sat": "09:00-10:00"}, "fri 20:00-10:00", "sat 09:00-10:00"),
        # Sunday night into Monday morning (the week wraps)
        ({"sun": "22:00-06:00", "mon": "05:59-17:00"}, "mon 05:59-17:00", "sun 22:00-06:00"),
        (
            {"sun": "00:00-24:00", "mon": "00:00-24:00", "sat": "23:00-00:01"},
            "sat 23:00-00:01",
            "sun 00:00-24:00",
        ),
    ],
)
def test_overlaps_refused_naming_both(hours: dict[str, object], first: str, second: str) -> None:
    with pytest.raises(ValueError, match="overlapping working intervals") as err:
        parse_week(hours)  # type: ignore[arg-type]
    message = str(err.value)
    assert first in message
    assert second in message


def test_sunday_wrap_reported_either_way_round() -> None:
    with pytest.raises(ValueError, match="overlapping working intervals") as err:
        parse_week({"sun": "23:00-02:00", "mon": "01:00-03:00"})
    assert "sun 23:00-02:00" in str(err.value)
    assert "mon 01:00-03:00" in str(err.value)


@pytest.mark.parametrize(
    "hours",
    [
        {"mon": ["08:00-12:00", "12:00-17:00"]},  # touching within a day
        {"mon": "22:00-06:00", "tue": "06:00-14:00"},  # touching across midnight
        {"sun": "22:00-06:00", "mon": "06:00-22:00"},  # touching across the week wrap
        {"sat": "00:00-24:00", "sun": "00:00-24:00"},  # whole days next to each other
        {"fri": "12:00-00:00", "sat": "00:00-12:00"},
        dict.fromkeys(WEEKDAYS, "00:00-24:00"),  # 24x7
        dict.fromkeys(WEEKDAYS, "12:00-11:59"),  # 23h59 each, one minute apart
        {"mon": "23:00-01:00", "tue": ["01:00-02:00", "23:00-01:00"], "wed": "01:00-01:01"},
    ],
)
def test_touching_intervals_allowed(hours: dict[str, object]) -> None:
    week = parse_week(hours)  # type: ignore[arg-type]
    assert sum(len(day) for day in week) >= 1


# -- the standard working day -----------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "minutes"),
    [
        (dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00"), 9 * 60),
        # the lunch break does not count
        ({d: ["09:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}, 7 * 60),
        # the mode: four 9-hour days beat one long day
        (
            {
                "mon": "08:00-17:00",
                "tue": "08:00-17:00",
                "wed": "08:00-17:00",
                "thu": "08:00-17:00",
                "fri": "08:00-20:00",
            },
            9 * 60,
        ),
        # the mode: three 4-hour days beat two 9-hour days
        (
            {
                "mon": "08:00-17:00",
                "tue": "08:00-17:00",
                "wed": "08:00-12:00",
                "thu": "08:00-12:00",
                "fri": "08:00-12:00",
            },
            4 * 60,
        ),
        # a tie goes to the longer day
        (
            {
                "mon": "08:00-17:00",
                "tue": "08:00-17:00",
                "sat": "09:00-13:00",
                "sun": "09:00-13:00",
            },
            9 * 60,
        ),
        ({"mon": "08:00-10:00", "tue": "08:00-11:00", "wed": "08:00-09:00"}, 3 * 60),
        # days without work are ignored, not counted as zero-length days
        ({"wed": "10:00-11:30"}, 90),
        # a night shift counts towards the day it starts on
        ({"sat": "22:00-06:00", "sun": "22:00-06:00"}, 8 * 60),
        (dict.fromkeys(WEEKDAYS, "00:00-24:00"), 24 * 60),
        # a day with a night shift and a morning: the Friday is 8 + 3 hours
        ({"thu": "22:00-06:00", "fri": ["09:00-12:00", "22:00-06:00"]}, 11 * 60),
    ],
)
def test_standard_day_minutes(hours: dict[str, object], minutes: int) -> None:
    assert standard_day_minutes(parse_week(hours)) == minutes  # type: ignore[arg-type]


@pytest.mark.parametrize("hours", [{}, {"mon": []}, {d: [] for d in WEEKDAYS}])
def test_a_week_without_work_has_no_standard_day(hours: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="no working interval"):
        standard_day_minutes(parse_week(hours))  # type: ignore[arg-type]


# -- description ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00"), "Mon-Fri 08:00-17:00"),
        (dict.fromkeys(WEEKDAYS, "00:00-24:00"), "24x7"),
        (
            {"mon": ["08:00-12:00", "13:00-17:00"], "tue": "08:00-17:00"},
            "Mon 08:00-12:00, 13:00-17:00; Tue 08:00-17:00",
        ),
        ({"sat": "22:00-06:00", "sun": "22:00-06:00"}, "Sat-Sun 22:00-06:00"),
        ({"mon": "08:00-17:00", "wed": "08:00-17:00"}, "Mon 08:00-17:00; Wed 08:00-17:00"),
    ],
)
def test_describe_week(hours: dict[str, object], text: str) -> None:
    assert describe_week(parse_week(hours)) == text  # type: ignore[arg-type]


def test_constants() -> None:
    assert WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert MINUTES_PER_DAY == 1440


@pytest.mark.parametrize(
    ("hours", "first", "second"),
    [
        # both on Sunday evening, before the week wraps
        ({"sun": ["22:00-06:00", "23:00-23:30"]}, "sun 22:00-06:00", "sun 23:00-23:30"),
        ({"sun": ["20:00-22:30", "22:00-06:00"]}, "sun 20:00-22:30", "sun 22:00-06:00"),
        # the last minute of the week
        ({"sun": ["23:00-01:00", "23:59-24:00"]}, "sun 23:00-01:00", "sun 23:59-24:00"),
    ],
)
def test_overlap_with_the_sunday_part_of_a_wrapping_interval(
    hours: dict[str, object], first: str, second: str
) -> None:
    with pytest.raises(ValueError, match="overlapping working intervals") as err:
        parse_week(hours)  # type: ignore[arg-type]
    assert first in str(err.value)
    assert second in str(err.value)


def test_a_wrapping_sunday_interval_leaves_monday_after_its_end_free() -> None:
    week = parse_week({"sun": "22:00-06:00", "mon": "06:00-07:00"})
    assert [str(iv) for iv in week[SUN]] == ["sun 22:00-06:00"]
    assert [str(iv) for iv in week[MON]] == ["mon 06:00-07:00"]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"tue": "8am-5pm"}, "malformed working interval '8am-5pm' on tue; expected 'HH:MM-HH:MM'"),
        ({"mon": None}, "malformed working interval None on mon; expected 'HH:MM-HH:MM'"),
        (
            {"sat": "25:00-26:00"},
            "malformed working interval '25:00-26:00' on sat; hours run 00-23 (24:00 only as "
            "an end) and minutes 00-59",
        ),
        (
            {"sun": "08:00-08:00"},
            "empty working interval '08:00-08:00' on sun; use '00:00-24:00' for a whole day",
        ),
        (
            {"mun": "08:00-17:00"},
            "unknown weekday 'mun' in working hours; expected one of mon..sun",
        ),
        (
            ["mon"],
            "working hours ['mon'] must map weekdays ('mon'..'sun') to intervals",
        ),
        (
            {"mon": ["08:00-12:00", "11:00-13:00"]},
            "overlapping working intervals: mon 08:00-12:00 and mon 11:00-13:00",
        ),
        (
            {"mon": ["08:00-12:00", "09:00-10:00"]},
            "overlapping working intervals: mon 08:00-12:00 and mon 09:00-10:00",
        ),
        # Sunday's interval wraps to Monday 00:00-00:30; the earlier end is named first.
        (
            {"sun": "23:00-00:30", "mon": "00:00-01:00"},
            "overlapping working intervals: sun 23:00-00:30 and mon 00:00-01:00",
        ),
        (
            {"sun": "23:00-00:30", "mon": "00:00-00:01"},
            "overlapping working intervals: mon 00:00-00:01 and sun 23:00-00:30",
        ),
    ],
)
def test_messages_in_full(hours: object, message: str) -> None:
    with pytest.raises(ValueError, match="working") as err:
        parse_week(hours)  # type: ignore[arg-type]
    assert str(err.value) == message
