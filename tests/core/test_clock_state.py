"""What state a clock is in: past its due instant unmet is breached, whatever the calendar
says of the time since; and Care's answer meets response. Every instant is hand-worked,
local time noted.

Customer calendar: Monday-Friday 08:00-17:00 America/New_York with US public holidays
(Christmas Day is Friday 2026-12-25, Thanksgiving Thursday 2026-11-26); policy: the
reseller guide, Care for Cloud (Severity 2: response 6 BH, restoration 4 BD).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caredesk.core.clocks import ClockEvent, ClockState
from caredesk.core.display import DisplayState, display_state
from caredesk.core.policy import Metric
from tests.core.test_clocks import clocks, local

NY = ZoneInfo("America/New_York")


def ny(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=NY)


# -- past due is breached ---------------------------------------------------------------------

# Severity 2 opened Thursday 2026-12-24 11:00: response 6 BH, due Thursday 17:00 (closing
# time). Friday is Christmas Day and then comes the weekend: no business time passes until
# Monday 2026-12-28 08:00.
CHRISTMAS_EVE = [ClockEvent.opened(ny(12, 24, 11), 2)]


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (ny(12, 24, 17), ClockState.RUNNING),  # Thu 17:00: due this instant, not late
        (ny(12, 24, 17, 0, 1), ClockState.BREACHED),  # Thu 17:00:01
        (ny(12, 25, 12), ClockState.BREACHED),  # Christmas Day noon
        (ny(12, 26, 10), ClockState.BREACHED),  # Saturday 10:00
        (ny(12, 28, 8), ClockState.BREACHED),  # Monday 08:00, before any business time
        (ny(12, 28, 8, 0, 1), ClockState.BREACHED),
    ],
)
def test_a_deadline_at_closing_time_is_breached_from_the_instant_after(
    now: datetime, state: ClockState
) -> None:
    response = clocks(CHRISTMAS_EVE, now)[Metric.RESPONSE]
    assert local(response.due) == "Thu 2026-12-24 17:00"
    assert response.state is state


def test_a_pause_that_begins_after_the_due_instant_does_not_unbreach_it() -> None:
    # Opened Monday 2026-12-21 08:00: restoration 4 BD = 36 BH, Monday to Thursday, due
    # Thursday 17:00. Care waits on the customer from Saturday 09:00; read Saturday 10:00.
    events = [
        ClockEvent.opened(ny(12, 21, 8), 2),
        ClockEvent.status_changed(ny(12, 26, 9), "waiting-on-customer"),
    ]
    result = clocks(events, ny(12, 26, 10))
    restoration = result[Metric.RESTORATION]
    assert local(restoration.due) == "Thu 2026-12-24 17:00"
    assert restoration.state is ClockState.BREACHED
    assert restoration.pauses == ((ny(12, 26, 9), None),)
    assert restoration.steps[-1].text == (
        "Due Thu 2026-12-24 17:00 EST (2026-12-24 22:00 UTC): 36:00 counted = the target 36:00."
    )
    # Resolution (15 BD) is not due yet: paused, with no due instant while it is.
    assert (result[Metric.RESOLUTION].state, result[Metric.RESOLUTION].due) == (
        ClockState.PAUSED,
        None,
    )
    # Still breached when the customer answers on Monday and the clock counts again.
    answered = [*events, ClockEvent.status_changed(ny(12, 28, 9), "open")]
    assert clocks(answered, ny(12, 28, 10))[Metric.RESTORATION].state is ClockState.BREACHED


# -- Care's answer meets response ---------------------------------------------------------------

# Severity 2 opened Monday 2026-11-23 10:00: response 6 BH, due Monday 16:00.
OPENED = ClockEvent.opened(ny(11, 23, 10), 2)


@pytest.mark.parametrize("status", ["restored", "resolution-proposed", "closed"])
def test_a_move_that_gives_the_customer_an_answer_meets_response(status: str) -> None:
    # Care moves the case at 12:00 without a word first; read on Tuesday, long past 16:00.
    events = [OPENED, ClockEvent.status_changed(ny(11, 23, 12), status)]
    response = clocks(events, ny(11, 24, 12))[Metric.RESPONSE]
    assert (response.state, response.stop) == (ClockState.MET, ny(11, 23, 12))
    assert response.steps[-1].text == "Stopped Mon 2026-11-23 12:00 EST: met."


@pytest.mark.parametrize("status", ["open", "waiting-on-customer"])
def test_a_bare_move_to_open_or_waiting_does_not_meet_response(status: str) -> None:
    events = [OPENED, ClockEvent.status_changed(ny(11, 23, 12), status)]
    response = clocks(events, ny(11, 24, 12))[Metric.RESPONSE]
    assert (response.state, response.stop) == (ClockState.BREACHED, None)


def test_a_response_already_given_keeps_its_instant_and_never_resumes() -> None:
    events = [
        OPENED,
        ClockEvent.responded(ny(11, 23, 11)),
        ClockEvent.resolution_proposed(ny(11, 23, 12)),
        ClockEvent.reopened(ny(11, 24, 9)),
    ]
    response = clocks(events, ny(11, 25, 12))[Metric.RESPONSE]
    assert (response.state, response.stop) == (ClockState.MET, ny(11, 23, 11))


def test_an_answer_after_the_due_instant_stays_a_breach() -> None:
    # Proposed Tuesday 09:00, after Monday 16:00: the response was late.
    events = [OPENED, ClockEvent.resolution_proposed(ny(11, 24, 9))]
    response = clocks(events, ny(11, 24, 12))[Metric.RESPONSE]
    assert (response.state, response.stop) == (ClockState.BREACHED, ny(11, 24, 9))


# -- property: replay and display agree on one definition ------------------------------------

START = ny(11, 23, 8)
STATUSES = ["open", "waiting-on-customer", "restored", "resolution-proposed", "closed"]
AS_SEEN = {
    DisplayState.ON_TRACK: ClockState.RUNNING,
    DisplayState.AT_RISK: ClockState.RUNNING,
    DisplayState.PAUSED: ClockState.PAUSED,
    DisplayState.BREACHED: ClockState.BREACHED,
    DisplayState.MET: ClockState.MET,
    DisplayState.NOT_APPLICABLE: ClockState.NOT_APPLICABLE,
}


@st.composite
def histories(draw: st.DrawFn) -> list[ClockEvent]:
    """A random history: events at random minutes over three weeks from Monday 08:00."""
    events = [ClockEvent.opened(START, draw(st.integers(1, 4)))]
    minutes = sorted(draw(st.lists(st.integers(1, 21 * 24 * 60), max_size=6)))
    for minute in minutes:
        at = START + timedelta(minutes=minute)
        kind = draw(st.sampled_from(["status", "status", "responded", "severity"]))
        if kind == "status":
            events.append(ClockEvent.status_changed(at, draw(st.sampled_from(STATUSES))))
        elif kind == "responded":
            events.append(ClockEvent.responded(at))
        else:
            events.append(ClockEvent.severity_changed(at, draw(st.integers(2, 4))))
    return events


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(histories(), st.integers(0, 30 * 24 * 60), st.integers(0, 10 * 24 * 60))
def test_a_clock_past_due_unmet_is_breached_and_stays_breached(
    events: list[ClockEvent], minute: int, later: int
) -> None:
    now = START + timedelta(minutes=minute)
    then = now + timedelta(minutes=later)
    for metric, clock in clocks(events, now).items():
        paused_since = clock.pauses[-1][0] if clock.pauses and clock.pauses[-1][1] is None else None
        shown = display_state(
            str(clock.target or ""), clock.due, None, clock.stop, paused_since, now
        )
        assert clock.state is AS_SEEN[shown], (metric, now)
        past_due = clock.due is not None and now > clock.due
        if clock.stop is None and past_due:
            assert clock.state is ClockState.BREACHED, (metric, now)
        if clock.state is ClockState.BREACHED and not any(now < e.at <= then for e in events):
            # Time alone never undoes a breach: read later, with no event between, it holds.
            assert clocks(events, then)[metric].state is ClockState.BREACHED, (metric, then)
