"""A clock's explanation as a bar per local day (hand-worked from the steps)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, MetricClock, compute_clocks
from caredesk.core.policy import Metric
from caredesk.core.timeline import DayBar, day_bars

NY = ZoneInfo("America/New_York")
RESELLER = policies.load("genesys-care-cloud-reseller")


def clocks(now: datetime, *extra: ClockEvent) -> dict[Metric, MetricClock]:
    # Severity 2 opened Monday 2026-11-23 08:00 New York; waiting on the customer Monday
    # 10:00 to Tuesday 10:00. Business hours Mon-Fri 08:00-17:00, US holidays.
    events = [
        ClockEvent.opened(datetime(2026, 11, 23, 8, tzinfo=NY), 2),
        ClockEvent.status_changed(datetime(2026, 11, 23, 10, tzinfo=NY), "waiting-on-customer"),
        ClockEvent.status_changed(datetime(2026, 11, 24, 10, tzinfo=NY), "open"),
        *extra,
    ]
    return compute_clocks(
        events,
        policy=RESELLER,
        plan="care-for-cloud",
        case_type="incident",
        calendar=RESELLER.calendar("America/New_York", country="US"),
        now=now,
        explain=True,
    )


def drawn(bar: DayBar) -> list[tuple[str, float, float]]:
    return [(p.kind, round(p.start * 24, 2), round(p.end * 24, 2)) for p in bar.pieces]


def test_a_running_clock_shows_counted_paused_skipped_and_the_rest_of_its_target() -> None:
    # Wednesday 12:00: the restoration target (4 BD = 36 h) has counted 2 + 7 + 4 hours.
    now = datetime(2026, 11, 25, 12, tzinfo=NY)
    bars = day_bars(clocks(now)[Metric.RESTORATION].steps, NY, now)
    by_day = {bar.day: bar for bar in bars}
    assert [bar.day.day for bar in bars] == [23, 24, 25, 26, 27, 28, 29, 30]
    # Monday: counted 08:00-10:00, then paused until midnight (hours of the day).
    assert drawn(by_day[date(2026, 11, 23)]) == [("paused", 10, 24), ("counted", 8, 10)]
    assert [(m.kind, m.at * 24) for m in by_day[date(2026, 11, 23)].marks] == [("start", 8)]
    assert drawn(by_day[date(2026, 11, 24)]) == [("paused", 0, 10), ("counted", 10, 17)]
    # Wednesday: counted until now (12:00), the rest of the day's hours still ahead.
    assert drawn(by_day[date(2026, 11, 25)]) == [("counted", 8, 12), ("ahead", 12, 17)]
    assert [(m.kind, m.at * 24) for m in by_day[date(2026, 11, 25)].marks] == [("now", 12)]
    assert drawn(by_day[date(2026, 11, 26)]) == [("holiday", 0, 24)]  # Thanksgiving
    assert drawn(by_day[date(2026, 11, 28)]) == [("not-working", 0, 24)]
    # Due Monday 30th 17:00, when the 36th hour has counted.
    assert [(m.kind, m.at * 24) for m in by_day[date(2026, 11, 30)].marks] == [("due", 17)]


def test_a_long_quiet_run_is_left_out_and_counted() -> None:
    # The response target (6 BH) was due Monday 14:00 and never met; read on Thursday
    # 2026-12-10 12:00, the sixteen quiet days Tuesday 24th to Wednesday 9th are one gap.
    now = datetime(2026, 12, 10, 12, tzinfo=NY)
    bars = day_bars(clocks(now)[Metric.RESPONSE].steps, NY, now)
    assert [(bar.day, bar.skipped_before) for bar in bars] == [
        (date(2026, 11, 23), 0),
        (date(2026, 12, 10), 16),
    ]
    monday = bars[0]
    # The response clock does not pause while the case waits on the customer.
    assert drawn(monday) == [("counted", 8, 14)]
    assert [(m.kind, m.at * 24) for m in monday.marks] == [("start", 8), ("due", 14)]


def test_a_stopped_clock_marks_the_stop_and_not_now() -> None:
    # Care responds Monday 09:30: met; the rest of the 6 hours is not counted.
    responded = ClockEvent.responded(datetime(2026, 11, 23, 9, 30, tzinfo=NY))
    now = datetime(2026, 11, 25, 12, tzinfo=NY)
    steps = clocks(now, responded)[Metric.RESPONSE].steps
    (monday,) = day_bars(steps, NY, now)
    assert drawn(monday) == [("counted", 8, 9.5), ("ahead", 9.5, 14)]
    assert [(m.kind, m.at * 24) for m in monday.marks] == [
        ("start", 8),
        ("due", 14),
        ("stop", 9.5),
    ]
