"""A reply to a proposed resolution is a reported issue (issue 13, point 2; SPEC 4): the
case reopens, its clocks resume under the reopen rule and the pending closure is
cancelled. The customer may accept the resolution instead, which closes the case.

Kenji's PureCloud Customer Care case, its customer calendar moved to New York's:
Monday-Friday 08:00-17:00 America/New_York, US holidays (Thanksgiving: Thursday
2026-11-26). Severity 3: response 2 BH, restoration 5 BD = 45 BH. Time is injected.
"""

from __future__ import annotations

import pytest

from caredesk.automation.models import Timer
from caredesk.cases import services
from caredesk.cases.models import Case, SlaClock
from caredesk.testing import World, drain, kinds, ny, open_customer_case

OPENED = ny(11, 23, 9)  # Monday 09:00
PROPOSED = ny(11, 23, 10)  # Monday 10:00: 1 BH of restoration counted
REPLIED = ny(11, 24, 9)  # Tuesday 09:00


@pytest.fixture
def proposed(world: World) -> Case:
    world.customer.timezone = "America/New_York"
    world.customer.country = "US"
    world.customer.save()
    case = open_customer_case(world, OPENED)
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=PROPOSED
    )
    # The closure if no issue is reported: the end of the third business day, Friday 27
    # November 17:00 (Thanksgiving skipped).
    (closing,) = Timer.objects.filter(case=case, kind="proposed-close")
    assert closing.due_at == ny(11, 27, 17)
    return case


def test_a_not_fixed_reply_reopens_the_case_and_cancels_its_closure(
    world: World, proposed: Case
) -> None:
    services.add_comment(
        actor=world.customer_contact.user,
        case_id=proposed.id,
        body="Not fixed: callbacks still wait ten minutes.",
        now=REPLIED,
    )
    proposed.refresh_from_db()
    assert proposed.status == "open"
    reopened = proposed.events.filter(kind="status-changed").order_by("-seq").first()
    assert reopened is not None
    assert (reopened.actor, reopened.at, reopened.data, reopened.reason) == (
        world.customer_contact.user,
        REPLIED,
        {"from": "resolution-proposed", "to": "open"},
        "the customer reported that the issue remains",
    )
    assert not Timer.objects.filter(case=proposed, kind="proposed-close")
    # Restoration resumes; the day the proposal stood with the customer does not count:
    # 1 BH on Monday, then 44 from Tuesday 09:00: Tue 8, Wed 9, Fri 9, Mon 9, Tue 9 ->
    # Tuesday 1 December 17:00. Response was met by the proposal and never resumes.
    restoration = SlaClock.objects.get(case=proposed, metric="restoration")
    assert (restoration.stopped_at, restoration.due_at) == (None, ny(12, 1, 17))
    assert SlaClock.objects.get(case=proposed, metric="response").stopped_at == PROPOSED
    drain(ny(11, 30, 12))  # Monday, past the cancelled closure
    proposed.refresh_from_db()
    assert proposed.status == "open"
    assert "no issue reported" not in " ".join(proposed.events.values_list("reason", flat=True))


def test_care_s_own_reply_leaves_the_proposal_standing(world: World, proposed: Case) -> None:
    services.add_comment(
        actor=world.engineer.user, case_id=proposed.id, body="Any news?", now=REPLIED
    )
    proposed.refresh_from_db()
    assert proposed.status == "resolution-proposed"
    drain(ny(11, 27, 17))
    proposed.refresh_from_db()
    assert proposed.status == "closed"


def test_accepting_the_resolution_closes_the_case_and_the_history_says_so(
    world: World, proposed: Case
) -> None:
    services.accept_resolution(actor=world.customer_contact.user, case_id=proposed.id, now=REPLIED)
    proposed.refresh_from_db()
    assert (proposed.status, proposed.closed_at) == ("closed", REPLIED)
    closed = proposed.events.order_by("-seq").first()
    assert closed is not None
    assert (closed.kind, closed.actor, closed.data, closed.reason) == (
        "status-changed",
        world.customer_contact.user,
        {"from": "resolution-proposed", "to": "closed", "accepted": True},
        "the customer accepted the resolution",
    )
    assert not Timer.objects.filter(case=proposed)
    drain(ny(11, 30, 12))
    assert kinds(proposed)[-1] == "status-changed"  # nothing after: no second closing


def test_closing_a_proposed_resolution_by_status_is_the_same_acceptance(
    world: World, proposed: Case
) -> None:
    services.change_status(
        actor=world.customer_contact.user,
        case_id=proposed.id,
        status="closed",
        reason="Works now, thank you.",
        now=REPLIED,
    )
    closed = proposed.events.filter(kind="status-changed").order_by("-seq").first()
    assert closed is not None
    assert (closed.data, closed.reason) == (
        {"from": "resolution-proposed", "to": "closed", "accepted": True},
        "Works now, thank you.",  # the customer's own words, kept
    )
