"""Timer kinds are one enum, apart from the case event kinds some of them are spelled like."""

from __future__ import annotations

from caredesk.automation import scheduling, timers
from caredesk.automation.models import TimerKind
from caredesk.cases.models import EventKind


def test_every_timer_kind_has_exactly_one_way_to_fire() -> None:
    assert set(timers.DECIDERS).isdisjoint(timers.HANDLERS)
    assert set(timers.DECIDERS) | set(timers.HANDLERS) == set(TimerKind)


def test_stored_kinds_and_keys_are_the_strings_they_always_were() -> None:
    # A member equals its string and formats as it: rows written before the enum, and keys
    # built from it, are unchanged.
    assert [str(kind) for kind in TimerKind] == [
        "sla-warning",
        "sla-breach",
        "stale-notice",
        "stale-close",
        "proposed-close",
        "deadline-reminder",
        "deadline-overdue",
        "credentials-reminder",
        "credentials-overdue",
    ]
    stored: str = TimerKind.SLA_BREACH
    assert stored == "sla-breach"
    assert timers.DECIDERS["sla-breach"] is timers.sla_breach  # looked up by a row's string
    assert f"{TimerKind.SLA_BREACH}:7:response:0" == "sla-breach:7:response:0"
    assert set(scheduling.MANAGED) <= set(TimerKind)


def test_a_timer_records_its_own_event_kind_not_its_timer_kind() -> None:
    # The SLA breach timer records "sla-breached"; the deadline timers record events that
    # share their spelling, through a table that names both.
    assert EventKind.SLA_BREACHED.value not in {kind.value for kind in TimerKind}
    assert timers.DEADLINE_EVENTS == {
        TimerKind.DEADLINE_REMINDER: (EventKind.DEADLINE_REMINDER, "reminded"),
        TimerKind.DEADLINE_OVERDUE: (EventKind.DEADLINE_OVERDUE, "overdue"),
    }
