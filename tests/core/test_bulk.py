"""``BusinessCalendar.add_many``: lists in, lists out; NumPy arrays in, NumPy arrays out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from caredesk.core.calendar import BusinessCalendar

NY = ZoneInfo("America/New_York")
H = timedelta(hours=1)
M = timedelta(minutes=1)
US = timedelta(microseconds=1)


@pytest.fixture(scope="module")
def office() -> BusinessCalendar:
    """Mon-Fri 08:00-17:00 New York with US public holidays."""
    hours = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")
    return BusinessCalendar("America/New_York", hours, country="US")


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def utc64(values: list[str], unit: str = "us") -> np.ndarray:
    """UTC wall times as a ``datetime64`` array (NumPy arrays carry no zone)."""
    return np.array(values, dtype=f"datetime64[{unit}]")


# Hand-worked (New York time; EST is UTC-5, EDT UTC-4):
#   Fri 2026-11-20 16:30 + 6 h   -> Mon 2026-11-23 13:30 EST (18:30 UTC)
#   Wed 2026-11-25 16:00 + 2 h   -> Fri 2026-11-27 09:00 EST (Thanksgiving off; 14:00 UTC)
#   Fri 2026-11-20 08:00 + 9 h   -> Fri 2026-11-20 17:00 EST (closing time stays; 22:00 UTC)
#   Mon 2026-11-23 09:00 - 2 h   -> Fri 2026-11-20 16:00 EST (21:00 UTC)
#   Sat 2026-11-21 10:00 + 0     -> itself (15:00 UTC)
#   Fri 2026-03-06 16:00 + 2 h   -> Mon 2026-03-09 09:00 EDT (13:00 UTC)
ROWS = [
    ("2026-11-20 16:30", 6 * H, "2026-11-23 18:30"),
    ("2026-11-25 16:00", 2 * H, "2026-11-27 14:00"),
    ("2026-11-20 08:00", 9 * H, "2026-11-20 22:00"),
    ("2026-11-23 09:00", -2 * H, "2026-11-20 21:00"),
    ("2026-11-21 10:00", timedelta(0), "2026-11-21 15:00"),
    ("2026-03-06 16:00", 2 * H, "2026-03-09 13:00"),
]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_lists(office: BusinessCalendar) -> None:
    starts = [ny(s) for s, _, _ in ROWS]
    durations = [d for _, d, _ in ROWS]
    result = office.add_many(starts, durations)
    assert isinstance(result, list)
    assert result == [_utc(u) for _, _, u in ROWS]
    assert all(r.tzinfo is UTC for r in result)


def test_any_iterables(office: BusinessCalendar) -> None:
    starts = tuple(ny(s) for s, _, _ in ROWS)
    durations = (d for _, d, _ in ROWS)  # a generator
    assert office.add_many(starts, durations) == [_utc(u) for _, _, u in ROWS]


def test_single_timedelta_for_all(office: BusinessCalendar) -> None:
    starts = [ny("2026-11-20 16:30"), ny("2026-11-21 10:00"), ny("2026-11-25 16:00")]
    assert office.add_many(starts, 2 * H) == [
        _utc("2026-11-23 14:30"),  # Mon 09:30 EST
        _utc("2026-11-23 15:00"),  # Mon 10:00 EST
        _utc("2026-11-27 14:00"),  # Fri 09:00 EST
    ]
    assert office.add_many((s for s in starts), -H) == [
        _utc("2026-11-20 20:30"),  # Fri 15:30 EST
        _utc("2026-11-20 21:00"),  # Fri 16:00 EST
        _utc("2026-11-25 20:00"),  # Wed 15:00 EST
    ]


def test_empty(office: BusinessCalendar) -> None:
    assert office.add_many([], []) == []
    assert office.add_many([], H) == []
    empty = office.add_many(utc64([]), np.array([], dtype="timedelta64[us]"))
    assert empty.dtype == np.dtype("datetime64[us]")
    assert empty.shape == (0,)


def test_mismatched_lengths(office: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="2 starts and 3 durations"):
        office.add_many([ny("2026-11-20 16:30")] * 2, [H] * 3)
    with pytest.raises(ValueError, match=r"\(2,\) starts and \(3,\) durations"):
        office.add_many(
            utc64(["2026-11-20T21:30", "2026-11-21T15:00"]),
            np.array([1, 2, 3], dtype="timedelta64[h]"),
        )


@pytest.mark.parametrize("unit", ["us", "s", "m", "ms"])
def test_numpy_datetime64_units(office: BusinessCalendar, unit: str) -> None:
    starts = utc64(
        ["2026-11-20T21:30", "2026-11-25T21:00", "2026-11-20T13:00", "2026-11-23T14:00"], unit
    )
    durations = np.array([6, 2, 9, -2], dtype="timedelta64[h]")
    result = office.add_many(starts, durations)
    assert result.dtype == np.dtype("datetime64[us]")
    assert result.tolist() == [
        datetime(2026, 11, 23, 18, 30),  # noqa: DTZ001 - NumPy values are naive UTC
        datetime(2026, 11, 27, 14, 0),  # noqa: DTZ001
        datetime(2026, 11, 20, 22, 0),  # noqa: DTZ001
        datetime(2026, 11, 20, 21, 0),  # noqa: DTZ001
    ]


@pytest.mark.parametrize("unit", ["us", "s", "m", "h"])
def test_numpy_timedelta64_units(office: BusinessCalendar, unit: str) -> None:
    per_unit = {"us": US, "s": timedelta(seconds=1), "m": M, "h": H}[unit]
    durations = np.array([6 * H // per_unit, -(2 * H // per_unit)], dtype=f"timedelta64[{unit}]")
    result = office.add_many(utc64(["2026-11-20T21:30", "2026-11-23T14:00"]), durations)
    assert result.tolist() == [
        datetime(2026, 11, 23, 18, 30),  # noqa: DTZ001
        datetime(2026, 11, 20, 21, 0),  # noqa: DTZ001
    ]


def test_numpy_single_timedelta_for_all(office: BusinessCalendar) -> None:
    starts = utc64(["2026-11-20T21:30", "2026-11-21T15:00", "2026-11-25T21:00"])
    assert office.add_many(starts, 2 * H).tolist() == [
        datetime(2026, 11, 23, 14, 30),  # noqa: DTZ001
        datetime(2026, 11, 23, 15, 0),  # noqa: DTZ001
        datetime(2026, 11, 27, 14, 0),  # noqa: DTZ001
    ]


def test_numpy_negative_and_zero(office: BusinessCalendar) -> None:
    starts = utc64(["2026-11-23T14:00", "2026-11-23T13:00", "2026-11-21T17:00", "2026-11-21T15:00"])
    durations = np.array([-120, -60, -540, 0], dtype="timedelta64[m]")
    assert office.add_many(starts, durations).tolist() == [
        datetime(2026, 11, 20, 21, 0),  # Mon 09:00 EST - 2 h = Fri 16:00 EST  # noqa: DTZ001
        datetime(2026, 11, 20, 21, 0),  # Mon 08:00 EST - 1 h = Fri 16:00 EST  # noqa: DTZ001
        datetime(2026, 11, 20, 13, 0),  # Sat noon - 9 h = Fri 08:00 EST  # noqa: DTZ001
        datetime(2026, 11, 21, 15, 0),  # zero: Saturday itself  # noqa: DTZ001
    ]


def test_numpy_microseconds(office: BusinessCalendar) -> None:
    starts = utc64(["2026-11-20T21:59:59.500000", "2026-11-23T13:00:00.000001"])
    durations = np.array([1_000_000, -2], dtype="timedelta64[us]")
    assert office.add_many(starts, durations).tolist() == [
        datetime(2026, 11, 23, 13, 0, 0, 500_000),  # noqa: DTZ001
        datetime(2026, 11, 20, 21, 59, 59, 999_999),  # noqa: DTZ001
    ]


def test_numpy_matches_lists_in_any_order(office: BusinessCalendar) -> None:
    rows = list(reversed(ROWS))
    starts = [ny(s) for s, _, _ in rows]
    durations = [d for _, d, _ in rows]
    from_lists = office.add_many(starts, durations)
    np_starts = np.array([s.astimezone(UTC).replace(tzinfo=None) for s in starts], "datetime64[us]")
    np_durations = np.array(durations, dtype="timedelta64[us]")
    from_numpy = office.add_many(np_starts, np_durations)
    assert [x.replace(tzinfo=UTC) for x in from_numpy.tolist()] == from_lists


def test_numpy_keeps_the_shape(office: BusinessCalendar) -> None:
    starts = utc64(["2026-11-20T21:30", "2026-11-25T21:00", "2026-11-20T13:00", "2026-11-23T14:00"])
    durations = np.array([6, 2, 9, -2], dtype="timedelta64[h]")
    flat = office.add_many(starts, durations)
    square = office.add_many(starts.reshape(2, 2), durations.reshape(2, 2))
    assert square.shape == (2, 2)
    assert square.ravel().tolist() == flat.tolist()


def test_across_years(office: BusinessCalendar) -> None:
    # 1,000 business days of 9 hours from 2026, and back from 2026 into 1969
    starts = [ny("2026-11-20 16:30"), ny("2026-11-20 16:30"), ny("1970-01-02 09:00")]
    durations = [1000 * office.day_length, -1000 * office.day_length, -2 * H]
    result = office.add_many(starts, durations)
    assert [office.between(s, r) for s, r in zip(starts, result, strict=True)] == durations
    assert result[0].year == 2030
    assert result[1].year == 2022
    # Thu 1970-01-01 is New Year's Day, so two hours back from Fri 09:00 is Wed 16:00
    assert result[2] == _utc("1969-12-31 21:00")
    np_result = office.add_many(
        np.array([s.astimezone(UTC).replace(tzinfo=None) for s in starts], "datetime64[us]"),
        np.array(durations, dtype="timedelta64[us]"),
    )
    assert [x.replace(tzinfo=UTC) for x in np_result.tolist()] == result


def test_numpy_spread_over_two_centuries() -> None:
    weekdays = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-17:00")
    london = BusinessCalendar("Europe/London", weekdays, [date(2200, 1, 1)])
    starts = utc64(["1970-01-05T08:00", "2099-06-01T08:00", "2199-12-31T16:00"])
    durations = np.array([8, -1, 2], dtype="timedelta64[h]")
    assert london.add_many(starts, durations).tolist() == [
        datetime(1970, 1, 5, 16, 0),  # Mon 1970-01-05: London was on BST all year (UTC+1)  # noqa: DTZ001
        datetime(2099, 5, 29, 15, 0),  # Mon 09:00 BST - 1 h = Fri 16:00 BST  # noqa: DTZ001
        datetime(2200, 1, 2, 10, 0),  # Tue 16:00 + 2 h: Wed 1st declared off  # noqa: DTZ001
    ]


@pytest.mark.parametrize(
    ("starts", "durations", "message"),
    [
        (np.array([1, 2]), np.array([1, 2], dtype="timedelta64[h]"), "datetime64 starts"),
        (utc64(["2026-11-20T21:30"]), np.array([1.5]), "timedelta64 durations, got dtype float64"),
        (utc64(["2026-11-20T21:30"]), [H], "timedelta64 durations, got dtype object"),
        (
            np.array(["2026-11-20T21:30", "NaT"], dtype="datetime64[us]"),
            np.array([1, 1], dtype="timedelta64[h]"),
            "NaT",
        ),
    ],
)
def test_numpy_errors(
    office: BusinessCalendar, starts: np.ndarray, durations: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        office.add_many(starts, durations)


def test_list_errors_name_the_value(office: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        office.add_many([datetime(2026, 11, 20, 16, 30)], [H])  # noqa: DTZ001
    with pytest.raises(ValueError, match="duration 3600"):
        office.add_many([ny("2026-11-20 16:30")], [3600])
