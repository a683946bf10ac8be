"""SLA clocks and their explanations on hand-worked histories: every line of what a customer
reads, and the rules that only show in it (rules changes, reopening, platform incidents).

Customer calendar: Monday-Friday 08:00-17:00 America/New_York with US public holidays
(Thanksgiving is Thursday 2026-11-26). November 2026 in New York is EST, UTC-5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.clocks import ClockEvent, ClockState, MetricClock, Rules, compute_clocks
from caredesk.core.lifecycle import CATEGORY, CaseStatus, Category
from caredesk.core.policy import Metric
from tests.core.policy_documents import RESELLER as RESELLER_TOML
from tests.core.policy_documents import document

NY = ZoneInfo("America/New_York")
RESELLER = policies.load("genesys-care-cloud-reseller")
CARE = policies.load("purecloud-customer-care")
CALENDAR = RESELLER.calendar("America/New_York", country="US")
HOURS = "hours Mon-Fri 08:00-17:00 America/New_York, public holidays of US"
RESELLER_ROW = (
    "Policy genesys-care-cloud-reseller v4 (Genesys Care for Cloud - Support Guide for Cloud "
    "Resellers), plan care-for-cloud, incident severity 2 (High): "
)
BUSINESS_CALENDAR = (
    "Counted on the customer's business calendar: Mon-Fri 08:00-17:00 America/New_York, "
    "public holidays of US."
)


def ny(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def clock(
    events: list[ClockEvent],
    now: datetime,
    metric: Metric,
    *,
    policy: policies.Policy = RESELLER,
    plan: str = "care-for-cloud",
    calendar: object = CALENDAR,
) -> MetricClock:
    return compute_clocks(
        events,
        policy=policy,
        plan=plan,
        case_type="incident",
        calendar=calendar,  # type: ignore[arg-type]
        now=now,
    )[metric]


def texts(result: MetricClock) -> list[str]:
    return [s.text for s in result.steps]


def local(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(NY).strftime("%a %Y-%m-%d %H:%M")


# -- the clock category of each status ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "category"),
    [
        (CaseStatus.NEW, Category.OPEN),
        (CaseStatus.OPEN, Category.OPEN),
        (CaseStatus.WAITING_ON_CUSTOMER, Category.PAUSED),
        (CaseStatus.RESTORED, Category.OPEN),
        (CaseStatus.RESOLUTION_PROPOSED, Category.RESOLVED),
        (CaseStatus.CLOSED, Category.RESOLVED),
    ],
)
def test_the_clock_category_of_each_status(status: CaseStatus, category: Category) -> None:
    assert CATEGORY[status] is category


def test_a_case_set_back_to_new_resumes_a_paused_clock() -> None:
    # Waiting from Monday 10:00 to Monday 11:00, then back to "new" (an open category).
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.status_changed(ny(23, 11), "new"),
    ]
    restoration = clock(events, ny(23, 12), Metric.RESTORATION)
    assert restoration.state is ClockState.RUNNING
    assert restoration.elapsed == timedelta(hours=3)
    assert restoration.pauses == ((ny(23, 10), ny(23, 11)),)


# -- naive times are refused, naming the event --------------------------------------------------


def test_naive_event_times_are_refused() -> None:
    naive = datetime(2026, 11, 23, 9)  # noqa: DTZ001 (naive on purpose)
    with pytest.raises(ValueError, match=r"^opened event time 2026-11-23T09:00:00 has no time"):
        clock([ClockEvent.opened(naive, 2)], ny(23, 12), Metric.RESPONSE)
    with pytest.raises(ValueError, match=r"^responded event time 2026-11-23T09:00:00 has no"):
        clock(
            [ClockEvent.opened(ny(23, 8), 2), ClockEvent.responded(naive)],
            ny(23, 12),
            Metric.RESPONSE,
        )
    linked = ClockEvent.incident_linked(ny(23, 9), naive)
    with pytest.raises(ValueError, match=r"^incident start 2026-11-23T09:00:00 has no time zone"):
        clock([ClockEvent.opened(ny(23, 8), 2), linked], ny(23, 12), Metric.RESPONSE)
    with pytest.raises(ValueError, match=r"^now 2026-11-23T09:00:00 has no time zone"):
        clock([ClockEvent.opened(ny(23, 8), 2)], naive, Metric.RESPONSE)


def test_a_history_must_begin_with_its_opening() -> None:
    with pytest.raises(ValueError, match=r"^a case history must begin with an 'opened' event$"):
        clock([ClockEvent.responded(ny(23, 9))], ny(23, 12), Metric.RESPONSE)


# -- explanations, line by line ------------------------------------------------------------------


def test_a_clock_still_paused_has_no_due_time() -> None:
    # Restoration 4 BD (36:00): 2:00 counted Monday 08:00-10:00, paused since 10:00.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
    ]
    result = clock(events, ny(24, 12), Metric.RESTORATION)
    assert (result.state, result.due, result.elapsed) == (
        ClockState.PAUSED,
        None,
        timedelta(hours=2),
    )
    assert texts(result) == [
        RESELLER_ROW + "restoration target 4 BD (4 x 9:00 business hours = 36:00).",
        BUSINESS_CALENDAR,
        "The clock starts Mon 2026-11-23 08:00 EST.",
        "Counted Mon 2026-11-23 08:00-10:00 EST: 2:00 (total 2:00).",
        "Paused from Mon 2026-11-23 10:00 EST and still paused: waiting on the customer, "
        "not counted.",
        "No due time while paused: 2:00 counted so far, 34:00 remain and count again when "
        "the case resumes.",
    ]
    assert [s.kind for s in result.steps] == [
        "policy",
        "calendar",
        "start",
        "count",
        "pause",
        "due",
    ]


def test_a_pause_then_a_restoration_in_time_is_met() -> None:
    # Paused Monday 10:00 to Tuesday 10:00; 36:00 counted by Monday 2026-11-30 17:00
    # (Thanksgiving and the weekend skipped); restored Tuesday 16:00, well before.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.status_changed(ny(24, 10), "open"),
        ClockEvent.restored(ny(24, 16)),
    ]
    result = clock(events, ny(25, 9), Metric.RESTORATION)
    assert result.state is ClockState.MET
    assert local(result.due) == "Mon 2026-11-30 17:00"
    assert texts(result)[3:] == [
        "Counted Mon 2026-11-23 08:00-10:00 EST: 2:00 (total 2:00).",
        "Paused from Mon 2026-11-23 10:00 EST until Tue 2026-11-24 10:00 EST: waiting on the "
        "customer, not counted.",
        "Counted Tue 2026-11-24 10:00-17:00 EST: 7:00 (total 9:00).",
        "Counted Wed 2026-11-25 08:00-17:00 EST: 9:00 (total 18:00).",
        "Skipped Thu 2026-11-26: public holiday (Thanksgiving Day).",
        "Counted Fri 2026-11-27 08:00-17:00 EST: 9:00 (total 27:00).",
        "Skipped Sat 2026-11-28: not a working day.",
        "Skipped Sun 2026-11-29: not a working day.",
        "Counted Mon 2026-11-30 08:00-17:00 EST: 9:00 (total 36:00).",
        "Due Mon 2026-11-30 17:00 EST (2026-11-30 22:00 UTC): 36:00 counted = the target 36:00.",
        "Stopped Tue 2026-11-24 16:00 EST: met.",
    ]
    pause = result.steps[4]
    assert (pause.kind, pause.start, pause.end) == ("pause", ny(23, 10), ny(24, 10))


def test_a_response_after_the_due_time_is_breached() -> None:
    # Response 6 BH from Friday 16:30: 0:30 on Friday, 5:30 on Monday, due Monday 13:30.
    events = [ClockEvent.opened(ny(20, 16, 30), 2), ClockEvent.responded(ny(23, 14))]
    result = clock(events, ny(23, 15), Metric.RESPONSE)
    assert result.state is ClockState.BREACHED
    assert texts(result) == [
        RESELLER_ROW + "response target 6 BH (business hours).",
        BUSINESS_CALENDAR,
        "The clock starts Fri 2026-11-20 16:30 EST.",
        "Counted Fri 2026-11-20 16:30-17:00 EST: 0:30 (total 0:30).",
        "Skipped Sat 2026-11-21: not a working day.",
        "Skipped Sun 2026-11-22: not a working day.",
        "Counted Mon 2026-11-23 08:00-13:30 EST: 5:30 (total 6:00).",
        "Due Mon 2026-11-23 13:30 EST (2026-11-23 18:30 UTC): 6:00 counted = the target 6:00.",
        "Stopped Mon 2026-11-23 14:00 EST: breached.",
    ]
    count = result.steps[3]
    assert (count.start, count.end, count.counted) == (
        ny(20, 16, 30),
        ny(20, 17),
        timedelta(minutes=30),
    )


def test_a_declared_holiday_is_skipped_by_name() -> None:
    # Tuesday 2026-11-24 declared a holiday: 1:00 on Monday, 5:00 on Wednesday.
    holiday = RESELLER.calendar("America/New_York", holidays=(date(2026, 11, 24),))
    result = clock(
        [ClockEvent.opened(ny(23, 16), 2)], ny(25, 12), Metric.RESPONSE, calendar=holiday
    )
    assert texts(result)[1:] == [
        "Counted on the customer's business calendar: Mon-Fri 08:00-17:00 America/New_York, "
        "1 declared holiday(s).",
        "The clock starts Mon 2026-11-23 16:00 EST.",
        "Counted Mon 2026-11-23 16:00-17:00 EST: 1:00 (total 1:00).",
        "Skipped Tue 2026-11-24: declared holiday.",
        "Counted Wed 2026-11-25 08:00-13:00 EST: 5:00 (total 6:00).",
        "Due Wed 2026-11-25 13:00 EST (2026-11-25 18:00 UTC): 6:00 counted = the target 6:00.",
    ]


def test_reopening_after_a_proposed_resolution_resumes_the_clock() -> None:
    # Resolution 15 BD (135:00): proposed Monday 12:00 (4:00 counted), reopened Tuesday
    # 09:00; the proposal's time does not count, so the due time is Tuesday 2026-12-15 14:00.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.resolution_proposed(ny(23, 12)),
        ClockEvent.reopened(ny(24, 9)),
    ]
    result = clock(events, ny(24, 10), Metric.RESOLUTION)
    assert (result.state, local(result.due), result.stop) == (
        ClockState.RUNNING,
        "Tue 2026-12-15 14:00",
        None,
    )
    assert result.pauses == ((ny(23, 12), ny(24, 9)),)
    assert texts(result)[2:6] == [
        "Reopened: the clock resumes.",
        "The clock starts Mon 2026-11-23 08:00 EST.",
        "Counted Mon 2026-11-23 08:00-12:00 EST: 4:00 (total 4:00).",
        "Paused from Mon 2026-11-23 12:00 EST until Tue 2026-11-24 09:00 EST: waiting on the "
        "customer, not counted.",
    ]
    note = result.steps[2]
    assert (note.kind, note.start) == ("note", ny(24, 9))
    # Restoration too was stopped only by the proposal; response was not stopped at all.
    assert clock(events, ny(24, 10), Metric.RESTORATION).stop is None


def test_a_reopened_case_closed_later_stops_again() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.resolution_proposed(ny(23, 12)),
        ClockEvent.reopened(ny(24, 9)),
        ClockEvent.resolution_proposed(ny(24, 10)),
        ClockEvent.closed(ny(25, 9)),
        ClockEvent.reopened(ny(25, 10)),
    ]
    # Closed is final: the later "open" does not resume what the close stopped.
    result = clock(events, ny(25, 12), Metric.RESOLUTION)
    assert result.stop == ny(24, 10)
    assert result.elapsed == timedelta(hours=5)


def test_a_target_appearing_on_a_rules_change_counts_from_the_change() -> None:
    # Customer Care's standard plan has no resolution target (n/a); at Monday 10:00 the
    # reseller's Care for Cloud applies: 15 BD (135:00) from Monday 10:00 is Tuesday
    # 2026-12-15 10:00 (Thanksgiving and three weekends skipped).
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), Rules(RESELLER, "care-for-cloud", CALENDAR)),
    ]
    result = clock(events, ny(23, 12), Metric.RESOLUTION, policy=CARE, plan="standard")
    assert (result.state, result.start, local(result.due), result.elapsed) == (
        ClockState.RUNNING,
        ny(23, 10),
        "Tue 2026-12-15 10:00",
        timedelta(hours=2),
    )
    assert texts(result)[2:4] == [
        "Rules changed: the rules are policy genesys-care-cloud-reseller v4, plan "
        f"care-for-cloud, {HOURS}; target 15 BD (15 x 9:00 business hours = 135:00); it had no "
        "target before: it counts from the change.",
        "The clock starts Mon 2026-11-23 10:00 EST.",
    ]
    assert texts(result)[-1] == (
        "Due Tue 2026-12-15 10:00 EST (2026-12-15 15:00 UTC): 135:00 counted = the target 135:00."
    )


def test_a_target_disappearing_on_a_rules_change_leaves_no_clock() -> None:
    # Care for Cloud's resolution target (15 BD) gives way to Customer Care's n/a.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), Rules(CARE, "standard", CALENDAR)),
    ]
    result = clock(events, ny(23, 12), Metric.RESOLUTION)
    assert (result.state, result.target, result.due, result.elapsed) == (
        ClockState.NOT_APPLICABLE,
        None,
        None,
        timedelta(0),
    )
    assert texts(result) == [
        "Rules changed: the rules are policy purecloud-customer-care v1, plan standard, "
        f"{HOURS}; target n/a; time already used stays used; the rest counts on the new hours."
    ]


def test_no_target_before_or_after_a_rules_change_counts_nothing() -> None:
    # Customer Care has no resolution target on either side of a change to itself.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), Rules(CARE, "standard", CALENDAR)),
    ]
    result = clock(events, ny(23, 12), Metric.RESOLUTION, policy=CARE, plan="standard")
    assert (result.state, result.steps) == (ClockState.NOT_APPLICABLE, ())


def test_a_platform_incident_backdates_the_restoration_clock() -> None:
    # Customer Care counts restoration from a linked platform incident's start: opened
    # Monday 10:00, linked at 11:00 to an incident since 09:00; 2 BD (18:00) from Monday
    # 09:00 is Wednesday 09:00.
    events = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 9)),
    ]
    result = clock(events, ny(23, 12), Metric.RESTORATION, policy=CARE, plan="standard")
    assert (result.start, local(result.due), result.elapsed) == (
        ny(23, 9),
        "Wed 2026-11-25 09:00",
        timedelta(hours=3),
    )
    assert texts(result)[2:4] == [
        "Linked to a platform incident that started earlier: the restoration clock counts "
        "from the incident's start.",
        "The clock starts Mon 2026-11-23 09:00 EST.",
    ]
    assert (result.steps[2].kind, result.steps[2].start) == ("note", ny(23, 9))
    # Response does not move (not in the policy's platform_incident_start).
    assert clock(events, ny(23, 12), Metric.RESPONSE, policy=CARE, plan="standard").start == (
        ny(23, 10)
    )


def test_an_incident_that_started_later_or_a_stopped_clock_changes_nothing() -> None:
    later = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 10, 30)),
    ]
    same = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 10)),
    ]
    stopped = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.restored(ny(23, 10, 30)),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 9)),
    ]
    for events in (later, same, stopped):
        result = clock(events, ny(23, 12), Metric.RESTORATION, policy=CARE, plan="standard")
        assert result.start == ny(23, 10)
        assert not any(s.kind == "note" for s in result.steps)


def test_a_platform_incident_backdates_time_counted_under_earlier_rules() -> None:
    # A rules change at 10:30 leaves an earlier span from 10:00; the incident (since 09:00)
    # moves that span's start, not the current one.
    events = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.rules_changed(ny(23, 10, 30), Rules(CARE, "standard", CALENDAR)),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 9)),
    ]
    result = clock(events, ny(23, 12), Metric.RESTORATION, policy=CARE, plan="standard")
    assert result.start == ny(23, 9)
    assert result.elapsed == timedelta(hours=3)
    assert local(result.due) == "Wed 2026-11-25 09:00"


def test_a_severity_change_from_the_change_drops_time_counted_under_earlier_rules() -> None:
    # Severity 2 on Care for Cloud from Monday 08:00; at 10:00 the rules become Business
    # Care (2:00 of response counted under the old rules); at 11:00 a phone call raises
    # the case to Severity 1, whose 15m target counts from the call (the reseller's
    # phone_raise_basis): due 11:15, and the earlier 2:00 no longer count.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), Rules(RESELLER, "business-care", CALENDAR)),
        ClockEvent.severity_changed(ny(23, 11), 1, phone_raise=True),
    ]
    result = clock(events, ny(23, 11, 10), Metric.RESPONSE)
    assert (result.start, local(result.due), result.elapsed, result.state) == (
        ny(23, 11),
        "Mon 2026-11-23 11:15",
        timedelta(minutes=10),
        ClockState.RUNNING,
    )
    assert texts(result) == [
        "Policy genesys-care-cloud-reseller v4 (Genesys Care for Cloud - Support Guide for "
        "Cloud Resellers), plan business-care, incident severity 1 (Critical): response "
        "target 15m (clock time, 24x7).",
        "Counted on clock time (24x7): nights, weekends and holidays count; times are shown "
        "in America/New_York.",
        "Rules changed: the rules are policy genesys-care-cloud-reseller v4, plan "
        f"business-care, {HOURS}; target 2 BH (business hours); time already used stays used; "
        "the rest counts on the new hours.",
        "Severity changed from 2 to 1 by a phone call to Care: the target becomes 15m, counted "
        "from the change.",
        "The clock starts Mon 2026-11-23 11:00 EST.",
        "Counted Mon 2026-11-23 11:00-11:15 EST: 0:15 (total 0:15).",
        "Due Mon 2026-11-23 11:15 EST (2026-11-23 16:15 UTC): 0:15 counted = the target 0:15.",
    ]
    assert [s.kind for s in result.steps][2:4] == ["note", "retarget"]


def test_a_night_shift_is_counted_on_the_day_it_starts() -> None:
    # Monday's shift runs 22:00 to Tuesday 06:00: 6 BH from Monday 21:00 end Tuesday 04:00.
    nights = BusinessCalendar("America/New_York", {"mon": "22:00-06:00", "tue": "22:00-06:00"})
    result = clock([ClockEvent.opened(ny(23, 21), 2)], ny(23, 23), Metric.RESPONSE, calendar=nights)
    assert local(result.due) == "Tue 2026-11-24 04:00"
    assert texts(result)[1:] == [
        "Counted on the customer's business calendar: Mon-Tue 22:00-06:00 America/New_York.",
        "The clock starts Mon 2026-11-23 21:00 EST.",
        "Counted Mon 2026-11-23 22:00-04:00 (+1d) EST: 6:00 (total 6:00).",
        "Due Tue 2026-11-24 04:00 EST (2026-11-24 09:00 UTC): 6:00 counted = the target 6:00.",
    ]


def test_a_day_counted_to_midnight_ends_at_24_00() -> None:
    # 4:00 on Monday 20:00-24:00, then 2:00 on Tuesday from 08:00.
    late = BusinessCalendar("America/New_York", {"mon": "16:00-24:00", "tue": "08:00-12:00"})
    result = clock([ClockEvent.opened(ny(23, 20), 2)], ny(23, 23), Metric.RESPONSE, calendar=late)
    assert texts(result)[3:5] == [
        "Counted Mon 2026-11-23 20:00-24:00 EST: 4:00 (total 4:00).",
        "Counted Tue 2026-11-24 08:00-10:00 EST: 2:00 (total 6:00).",
    ]


def test_a_stop_at_the_due_instant_is_met() -> None:
    # Response 6 BH from Monday 08:00 is due Monday 14:00; answered exactly then.
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.responded(ny(23, 14))]
    result = clock(events, ny(23, 15), Metric.RESPONSE)
    assert result.state is ClockState.MET
    stop = result.steps[-1]
    assert (stop.kind, stop.text, stop.start) == (
        "stop",
        "Stopped Mon 2026-11-23 14:00 EST: met.",
        ny(23, 14),
    )


def test_a_severity_change_by_care_is_said_with_its_basis() -> None:
    # Severity 2 to 3 by Care (the reseller counts such changes from the original start);
    # resolution: 15 BD becomes 30 BD; a change to 4 makes it n/a.
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.severity_changed(ny(23, 10), 3)]
    result = clock(events, ny(23, 11), Metric.RESOLUTION)
    assert result.start == ny(23, 8)
    (retarget,) = [s for s in result.steps if s.kind == "retarget"]
    assert retarget.text == (
        "Severity changed from 2 to 3 by Care: the target becomes 30 BD, counted from the "
        "original start."
    )
    assert retarget.start == ny(23, 10)
    to_low = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.severity_changed(ny(23, 10), 4)]
    low = clock(to_low, ny(23, 11), Metric.RESOLUTION)
    assert low.state is ClockState.NOT_APPLICABLE
    assert [s.text for s in low.steps] == [
        "Severity changed from 2 to 4 by Care: the target becomes n/a, counted from the "
        "original start."
    ]


def test_an_incident_between_the_opening_and_a_rules_change_changes_nothing() -> None:
    # Opened 10:00, rules changed 10:30, incident since 10:15: the clock already ran then.
    events = [
        ClockEvent.opened(ny(23, 10), 2),
        ClockEvent.rules_changed(ny(23, 10, 30), Rules(CARE, "standard", CALENDAR)),
        ClockEvent.incident_linked(ny(23, 11), ny(23, 10, 15)),
    ]
    result = clock(events, ny(23, 12), Metric.RESTORATION, policy=CARE, plan="standard")
    assert result.start == ny(23, 10)
    assert result.elapsed == timedelta(hours=2)


def test_a_rules_change_while_stopped_by_a_proposal_without_a_target() -> None:
    # Severity 4 has no resolution target (n/a). Proposed Monday 10:00; the rules are
    # applied again at 11:00; reopened at 12:00; raised to Severity 2 by Care at 13:00,
    # counted from the original start (08:00): 08:00-10:00 and 12:00-14:00 count, the
    # proposal's 10:00-12:00 does not.
    events = [
        ClockEvent.opened(ny(23, 8), 4),
        ClockEvent.resolution_proposed(ny(23, 10)),
        ClockEvent.rules_changed(ny(23, 11), Rules(RESELLER, "care-for-cloud", CALENDAR)),
        ClockEvent.reopened(ny(23, 12)),
        ClockEvent.severity_changed(ny(23, 13), 2),
    ]
    result = clock(events, ny(23, 14), Metric.RESOLUTION)
    assert (result.start, result.pauses, result.elapsed) == (
        ny(23, 8),
        ((ny(23, 10), ny(23, 12)),),
        timedelta(hours=4),
    )
    # Proposed and reopened at the same instant: no pause at all.
    instant = [
        ClockEvent.opened(ny(23, 8), 4),
        ClockEvent.resolution_proposed(ny(23, 10)),
        ClockEvent.rules_changed(ny(23, 10), Rules(RESELLER, "care-for-cloud", CALENDAR)),
        ClockEvent.reopened(ny(23, 10)),
        ClockEvent.severity_changed(ny(23, 13), 2),
    ]
    again = clock(instant, ny(23, 14), Metric.RESOLUTION)
    assert (again.pauses, again.elapsed) == ((), timedelta(hours=6))


def test_a_rules_change_note_is_dated_at_the_change() -> None:
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), Rules(RESELLER, "care-for-cloud", CALENDAR)),
    ]
    note = clock(events, ny(23, 12), Metric.RESOLUTION, policy=CARE, plan="standard").steps[2]
    assert (note.kind, note.start) == ("note", ny(23, 10))


def test_a_stop_closes_a_pause_of_a_clock_that_pauses_while_waiting() -> None:
    # A policy that also pauses the response clock while waiting on the customer: a
    # response given while waiting stops the clock and ends its pause there.
    doc = document(RESELLER_TOML)
    doc["clocks"]["pause_while_waiting"] = ["response", "restoration", "resolution"]
    pausing = policies.parse_policy(doc, "custom.toml")
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 9), "waiting-on-customer"),
        ClockEvent.responded(ny(23, 11)),
    ]
    result = clock(events, ny(23, 12), Metric.RESPONSE, policy=pausing)
    assert (result.pauses, result.stop, result.elapsed) == (
        ((ny(23, 9), ny(23, 11)),),
        ny(23, 11),
        timedelta(hours=1),
    )


def test_the_days_a_clock_skips_say_why() -> None:
    # Opened Monday 18:00, after closing: Monday is skipped as closed.
    late = clock([ClockEvent.opened(ny(23, 18), 2)], ny(24, 9), Metric.RESPONSE)
    assert texts(late)[3:5] == [
        "Skipped Mon 2026-11-23: closed.",
        "Counted Tue 2026-11-24 08:00-14:00 EST: 6:00 (total 6:00).",
    ]
    # Waiting on the customer from Monday 10:00 to Wednesday 10:00: Tuesday is paused.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.status_changed(ny(25, 10), "open"),
    ]
    waiting = clock(events, ny(25, 11), Metric.RESTORATION)
    assert texts(waiting)[4:7] == [
        "Paused from Mon 2026-11-23 10:00 EST until Wed 2026-11-25 10:00 EST: waiting on the "
        "customer, not counted.",
        "Skipped Tue 2026-11-24: paused (waiting on the customer).",
        "Counted Wed 2026-11-25 10:00-17:00 EST: 7:00 (total 9:00).",
    ]
    assert local(waiting.due) == "Tue 2026-12-01 17:00"


LONDON_CALENDAR = RESELLER.calendar("Europe/London", country="GB")
TO_LONDON = Rules(RESELLER, "care-for-cloud", LONDON_CALENDAR)
BACK_TO_NEW_YORK = Rules(RESELLER, "care-for-cloud", CALENDAR)


def test_two_rules_changes_are_explained_span_by_span() -> None:
    # Response 6 BH from Monday 08:00 New York: 2:00 until 10:00; then London hours from
    # 10:00 New York (15:00 GMT) to 11:00 New York (16:00 GMT): 1:00; then New York again
    # from 11:00: the last 3:00 end at 14:00.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 10), TO_LONDON),
        ClockEvent.rules_changed(ny(23, 11), BACK_TO_NEW_YORK),
    ]
    result = clock(events, ny(23, 12), Metric.RESPONSE)
    assert (result.start, local(result.due), result.elapsed) == (
        ny(23, 8),
        "Mon 2026-11-23 14:00",
        timedelta(hours=4),
    )
    london = "hours Mon-Fri 08:00-17:00 Europe/London, public holidays of GB"
    assert texts(result)[4:] == [
        "The clock starts Mon 2026-11-23 08:00 EST.",
        "Counted Mon 2026-11-23 08:00-10:00 EST: 2:00 (total 2:00).",
        "From Mon 2026-11-23 15:00 GMT the rules are policy genesys-care-cloud-reseller v4, "
        f"plan care-for-cloud, {london}: the 2:00 already counted stays used.",
        "Counted Mon 2026-11-23 15:00-16:00 GMT: 1:00 (total 3:00).",
        "From Mon 2026-11-23 11:00 EST the rules are policy genesys-care-cloud-reseller v4, "
        f"plan care-for-cloud, {HOURS}: the 3:00 already counted stays used.",
        "Counted Mon 2026-11-23 11:00-14:00 EST: 3:00 (total 6:00).",
        "Due Mon 2026-11-23 14:00 EST (2026-11-23 19:00 UTC): 6:00 counted = the target 6:00.",
    ]
    kinds_and_starts = [(s.kind, s.start) for s in result.steps[4:]]
    assert kinds_and_starts == [
        ("start", ny(23, 8)),
        ("count", ny(23, 8)),
        ("rules", ny(23, 10)),
        ("count", ny(23, 10)),
        ("rules", ny(23, 11)),
        ("count", ny(23, 11)),
        ("due", ny(23, 14)),
    ]


def test_a_due_time_inside_the_earlier_rules_ends_the_explanation_there() -> None:
    # Due Monday 14:00 New York (19:00 GMT) under the old rules; the change came Tuesday.
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.rules_changed(ny(24, 10), TO_LONDON)]
    result = clock(events, ny(24, 11), Metric.RESPONSE)
    assert (result.state, result.elapsed) == (ClockState.BREACHED, timedelta(hours=12))
    assert texts(result)[3:] == [
        "The clock starts Mon 2026-11-23 08:00 EST.",
        "Counted Mon 2026-11-23 08:00-14:00 EST: 6:00 (total 6:00).",
        "Due Mon 2026-11-23 19:00 GMT (2026-11-23 19:00 UTC): 6:00 counted = the target 6:00.",
    ]


def test_a_target_reached_as_a_pause_begins_is_due_then() -> None:
    # Severity 1 restoration, 6h of clock time from Monday 08:00: due 14:00, exactly when
    # the case starts waiting on the customer. The whole target was used by then: read at
    # 15:00 it is breached, the pause that began at its due instant notwithstanding.
    events = [
        ClockEvent.opened(ny(23, 8), 1),
        ClockEvent.status_changed(ny(23, 14), "waiting-on-customer"),
    ]
    result = clock(events, ny(23, 15), Metric.RESTORATION)
    assert (result.state, local(result.due), result.elapsed) == (
        ClockState.BREACHED,
        "Mon 2026-11-23 14:00",
        timedelta(hours=6),
    )
    assert result.warnings == (
        (50, ny(23, 11)),
        (75, ny(23, 12, 30)),
        (90, ny(23, 13, 24)),
    )


def test_pauses_are_cut_out_of_the_days_they_fall_in() -> None:
    # Waiting Monday 10:00-11:00, Tuesday 08:00-09:00 (from the opening) and 12:00-13:00.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 10), "waiting-on-customer"),
        ClockEvent.status_changed(ny(23, 11), "open"),
        ClockEvent.status_changed(ny(24, 8), "waiting-on-customer"),
        ClockEvent.status_changed(ny(24, 9), "open"),
        ClockEvent.status_changed(ny(24, 12), "waiting-on-customer"),
        ClockEvent.status_changed(ny(24, 13), "open"),
    ]
    result = clock(events, ny(24, 15), Metric.RESTORATION)
    assert local(result.due) == "Mon 2026-11-30 11:00"
    assert texts(result)[3:8] == [
        "Counted Mon 2026-11-23 08:00-10:00, 11:00-17:00 EST: 8:00 (total 8:00).",
        "Paused from Mon 2026-11-23 10:00 EST until Mon 2026-11-23 11:00 EST: waiting on the "
        "customer, not counted.",
        "Paused from Tue 2026-11-24 08:00 EST until Tue 2026-11-24 09:00 EST: waiting on the "
        "customer, not counted.",
        "Counted Tue 2026-11-24 09:00-12:00, 13:00-17:00 EST: 7:00 (total 15:00).",
        "Paused from Tue 2026-11-24 12:00 EST until Tue 2026-11-24 13:00 EST: waiting on the "
        "customer, not counted.",
    ]


def test_a_pause_from_midnight_comes_before_that_days_skip() -> None:
    # Waiting from Saturday 00:00 to Monday 09:00: the pause and the skipped Saturday
    # both stand at Saturday 00:00; the pause is said first.
    events = [
        ClockEvent.opened(ny(20, 8), 2),
        ClockEvent.status_changed(ny(21, 0), "waiting-on-customer"),
        ClockEvent.status_changed(ny(23, 9), "open"),
    ]
    result = clock(events, ny(23, 10), Metric.RESTORATION)
    assert local(result.due) == "Fri 2026-11-27 09:00"
    assert texts(result)[3:8] == [
        "Counted Fri 2026-11-20 08:00-17:00 EST: 9:00 (total 9:00).",
        "Paused from Sat 2026-11-21 00:00 EST until Mon 2026-11-23 09:00 EST: waiting on the "
        "customer, not counted.",
        "Skipped Sat 2026-11-21: not a working day.",
        "Skipped Sun 2026-11-22: not a working day.",
        "Counted Mon 2026-11-23 09:00-17:00 EST: 8:00 (total 17:00).",
    ]
    assert [s.kind for s in result.steps[3:8]] == ["count", "pause", "skip", "skip", "count"]


def test_a_clock_without_a_target_names_its_metric() -> None:
    # Severity 4 has no restoration target.
    result = clock([ClockEvent.opened(ny(23, 8), 4)], ny(23, 9), Metric.RESTORATION)
    assert (result.metric, result.state, result.is_applicable) == (
        Metric.RESTORATION,
        ClockState.NOT_APPLICABLE,
        False,
    )
    running = clock([ClockEvent.opened(ny(23, 8), 4)], ny(23, 9), Metric.RESPONSE)
    assert (running.metric, running.is_applicable) == (Metric.RESPONSE, True)


def test_without_explanations_a_clock_has_no_steps() -> None:
    events = [ClockEvent.opened(ny(23, 8), 2)]
    result = compute_clocks(
        events,
        policy=RESELLER,
        plan="care-for-cloud",
        case_type="incident",
        calendar=CALENDAR,
        now=ny(23, 9),
        explain=False,
    )[Metric.RESPONSE]
    assert (result.steps, local(result.due)) == ((), "Mon 2026-11-23 14:00")


def test_the_24x7_calendar_step_is_a_calendar_step() -> None:
    # Severity 1 restoration (6h) counts on clock time.
    result = clock([ClockEvent.opened(ny(23, 8), 1)], ny(23, 9), Metric.RESTORATION)
    assert (result.steps[1].kind, result.steps[1].text) == (
        "calendar",
        "Counted on clock time (24x7): nights, weekends and holidays count; times are shown "
        "in America/New_York.",
    )


def test_a_count_across_the_fall_back_names_the_zone_of_its_start() -> None:
    # Saturday's night shift 22:00-06:00 spans the end of daylight saving time (02:00 EDT
    # becomes 01:00 EST on Sunday 2026-11-01): 6 BH from Saturday 22:00 EDT (02:00 UTC)
    # end at 08:00 UTC, Sunday 03:00 EST.
    nights = BusinessCalendar("America/New_York", {"sat": "22:00-06:00"})
    opened = datetime(2026, 10, 31, 21, tzinfo=NY)
    result = clock([ClockEvent.opened(opened, 2)], opened, Metric.RESPONSE, calendar=nights)
    assert texts(result)[3] == ("Counted Sat 2026-10-31 22:00-03:00 (+1d) EDT: 6:00 (total 6:00).")


def test_a_due_time_at_the_very_instant_of_a_rules_change_ends_the_explanation() -> None:
    # Due Monday 14:00 New York; the calendar moved to London at that instant.
    events = [ClockEvent.opened(ny(23, 8), 2), ClockEvent.rules_changed(ny(23, 14), TO_LONDON)]
    result = clock(events, ny(23, 15), Metric.RESPONSE)
    assert local(result.due) == "Mon 2026-11-23 14:00"
    assert texts(result)[4:] == [
        "Counted Mon 2026-11-23 08:00-14:00 EST: 6:00 (total 6:00).",
        "Due Mon 2026-11-23 19:00 GMT (2026-11-23 19:00 UTC): 6:00 counted = the target 6:00.",
    ]


def test_three_rules_changes_each_say_where_the_next_span_starts() -> None:
    # New York 08:00-09:00 (1:00), London 14:00-15:00 GMT (1:00), New York 10:00-11:00
    # (1:00), London from 16:00 GMT: 1:00 on Monday, 2:00 on Tuesday until 10:00 GMT.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.rules_changed(ny(23, 9), TO_LONDON),
        ClockEvent.rules_changed(ny(23, 10), BACK_TO_NEW_YORK),
        ClockEvent.rules_changed(ny(23, 11), TO_LONDON),
    ]
    result = clock(events, ny(23, 12), Metric.RESPONSE)
    assert local(result.due) == "Tue 2026-11-24 05:00"  # 10:00 GMT
    changes = [(s.text.split(" the rules")[0], s.start) for s in result.steps if s.kind == "rules"]
    assert changes == [
        ("From Mon 2026-11-23 14:00 GMT", ny(23, 9)),
        ("From Mon 2026-11-23 10:00 EST", ny(23, 10)),
        ("From Mon 2026-11-23 16:00 GMT", ny(23, 11)),
    ]
    counts = [s.text for s in result.steps if s.kind == "count"]
    assert counts == [
        "Counted Mon 2026-11-23 08:00-09:00 EST: 1:00 (total 1:00).",
        "Counted Mon 2026-11-23 14:00-15:00 GMT: 1:00 (total 2:00).",
        "Counted Mon 2026-11-23 10:00-11:00 EST: 1:00 (total 3:00).",
        "Counted Mon 2026-11-23 16:00-17:00 GMT: 1:00 (total 4:00).",
        "Counted Tue 2026-11-24 08:00-10:00 GMT: 2:00 (total 6:00).",
    ]


def test_a_severity_change_from_the_change_while_waiting_stays_paused() -> None:
    # Waiting since Monday 09:00; a phone call at 10:00 raises the case to Severity 1,
    # whose restoration target counts from the call: but the case still waits.
    events = [
        ClockEvent.opened(ny(23, 8), 2),
        ClockEvent.status_changed(ny(23, 9), "waiting-on-customer"),
        ClockEvent.severity_changed(ny(23, 10), 1, phone_raise=True),
    ]
    result = clock(events, ny(23, 12), Metric.RESTORATION)
    assert (result.state, result.start, result.pauses, result.elapsed, result.due) == (
        ClockState.PAUSED,
        ny(23, 10),
        ((ny(23, 10), None),),
        timedelta(0),
        None,
    )
