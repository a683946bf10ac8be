"""A rules change on a running clock (SPEC 3 decision): time already used stays used, the
remaining time counts on the new hours; completed clocks never change.

Every instant is hand-worked, local time noted. Before the change the customer's calendar
is Monday-Friday 08:00-17:00 America/New_York with US holidays (Thanksgiving is Thursday
2026-11-26); after it, the same hours in Europe/London with GB holidays. In late November
New York is UTC-5 and London UTC+0: Monday 10:00 New York is Monday 15:00 London.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core import policy as policies
from caredesk.core.clocks import (
    ClockEvent,
    ClockState,
    MetricClock,
    Rules,
    compute_clocks,
)
from caredesk.core.policy import Metric

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
RESELLER = policies.load("genesys-care-cloud-reseller")
NEW_YORK_HOURS = RESELLER.calendar("America/New_York", country="US")
LONDON_HOURS = RESELLER.calendar("Europe/London", country="GB")
TO_LONDON = Rules(RESELLER, "care-for-cloud", LONDON_HOURS)


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=NY)


def london(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def clocks(events: list[ClockEvent], now: datetime, **kwargs: object) -> dict[Metric, MetricClock]:
    return compute_clocks(
        events,
        policy=RESELLER,
        plan="care-for-cloud",
        case_type="incident",
        calendar=NEW_YORK_HOURS,
        now=now,
        **kwargs,  # type: ignore[arg-type]
    )


def in_london(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(LONDON).strftime("%a %d %H:%M")


def in_ny(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(NY).strftime("%a %d %H:%M")


def test_used_time_stays_used_and_the_rest_counts_on_the_new_hours() -> None:
    # Severity 2, response 6 BH. Opened Monday 08:00 New York; at 10:00 New York (2 BH used)
    # the calendar moves to London, where it is 15:00: 4 BH remain on London hours.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), TO_LONDON),
    ]
    unchanged = clocks(events[:1], now=ny(23, 10))[Metric.RESPONSE]
    assert in_ny(unchanged.due) == "Mon 23 14:00"
    response = clocks(events, now=london(24, 9))[Metric.RESPONSE]
    # Monday 15:00-17:00 London (2 BH), then Tuesday 08:00-10:00 London (2 BH).
    assert in_london(response.due) == "Tue 24 10:00"
    # Used at Tuesday 09:00 London: 2 (New York) + 2 (Monday London) + 1 (Tuesday).
    assert response.elapsed == timedelta(hours=5)
    assert response.remaining == timedelta(hours=1)
    assert response.state is ClockState.RUNNING
    assert response.start == ny(23, 8)  # the clock still started at the opening
    warnings = dict(response.warnings)
    assert in_london(warnings[50]) == "Mon 23 16:00"  # 3 BH: 2 + 1 on London hours
    assert in_london(warnings[75]) == "Tue 24 08:30"  # 4.5 BH


def test_a_warning_already_passed_keeps_its_instant_on_the_old_hours() -> None:
    # At 12:00 New York 4 BH are used: the 50 % warning (3 BH) was Monday 11:00 New York.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 12), TO_LONDON),
    ]
    response = clocks(events, now=ny(23, 12))[Metric.RESPONSE]
    assert in_ny(dict(response.warnings)[50]) == "Mon 23 11:00"
    # 2 BH remain from Monday 17:00 London (12:00 New York): London is closed, so
    # Tuesday 08:00-10:00 London.
    assert in_london(response.due) == "Tue 24 10:00"


def test_a_clock_breached_before_the_change_stays_breached_at_its_old_due() -> None:
    # At 16:00 New York 8 BH are used of 6: it was due 14:00 New York.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 16), TO_LONDON),
    ]
    response = clocks(events, now=london(24, 9))[Metric.RESPONSE]
    assert in_ny(response.due) == "Mon 23 14:00"
    assert response.state is ClockState.BREACHED


def test_a_completed_clock_never_changes() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.responded(ny(23, 9)),
        ClockEvent.rules_changed(ny(23, 10), TO_LONDON),
    ]
    response = clocks(events, now=london(24, 9))[Metric.RESPONSE]
    before = clocks(events[:2], now=london(24, 9))[Metric.RESPONSE]
    assert response == before
    assert in_ny(response.due) == "Mon 23 14:00"
    assert response.state is ClockState.MET


def test_a_new_plan_brings_its_targets_less_the_time_used() -> None:
    # Care for Cloud -> Business Care at Monday 09:00 New York (1 BH used), same calendar.
    # Business Care severity 2: response 2 BH, restoration 2 BD (18 BH).
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 9), Rules(RESELLER, "business-care", NEW_YORK_HOURS)),
    ]
    result = clocks(events, now=ny(23, 9))
    assert in_ny(result[Metric.RESPONSE].due) == "Mon 23 10:00"  # 1 BH remains
    assert str(result[Metric.RESPONSE].target) == "2 BH"
    # 17 BH remain: Monday 09:00-17:00 (8), Tuesday 08:00-17:00 (9).
    assert in_ny(result[Metric.RESTORATION].due) == "Tue 24 17:00"


def test_a_pause_across_the_change_resumes_on_the_new_hours() -> None:
    # Restoration 4 BD = 36 BH. 2 BH used (Monday 08:00-10:00 New York), then waiting on
    # the customer; the calendar moves to London while paused; the customer answers
    # Tuesday 10:00 London. 34 BH remain: Tue 7, Wed 9, Thu 9 (no holiday in England),
    # Fri 9 -> Friday 17:00 London.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.rules_changed(ny(23, 12), TO_LONDON),
    ]
    paused = clocks(events, now=london(24, 9))[Metric.RESTORATION]
    assert paused.state is ClockState.PAUSED
    assert paused.due is None
    assert paused.elapsed == timedelta(hours=2)
    resumed = clocks(
        [*events, ClockEvent.status_changed(london(24, 10), "open")], now=london(24, 10)
    )[Metric.RESTORATION]
    assert in_london(resumed.due) == "Fri 27 17:00"
    assert resumed.pauses == ((ny(23, 10), ny(23, 12)), (ny(23, 12), london(24, 10)))


def test_a_clock_stopped_by_a_proposal_resumes_under_the_new_rules_when_reopened() -> None:
    # Resolution proposed Monday 12:00 New York (restoration: 4 BH used), calendar moved to
    # London at 13:00 New York, reopened Tuesday 09:00 London: 32 BH remain of 36 on London
    # hours: Tue 8, Wed 9, Thu 9, Fri 6 -> Friday 14:00 London.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 9), "open"),
        ClockEvent.resolution_proposed(ny(23, 12)),
        ClockEvent.rules_changed(ny(23, 13), TO_LONDON),
    ]
    stopped = clocks(events, now=london(24, 8))[Metric.RESTORATION]
    assert stopped.state is ClockState.MET
    assert stopped.stop == ny(23, 12)
    reopened = clocks([*events, ClockEvent.reopened(london(24, 9))], now=london(24, 9))
    restoration = reopened[Metric.RESTORATION]
    assert restoration.state is ClockState.RUNNING
    assert in_london(restoration.due) == "Fri 27 14:00"
    assert restoration.elapsed == timedelta(hours=4)


def test_the_explanation_counts_each_span_on_its_own_hours() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), TO_LONDON),
    ]
    steps = clocks(events, now=london(23, 15))[Metric.RESPONSE].steps
    texts = [s.text for s in steps]
    counts = [s for s in steps if s.kind == "count"]
    assert sum((s.counted for s in counts), timedelta(0)) == timedelta(hours=6)
    assert counts[0].text == "Counted Mon 2026-11-23 08:00-10:00 EST: 2:00 (total 2:00)."
    assert counts[1].text == "Counted Mon 2026-11-23 15:00-17:00 GMT: 2:00 (total 4:00)."
    assert counts[2].text == "Counted Tue 2026-11-24 08:00-10:00 GMT: 2:00 (total 6:00)."
    (change,) = [s for s in steps if s.kind == "rules"]
    assert change.text.startswith("From Mon 2026-11-23 15:00 GMT the rules are policy ")
    assert change.text.endswith("the 2:00 already counted stays used.")
    assert texts.index(change.text) == texts.index(counts[0].text) + 1
    assert (
        texts[-1]
        == "Due Tue 2026-11-24 10:00 GMT (2026-11-24 10:00 UTC): 6:00 counted = the target 6:00."
    )


# -- property: re-applying the same rules moves nothing -------------------------------------

STATUSES = ["open", "waiting-on-customer", "resolution-proposed", "restored", "closed"]
START = ny(23, 8)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[ClockEvent], int]:
    """A random history (events at random minutes over two weeks) and where in it a
    change to the very same rules is inserted."""
    events = [ClockEvent.opened(START, draw(st.integers(1, 4)))]
    minutes = sorted(draw(st.lists(st.integers(1, 14 * 24 * 60), max_size=8)))
    for minute in minutes:
        at = START + timedelta(minutes=minute)
        kind = draw(st.sampled_from(["status", "status", "responded", "severity"]))
        if kind == "status":
            events.append(ClockEvent.status_changed(at, draw(st.sampled_from(STATUSES))))
        elif kind == "responded":
            events.append(ClockEvent.responded(at))
        else:
            events.append(ClockEvent.severity_changed(at, draw(st.integers(2, 4))))
    return events, draw(st.integers(1, 14 * 24 * 60))


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(histories())
def test_a_change_to_the_same_rules_moves_no_deadline(case: tuple[list[ClockEvent], int]) -> None:
    events, minute = case
    change = ClockEvent.rules_changed(
        START + timedelta(minutes=minute), Rules(RESELLER, "care-for-cloud", NEW_YORK_HOURS)
    )
    now = START + timedelta(days=15)
    plain = clocks(events, now=now, explain=False)
    changed = clocks([*events, change], now=now, explain=False)
    for metric in Metric:
        a, b = plain[metric], changed[metric]
        assert (a.due, a.elapsed, a.state, a.warnings, a.stop) == (
            b.due,
            b.elapsed,
            b.state,
            b.warnings,
            b.stop,
        ), metric


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(histories(), st.sampled_from([LONDON_HOURS, NEW_YORK_HOURS]), st.booleans())
def test_at_the_due_instant_the_whole_target_is_used(
    case: tuple[list[ClockEvent], int], hours: object, business_care: bool
) -> None:
    # ``due`` comes from walking forward (``add``), ``elapsed`` from measuring (``between``)
    # across the spans: at the due instant they must agree to the microsecond.
    events, minute = case
    plan = "business-care" if business_care else "care-for-cloud"
    at = START + timedelta(minutes=minute)
    history = [*events, ClockEvent.rules_changed(at, Rules(RESELLER, plan, hours))]  # type: ignore[arg-type]
    last = max(e.at for e in history)
    for metric, clock in clocks(history, now=last, explain=False).items():
        if clock.due is None or clock.stop is not None or clock.due < last:
            continue
        again = clocks(history, now=clock.due, explain=False)[metric]
        assert again.remaining == timedelta(0), (metric, clock.due)
