"""Care's answer meets the response clock (issue 13, point 1): a case Care has answered
never breaches response, and the worker sends no warning or breach for it.

The reseller's Care for Cloud case of ``open_reseller_case``: Severity 2 opened Monday
2026-11-23 10:00 New York; response 6 BH, due Monday 16:00 (50 % at 13:00). Time is injected;
nothing sleeps.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from caredesk.automation import services as automation
from caredesk.automation.models import Outbox, Timer
from caredesk.cases import services, sla
from caredesk.cases.models import Case, SlaClock
from caredesk.testing import World, drain, kinds, ny, open_reseller_case

OPENED = ny(11, 23, 10)  # Monday 10:00
ANSWERED = ny(11, 23, 11)  # Monday 11:00, before the response is due at 16:00
LONG_AFTER = ny(11, 24, 12)  # Tuesday 12:00, a day past the due instant


def response_of(case: Case, now: datetime) -> tuple[datetime | None, str]:
    """When the stored response clock stopped, and what a person sees of it at ``now``."""
    clock = SlaClock.objects.get(case=case, metric="response")
    return clock.stopped_at, sla.display_state(clock, now)


def response_alerts(case: Case) -> list[str]:
    """The response warnings and breaches the worker recorded on the case."""
    return [
        str(event.kind)
        for event in case.events.filter(kind__in=["sla-warning", "sla-breached"])
        if event.data.get("metric") == "response"
    ]


def listen_to_breaches(world: World) -> None:
    """The reseller subscribes a webhook to SLA warnings and breaches (an address that
    refuses connections: no delivery should ever be attempted)."""
    automation.subscribe(
        actor=world.reseller_contacts[0].user,
        organisation_id=world.reseller.id,
        url="http://127.0.0.1:9/caredesk",
        event_types=["sla-warning", "sla-breached"],
        now=OPENED,
    )


@pytest.mark.parametrize("status", ["resolution-proposed", "restored", "closed"])
def test_an_answer_without_a_word_before_the_due_instant_meets_response_and_nothing_breaches(
    world: World, status: str
) -> None:
    listen_to_breaches(world)
    case = open_reseller_case(world, OPENED)
    services.change_status(actor=world.engineer.user, case_id=case.id, status=status, now=ANSWERED)
    assert response_of(case, ANSWERED) == (ANSWERED, "met")
    assert not Timer.objects.filter(case=case, key__contains=":response:")
    drain(ny(11, 23, 16, 0, 1))  # just past the response's due instant
    drain(LONG_AFTER)
    assert response_of(case, LONG_AFTER) == (ANSWERED, "met")
    assert response_alerts(case) == []
    # Nobody is told of a warning or a breach: no e-mail, no webhook delivery (the other
    # clocks reach their first warning on Wednesday at the earliest).
    assert not Outbox.objects.filter(event__in=["sla-warning", "sla-breached"])


def test_a_bare_move_to_open_leaves_the_response_running_to_its_breach(world: World) -> None:
    case = open_reseller_case(world, OPENED)
    services.change_status(actor=world.engineer.user, case_id=case.id, status="open", now=ANSWERED)
    assert response_of(case, ANSWERED) == (None, "on-track")
    assert "responded" not in kinds(case)
    drain(ny(11, 23, 16, 0, 1))
    assert "sla-breached" in response_alerts(case)


def test_a_move_that_asks_the_customer_something_meets_response(world: World) -> None:
    # Care waits on the customer with a reason: the contact gets it by e-mail, in Care's words.
    case = open_reseller_case(world, OPENED)
    services.change_status(
        actor=world.engineer.user,
        case_id=case.id,
        status="waiting-on-customer",
        reason="Please send the browser's HAR file of a failing attempt.",
        now=ANSWERED,
    )
    assert kinds(case)[-2:] == ["status-changed", "responded"]
    drain(LONG_AFTER)
    assert response_of(case, LONG_AFTER) == (ANSWERED, "met")
    assert response_alerts(case) == []


def test_a_worker_first_running_past_the_due_instant_breaches_without_warning(
    world: World,
) -> None:
    # No worker ran between Monday 10:00 and Tuesday 12:00: the response was due Monday
    # 16:00, so it is breached; its 50/75/90 % warnings (13:00, 14:30, 15:24) would now tell
    # of time left that is gone, and are not sent.
    listen_to_breaches(world)
    case = open_reseller_case(world, OPENED)
    drain(LONG_AFTER)
    assert response_alerts(case) == ["sla-breached"]
    assert not Outbox.objects.filter(event="sla-warning")
    assert Outbox.objects.filter(event="sla-breached").exists()


def test_a_worker_running_on_time_warns_then_breaches(world: World) -> None:
    # The same case with a worker awake at each instant: every warning, then the breach.
    case = open_reseller_case(world, OPENED)
    for instant in (ny(11, 23, 13), ny(11, 23, 14, 30), ny(11, 23, 15, 24), ny(11, 23, 16, 0, 1)):
        drain(instant)
    assert response_alerts(case) == ["sla-warning"] * 3 + ["sla-breached"]
