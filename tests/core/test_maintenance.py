"""Planned maintenance windows (seed 004, section 3, Table 2), at hand-worked instants.

Table 2 as the seed prints it ("EST" read as America/New_York, following DST):

    Outbound Engagement   Tuesday & Thursday/Sunday  12:00 am-3:00 am/12:00 am-5:00 am (EST)
    Premier Edition       Tuesday, Wednesday, Thursday 10:00 pm-5:00 am (EST)
    PureEngage Cloud      Tuesday & Thursday         12:00 am-6:00 am (Local time)
    Social Analytics      Tuesday - Thursday         10:00 pm-5:00 am (EST)

2026 calendar: US clocks go forward on Sunday 8 March and back on Sunday 1 November; UK
clocks on Sunday 29 March and Sunday 25 October. 3 March 2026 is a Tuesday.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caredesk.core.maintenance import (
    Window,
    WindowRule,
    next_window,
    window_at,
    windows_between,
    with_moves,
)

NY = "America/New_York"
OUTBOUND = WindowRule.parse(NY, {"tue": "00:00-03:00", "thu": "00:00-03:00", "sun": "00:00-05:00"})
PREMIER = WindowRule.parse(NY, {"tue": "22:00-05:00", "wed": "22:00-05:00", "thu": "22:00-05:00"})
SOCIAL = PREMIER  # "Tuesday - Thursday 10:00 pm - 5:00 am (EST)": the same week
PUREENGAGE = WindowRule.parse(None, {"tue": "00:00-06:00", "thu": "00:00-06:00"})
SECOND = timedelta(seconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def check_window(rule: WindowRule, start: datetime, end: datetime, zone: str | None = None) -> None:
    """``[start, end)`` is one whole window: inside at both edges, outside just beyond."""
    expected = Window(start, end, zone or str(rule.zone))
    assert window_at(rule, start, zone) == expected
    assert window_at(rule, end - SECOND, zone) == expected
    assert window_at(rule, start - SECOND, zone) is None
    assert window_at(rule, end, zone) is None


# -- Premier Edition and Social Analytics: Tue, Wed, Thu 22:00 to 05:00 the next day ------


@pytest.mark.parametrize("rule", [PREMIER, SOCIAL], ids=["premier", "social-analytics"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        # Tue 3 Mar 22:00 EST to Wed 4 Mar 05:00 EST (UTC-5)
        (utc(2026, 3, 4, 3), utc(2026, 3, 4, 10)),
        # Wed 4 Mar 22:00 EST to Thu 5 Mar 05:00 EST
        (utc(2026, 3, 5, 3), utc(2026, 3, 5, 10)),
        # Thu 5 Mar 22:00 EST to Fri 6 Mar 05:00 EST
        (utc(2026, 3, 6, 3), utc(2026, 3, 6, 10)),
        # After the March change: Tue 10 Mar 22:00 EDT (UTC-4) to Wed 05:00 EDT
        (utc(2026, 3, 11, 2), utc(2026, 3, 11, 9)),
        # Before the November change: Tue 27 Oct 22:00 EDT to Wed 28 Oct 05:00 EDT
        (utc(2026, 10, 28, 2), utc(2026, 10, 28, 9)),
        # After it: Tue 3 Nov 22:00 EST to Wed 4 Nov 05:00 EST
        (utc(2026, 11, 4, 3), utc(2026, 11, 4, 10)),
    ],
)
def test_premier_and_social_windows(rule: WindowRule, start: datetime, end: datetime) -> None:
    check_window(rule, start, end)


@pytest.mark.parametrize("rule", [PREMIER, SOCIAL], ids=["premier", "social-analytics"])
@pytest.mark.parametrize(
    "instant",
    [
        utc(2026, 3, 3, 3),  # Mon 2 Mar 22:00 EST: no window starts on Monday
        utc(2026, 3, 7, 3),  # Fri 6 Mar 22:00 EST: nor on Friday
        utc(2026, 3, 4, 17),  # Wed 4 Mar 12:00 EST: between Tuesday's and Wednesday's
        utc(2026, 3, 3, 9),  # Tue 3 Mar 04:00 EST: Monday night has none to run into
        utc(2026, 3, 8, 7),  # Sun 8 Mar 03:00 EDT, the morning of the change
    ],
)
def test_premier_and_social_outside(rule: WindowRule, instant: datetime) -> None:
    assert window_at(rule, instant) is None


# -- Outbound Engagement: Tue and Thu 00:00-03:00, Sun 00:00-05:00 -------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (utc(2026, 3, 1, 5), utc(2026, 3, 1, 10)),  # Sun 1 Mar 00:00-05:00 EST
        (utc(2026, 3, 3, 5), utc(2026, 3, 3, 8)),  # Tue 3 Mar 00:00-03:00 EST
        (utc(2026, 3, 5, 5), utc(2026, 3, 5, 8)),  # Thu 5 Mar 00:00-03:00 EST
        # Sun 8 Mar 00:00 EST to 05:00 EDT: 02:00-03:00 does not exist, 4 real hours
        (utc(2026, 3, 8, 5), utc(2026, 3, 8, 9)),
        (utc(2026, 3, 10, 4), utc(2026, 3, 10, 7)),  # Tue 10 Mar 00:00-03:00 EDT
        # Sun 1 Nov 00:00 EDT to 05:00 EST: 01:00-02:00 happens twice, 6 real hours
        (utc(2026, 11, 1, 4), utc(2026, 11, 1, 10)),
        (utc(2026, 11, 3, 5), utc(2026, 11, 3, 8)),  # Tue 3 Nov 00:00-03:00 EST
    ],
)
def test_outbound_windows(start: datetime, end: datetime) -> None:
    check_window(OUTBOUND, start, end)


@pytest.mark.parametrize(
    "instant",
    [
        utc(2026, 3, 2, 5),  # Mon 2 Mar 00:00 EST
        utc(2026, 3, 4, 5),  # Wed 4 Mar 00:00 EST
        utc(2026, 3, 7, 5),  # Sat 7 Mar 00:00 EST
        utc(2026, 3, 3, 8, 30),  # Tue 3 Mar 03:30 EST: the Tuesday window is 3 hours, not 5
        utc(2026, 3, 3, 4, 59, 59),  # Mon 2 Mar 23:59:59 EST
    ],
)
def test_outbound_outside(instant: datetime) -> None:
    assert window_at(OUTBOUND, instant) is None


# -- PureEngage Cloud: Tue and Thu 00:00-06:00 in the customer's local time ----------------

TOKYO = "Asia/Tokyo"
LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        (TOKYO, utc(2026, 3, 9, 15), utc(2026, 3, 9, 21)),  # Tue 10 Mar 00:00-06:00 JST
        (TOKYO, utc(2026, 3, 11, 15), utc(2026, 3, 11, 21)),  # Thu 12 Mar 00:00-06:00 JST
        (TOKYO, utc(2026, 11, 2, 15), utc(2026, 11, 2, 21)),  # Tue 3 Nov: JST has no DST
        (LONDON, utc(2026, 3, 24), utc(2026, 3, 24, 6)),  # Tue 24 Mar 00:00-06:00 GMT
        (LONDON, utc(2026, 3, 30, 23), utc(2026, 3, 31, 5)),  # Tue 31 Mar 00:00-06:00 BST
        (LONDON, utc(2026, 10, 21, 23), utc(2026, 10, 22, 5)),  # Thu 22 Oct, BST
        (LONDON, utc(2026, 10, 27), utc(2026, 10, 27, 6)),  # Tue 27 Oct, GMT again
    ],
)
def test_pureengage_local_time(zone: str, start: datetime, end: datetime) -> None:
    check_window(PUREENGAGE, start, end, zone)


def test_pureengage_same_instant_differs_by_customer() -> None:
    # 2026-03-09 16:00Z is Tue 01:00 in Tokyo (inside) and Mon 16:00 in London (outside).
    instant = utc(2026, 3, 9, 16)
    assert window_at(PUREENGAGE, instant, TOKYO) is not None
    assert window_at(PUREENGAGE, instant, LONDON) is None


def test_local_time_rule_needs_the_customers_zone() -> None:
    with pytest.raises(ValueError, match="customer's local time; give the customer's time zone"):
        window_at(PUREENGAGE, utc(2026, 3, 10))
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        window_at(PUREENGAGE, utc(2026, 3, 10), "Mars/Olympus")


def test_a_named_zone_rule_ignores_the_customers_zone() -> None:
    # Tue 3 Mar 22:30 EST, whoever asks.
    assert window_at(PREMIER, utc(2026, 3, 4, 3, 30), TOKYO) == Window(
        utc(2026, 3, 4, 3), utc(2026, 3, 4, 10), NY
    )


# -- periods ------------------------------------------------------------------------------


def test_windows_between_lists_whole_windows_overlapping_the_period() -> None:
    # From Wed 4 Mar 04:00 EST (inside Tuesday's window) to Thu 5 Mar 23:00 EST (inside
    # Thursday's): both are listed whole, with Wednesday's between.
    found = windows_between(PREMIER, utc(2026, 3, 4, 9), utc(2026, 3, 6, 4))
    assert [(w.start, w.end) for w in found] == [
        (utc(2026, 3, 4, 3), utc(2026, 3, 4, 10)),
        (utc(2026, 3, 5, 3), utc(2026, 3, 5, 10)),
        (utc(2026, 3, 6, 3), utc(2026, 3, 6, 10)),
    ]
    assert found[0].local_start().isoformat() == "2026-03-03T22:00:00-05:00"
    assert found[0].local_end(TOKYO).isoformat() == "2026-03-04T19:00:00+09:00"


def test_windows_between_a_month_across_the_march_change() -> None:
    found = windows_between(OUTBOUND, utc(2026, 3, 1, 5), utc(2026, 4, 1, 4))
    # March 2026: 5 Sundays, 5 Tuesdays, 4 Thursdays, each at local midnight.
    assert len(found) == 14
    assert {w.local_start().strftime("%a %H:%M") for w in found} == {
        "Sun 00:00",
        "Tue 00:00",
        "Thu 00:00",
    }


def test_a_period_ending_where_a_window_starts_does_not_include_it() -> None:
    assert windows_between(OUTBOUND, utc(2026, 3, 3, 4), utc(2026, 3, 3, 5)) == []


def test_refusals_name_the_value() -> None:
    with pytest.raises(ValueError, match="is before the start"):
        windows_between(OUTBOUND, utc(2026, 3, 2), utc(2026, 3, 1))
    with pytest.raises(ValueError, match="has no time zone"):
        window_at(OUTBOUND, datetime(2026, 3, 3, 1))  # noqa: DTZ001 (the refusal under test)
    with pytest.raises(ValueError, match="malformed working interval '25:00-03:00'"):
        WindowRule.parse(NY, {"tue": "25:00-03:00"})
    with pytest.raises(ValueError, match="needs at least one window"):
        WindowRule.parse(NY, {})
    with pytest.raises(ValueError, match="unknown time zone 'EST5'"):
        WindowRule.parse("EST5", {"tue": "00:00-03:00"})


def test_next_window() -> None:
    # Wed 4 Mar 12:00 EST: Thursday 00:00 EST is next.
    assert next_window(OUTBOUND, utc(2026, 3, 4, 17)) == Window(
        utc(2026, 3, 5, 5), utc(2026, 3, 5, 8), NY
    )


def test_describe() -> None:
    assert OUTBOUND.describe() == (
        "Tue 00:00-03:00; Thu 00:00-03:00; Sun 00:00-05:00 America/New_York"
    )
    assert PUREENGAGE.describe() == ("Tue 00:00-06:00; Thu 00:00-06:00 customer local time")
    assert PREMIER.hours == {
        "tue": ["22:00-05:00"],
        "wed": ["22:00-05:00"],
        "thu": ["22:00-05:00"],
    }


def test_a_window_ending_inside_the_repeated_hour_reads_as_two_periods() -> None:
    # Sun 1 Nov 2026 00:00-01:30 New York: 00:00-01:30 EDT, then 01:00-01:30 again in EST
    # (both occurrences of 01:15 are inside, as in a business calendar).
    rule = WindowRule.parse(NY, {"sun": "00:00-01:30"})
    found = windows_between(rule, utc(2026, 11, 1), utc(2026, 11, 2))
    assert [(w.start, w.end) for w in found] == [
        (utc(2026, 11, 1, 4), utc(2026, 11, 1, 5, 30)),
        (utc(2026, 11, 1, 6), utc(2026, 11, 1, 6, 30)),
    ]
    assert window_at(rule, utc(2026, 11, 1, 5, 45)) is None  # 01:45 EDT


def test_a_moved_occurrence_leaves_its_slot_and_appears_at_its_new_time() -> None:
    march = windows_between(PREMIER, utc(2026, 3, 4), utc(2026, 3, 7))
    tuesday = march[0]  # Tue 3 Mar 22:00 EST
    # Moved to Sat 7 Mar 22:00-05:00 EST, outside the period asked: it leaves, nothing joins.
    saturday = Window(utc(2026, 3, 8, 3), utc(2026, 3, 8, 10), NY)
    found = with_moves(march, {tuesday.start: saturday}, utc(2026, 3, 4), utc(2026, 3, 7))
    assert found == march[1:]
    # Asked over the weekend too: it is there, in order.
    wider = windows_between(PREMIER, utc(2026, 3, 4), utc(2026, 3, 9))
    found = with_moves(wider, {tuesday.start: saturday}, utc(2026, 3, 4), utc(2026, 3, 9))
    assert found == [*march[1:], saturday]
