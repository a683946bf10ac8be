"""SLA clocks replayed from case histories; every instant is hand-worked, local time noted.

Customer calendar throughout: Monday-Friday 08:00-17:00 America/New_York with US public
holidays (Thanksgiving is Thursday 2026-11-26).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, ClockState, MetricClock, compute_clocks
from caredesk.core.policy import Basis, Metric

NY = ZoneInfo("America/New_York")
RESELLER = policies.load("genesys-care-cloud-reseller")
CARE = policies.load("purecloud-customer-care")
CALENDAR = RESELLER.calendar("America/New_York", country="US")


def ny(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def clocks(
    events: list[ClockEvent],
    now: datetime,
    *,
    policy: policies.Policy = RESELLER,
    plan: str = "care-for-cloud",
    case_type: str = "incident",
) -> dict[Metric, MetricClock]:
    return compute_clocks(
        events, policy=policy, plan=plan, case_type=case_type, calendar=CALENDAR, now=now
    )


def local(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(NY).strftime("%a %Y-%m-%d %H:%M")


def test_fresh_case_runs_every_clock_from_the_opening() -> None:
    # Care for Cloud, Severity 2, opened Friday 16:30.
    result = clocks([ClockEvent.opened(ny(20, 16, 30), 2)], now=ny(20, 16, 30))
    assert local(result[Metric.RESPONSE].due) == "Mon 2026-11-23 13:30"  # 6 BH
    assert local(result[Metric.RESTORATION].due) == "Fri 2026-11-27 16:30"  # 4 BD
    assert local(result[Metric.RESOLUTION].due) == "Mon 2026-12-14 16:30"  # 15 BD
    assert all(c.state is ClockState.RUNNING for c in result.values())
    assert result[Metric.RESPONSE].remaining == timedelta(hours=6)


def test_waiting_on_customer_pauses_restoration_and_resolution_but_not_response() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 2),  # Monday 08:00
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),  # Monday 10:00
        ClockEvent.status_changed(ny(24, 10), "open"),  # Tuesday 10:00 (9 BH paused)
    ]
    result = clocks(events, now=ny(24, 12))
    assert local(result[Metric.RESPONSE].due) == "Mon 2026-11-23 14:00"  # 6 BH, no pause
    assert result[Metric.RESPONSE].state is ClockState.BREACHED
    # 4 BD = 36 BH: 2 before the pause, 34 after Tuesday 10:00 -> Tue 7, Wed 9, Fri 9
    # (Thanksgiving skipped) = 25, then 9 more on Monday 30 -> 17:00 (closing instant).
    restoration = result[Metric.RESTORATION]
    assert local(restoration.due) == "Mon 2026-11-30 17:00"
    assert restoration.elapsed == timedelta(hours=4)  # Mon 08-10 and Tue 10-12
    assert restoration.pauses == ((ny(23, 10), ny(24, 10)),)
    assert restoration.state is ClockState.RUNNING


def test_while_paused_there_is_no_due_and_remaining_is_frozen() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 3),
        ClockEvent.status_changed(ny(23, 11), "waiting-on-customer"),
    ]
    for now in (ny(23, 12), ny(25, 16)):
        restoration = clocks(events, now=now)[Metric.RESTORATION]
        assert restoration.state is ClockState.PAUSED
        assert restoration.due is None
        assert restoration.remaining == timedelta(hours=90 - 3)  # 10 BD minus 3 BH
        assert restoration.warnings[0] == (50, None)


def test_response_met_and_breached() -> None:
    opened = ClockEvent.opened(ny(20, 16, 30), 2)
    met = clocks([opened, ClockEvent.responded(ny(23, 13, 30))], now=ny(24, 9))
    assert met[Metric.RESPONSE].state is ClockState.MET  # exactly at the due instant
    late = clocks([opened, ClockEvent.responded(ny(23, 13, 31))], now=ny(24, 9))
    assert late[Metric.RESPONSE].state is ClockState.BREACHED
    assert late[Metric.RESPONSE].stop == ny(23, 13, 31)


def test_breach_happens_just_after_the_due_instant() -> None:
    opened = [ClockEvent.opened(ny(20, 16, 30), 2)]
    assert clocks(opened, now=ny(23, 13, 30))[Metric.RESPONSE].state is ClockState.RUNNING
    after = clocks(opened, now=ny(23, 13, 31))[Metric.RESPONSE]
    assert after.state is ClockState.BREACHED
    assert after.remaining == timedelta(minutes=-1)


def test_warning_instants_at_50_75_90_percent() -> None:
    response = clocks([ClockEvent.opened(ny(23, 8), 2)], now=ny(23, 8))[Metric.RESPONSE]
    # 6 BH from Monday 08:00: 3 h, 4 h 30 min, 5 h 24 min.
    assert [(level, local(at)) for level, at in response.warnings] == [
        (50, "Mon 2026-11-23 11:00"),
        (75, "Mon 2026-11-23 12:30"),
        (90, "Mon 2026-11-23 13:24"),
    ]


def test_one_metric_and_one_warning_level_on_request() -> None:
    # What a timer asks for: only the response clock and its 75 % warning.
    opened = [ClockEvent.opened(ny(23, 8), 2)]
    only = compute_clocks(
        opened,
        policy=RESELLER,
        plan="care-for-cloud",
        case_type="incident",
        calendar=CALENDAR,
        now=ny(23, 8),
        warning_levels=(75,),
        metrics=(Metric.RESPONSE,),
    )
    assert list(only) == [Metric.RESPONSE]
    response = only[Metric.RESPONSE]
    assert [(level, local(at)) for level, at in response.warnings] == [(75, "Mon 2026-11-23 12:30")]
    full = clocks(opened, now=ny(23, 8))[Metric.RESPONSE]
    assert (response.due, response.state) == (full.due, full.state)  # Mon 14:00
    assert local(response.due) == "Mon 2026-11-23 14:00"


def test_resolution_proposed_stops_clocks_and_reopen_resumes_them() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 3),  # Care for Cloud S3: resolution 30 BD
        ClockEvent.responded(ny(23, 9)),
        ClockEvent.resolution_proposed(ny(24, 8)),  # 9 BH counted
        ClockEvent.reopened(ny(25, 8)),  # the proposal stood a business day
    ]
    stopped = clocks(events[:3], now=ny(24, 12))
    assert stopped[Metric.RESOLUTION].state is ClockState.MET
    assert stopped[Metric.RESTORATION].stop == ny(24, 8)
    resumed = clocks(events, now=ny(25, 12))
    resolution = resumed[Metric.RESOLUTION]
    assert resolution.state is ClockState.RUNNING
    assert resolution.stop is None
    assert resolution.elapsed == timedelta(hours=9 + 4)  # Monday, then Wednesday 08-12
    # 30 BD from Monday 08:00 are the 30 business days Mon 23 Nov .. Wed 6 Jan (see
    # tests/seed_targets.py); Tuesday 24, while the proposal stood, does not count, so
    # the due moves one business day later.
    assert local(resolution.due) == "Thu 2027-01-07 17:00"
    assert resumed[Metric.RESPONSE].state is ClockState.MET  # response never resumes


def test_restored_stops_only_restoration() -> None:
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.restored(ny(23, 15))]
    result = clocks(events, now=ny(24, 8))
    assert result[Metric.RESTORATION].state is ClockState.MET
    assert result[Metric.RESOLUTION].state is ClockState.RUNNING


def test_closed_while_waiting_closes_the_open_pause() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 3),
        ClockEvent.status_changed(ny(23, 9), "waiting-on-customer"),
        ClockEvent.closed(ny(27, 17)),
    ]
    restoration = clocks(events, now=ny(30, 9))[Metric.RESTORATION]
    assert restoration.state is ClockState.MET
    assert restoration.pauses == ((ny(23, 9), ny(27, 17)),)
    assert restoration.elapsed == timedelta(hours=1)


def test_phone_raise_to_critical_counts_from_the_call() -> None:
    # Reseller rule: submitted in My Support as High on Friday 10:00, raised to Critical
    # by a phone call at 11:00.
    events = [
        ClockEvent.opened(ny(20, 10), 2),
        ClockEvent.severity_changed(ny(20, 11), 1, phone_raise=True),
    ]
    result = clocks(events, now=ny(20, 11))
    assert local(result[Metric.RESPONSE].due) == "Fri 2026-11-20 15:00"  # 4 h from the call
    assert local(result[Metric.RESTORATION].due) == "Fri 2026-11-20 17:00"  # 6 h
    # 15 BD from Friday 11:00 -> 11:00 on the 15th business day after: Monday 14 December.
    assert local(result[Metric.RESOLUTION].due) == "Mon 2026-12-14 11:00"
    retarget = [s for s in result[Metric.RESPONSE].steps if s.kind == "retarget"]
    assert "by a phone call to Care" in retarget[0].text
    assert "counted from the change" in retarget[0].text


def test_severity_change_by_care_counts_from_the_original_start() -> None:
    # Customer Care: Severity 3 opened Monday 09:00, raised to 2 at 10:00 (not by phone).
    events = [ClockEvent.opened(ny(23, 9), 3), ClockEvent.severity_changed(ny(23, 10), 2)]
    result = clocks(events, now=ny(23, 10), policy=CARE, plan="standard")
    assert str(result[Metric.RESTORATION].target) == "2 BD"
    assert local(result[Metric.RESTORATION].due) == "Wed 2026-11-25 09:00"  # 18 BH from 09:00
    response = result[Metric.RESPONSE]
    assert local(response.due) == "Mon 2026-11-23 10:00"  # 1 BH from 09:00: due at the change
    assert response.state is ClockState.RUNNING
    later = clocks(events, now=ny(23, 10, 1), policy=CARE, plan="standard")
    assert later[Metric.RESPONSE].state is ClockState.BREACHED


def test_severity_change_basis_can_be_overridden_per_event() -> None:
    events = [
        ClockEvent.opened(ny(23, 9), 3),
        ClockEvent.severity_changed(ny(23, 10), 2, basis=Basis.CHANGE),
    ]
    result = clocks(events, now=ny(23, 10), policy=CARE, plan="standard")
    assert local(result[Metric.RESPONSE].due) == "Mon 2026-11-23 11:00"


def test_met_metrics_keep_their_target_after_a_severity_change() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 3),
        ClockEvent.responded(ny(23, 9)),
        ClockEvent.severity_changed(ny(23, 10), 4),
    ]
    result = clocks(events, now=ny(23, 11))
    assert str(result[Metric.RESPONSE].target) == "1 BD"  # Severity 3 row, already met
    assert result[Metric.RESPONSE].state is ClockState.MET
    assert result[Metric.RESTORATION].state is ClockState.NOT_APPLICABLE  # S4: n/a
    back = clocks([*events, ClockEvent.severity_changed(ny(23, 12), 3)], now=ny(23, 12))
    # 10 BD from Monday 08:00: the ten business days Mon 23 Nov .. Mon 7 Dec, to closing.
    assert local(back[Metric.RESTORATION].due) == "Mon 2026-12-07 17:00"


def test_platform_incident_backdates_the_restoration_clock() -> None:
    # Customer Care S1 opened Monday 10:00; linked at 10:05 to an incident that began 09:00.
    events = [
        ClockEvent.opened(ny(23, 10), 1),
        ClockEvent.incident_linked(ny(23, 10, 5), ny(23, 9)),
    ]
    result = clocks(events, now=ny(23, 10, 5), policy=CARE, plan="standard")
    assert local(result[Metric.RESTORATION].start) == "Mon 2026-11-23 09:00"
    assert local(result[Metric.RESTORATION].due) == "Mon 2026-11-23 13:00"  # 4 h, 24x7
    assert local(result[Metric.RESPONSE].due) == "Mon 2026-11-23 10:10"  # not backdated
    # The reseller policy does not backdate.
    plain = clocks(events, now=ny(23, 10, 5))
    assert local(plain[Metric.RESTORATION].due) == "Mon 2026-11-23 16:00"  # 6 h from 10:00


def test_explanation_steps_add_up_to_the_due_time() -> None:
    events = [
        ClockEvent.opened(ny(20, 16, 30), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.status_changed(ny(24, 9), "open"),
    ]
    result = clocks(events, now=ny(24, 12))
    for clock in result.values():
        assert clock.target is not None
        counted = sum((s.counted for s in clock.steps if s.kind == "count"), timedelta(0))
        assert counted == clock.target.length(CALENDAR)
        assert clock.steps[0].kind == "policy"
        assert clock.steps[-1].kind == "due"
    texts = [s.text for s in result[Metric.RESTORATION].steps]
    assert "Counted Fri 2026-11-20 16:30-17:00 EST: 0:30 (total 0:30)." in texts
    assert "Skipped Sat 2026-11-21: not a working day." in texts
    assert "Skipped Thu 2026-11-26: public holiday (Thanksgiving Day)." in texts
    assert any(
        t.startswith("Paused from Mon 2026-11-23 10:00 EST until Tue 2026-11-24 09:00")
        for t in texts
    )
    assert texts[-1] == (
        "Due Mon 2026-11-30 15:30 EST (2026-11-30 20:30 UTC): 36:00 counted = the target 36:00."
    )
    assert "4 BD (4 x 9:00 business hours = 36:00)" in texts[0]


def test_clock_time_explanation_says_24x7() -> None:
    result = clocks([ClockEvent.opened(ny(20, 16, 30), 1)], now=ny(20, 16, 30))
    steps = result[Metric.RESTORATION].steps
    assert "24x7" in steps[1].text
    assert sum((s.counted for s in steps), timedelta(0)) == timedelta(hours=6)


def test_events_after_now_are_not_yet_history() -> None:
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.responded(ny(23, 9))]
    assert clocks(events, now=ny(23, 8, 30))[Metric.RESPONSE].state is ClockState.RUNNING


def test_bad_histories_are_refused() -> None:
    with pytest.raises(ValueError, match=r"must begin with an 'opened' event"):
        clocks([ClockEvent.responded(ny(23, 9))], now=ny(23, 10))
    with pytest.raises(ValueError, match=r"now .* has no time zone"):
        clocks([ClockEvent.opened(ny(23, 8), 2)], now=datetime(2026, 11, 23, 10))  # noqa: DTZ001
    with pytest.raises(ValueError, match=r"unknown severity 9"):
        clocks([ClockEvent.opened(ny(23, 8), 9)], now=ny(23, 10))
    with pytest.raises(ValueError, match=r"unknown plan 'gold'"):
        clocks([ClockEvent.opened(ny(23, 8), 2)], now=ny(23, 10), plan="gold")
