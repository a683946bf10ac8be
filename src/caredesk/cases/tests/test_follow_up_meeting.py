"""The follow-up meeting (seeds 000-002): "if the customer requires a follow-up discussion in
addition to the documentation ... a meeting is then coordinated when the final document is
delivered". Care records it, with its date, on the RCA or documentation case.

Kenji works for Initech KK (PureCloud Customer Care, Tokyo). The frozen clock reads Monday
2026-11-23 10:00 New York (15:00 UTC, Tuesday 00:00 Tokyo).
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest

from caredesk.cases import services
from caredesk.cases.models import Case, CaseEvent, CaseLink
from caredesk.cases.tests.test_api import Api
from caredesk.cases.tests.test_requests import LATER, open_request
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.infra.errors import DomainError
from caredesk.testing import World, kinds, open_customer_case

# The request is opened Monday 23 November 11:00 New York (LATER); Care delivers the document
# Tuesday 24 10:00 New York; the meeting is held Tuesday 14:00 New York (19:00 UTC, Wednesday
# 04:00 in Tokyo) and recorded at 15:00.
DELIVERED = START + timedelta(days=1)
HELD = START + timedelta(days=1, hours=4)
RECORDED = START + timedelta(days=1, hours=5)


def delivered_request(world: World) -> Case:
    request = open_request(world, "documentation", follow_up_discussion="Yes, with our IT leads")
    services.change_status(
        actor=world.engineer.user,
        case_id=request.id,
        status="resolution-proposed",
        reason="final document delivered",
        now=DELIVERED,
    )
    return request


def meeting_refusal(world: World, case: Case, **overrides: Any) -> DomainError:
    fields: dict[str, Any] = {
        "actor": world.engineer.user,
        "case_id": case.id,
        "held_at": HELD,
        "now": RECORDED,
        **overrides,
    }
    events = CaseEvent.objects.count()
    with pytest.raises(DomainError) as err:
        services.record_follow_up_meeting(**fields)
    assert CaseEvent.objects.count() == events  # nothing written
    return err.value


def test_care_records_the_follow_up_meeting_with_its_date(world: World) -> None:
    request = delivered_request(world)
    event = services.record_follow_up_meeting(
        actor=world.engineer.user, case_id=request.id, held_at=HELD, now=RECORDED
    )
    assert (event.kind, event.at, event.actor) == (
        "follow-up-meeting-held",
        RECORDED,
        world.engineer.user,
    )
    assert event.data == {"held_at": "2026-11-24T19:00:00+00:00"}
    assert kinds(request)[-1] == "follow-up-meeting-held"
    # Once: a second record is refused.
    err = meeting_refusal(world, request)
    assert (err.status, err.message) == (
        409,
        f"the follow-up meeting of case {request.number} was already recorded "
        "(held 2026-11-24T19:00:00+00:00)",
    )


def test_the_comprehensive_rca_follow_up_has_its_meeting_too(world: World) -> None:
    outage = open_customer_case(
        world,
        START,
        severity=1,
        channel="phone",
        critical_contact_name="Kenji Sato",
        critical_contact_phone="+81 3-1234-5678",
    )
    services.change_status(
        actor=world.engineer.user,
        case_id=outage.id,
        status="resolution-proposed",
        initial_rca="A certificate expired on the media tier.",
        now=LATER,
    )
    follow_up = CaseLink.objects.get(from_case=outage, kind="rca-follow-up").to_case
    services.change_status(
        actor=world.engineer.user,
        case_id=follow_up.id,
        status="closed",
        reason="comprehensive RCA delivered",
        now=DELIVERED,
    )
    services.record_follow_up_meeting(
        actor=world.engineer.user, case_id=follow_up.id, held_at=HELD, now=RECORDED
    )
    assert follow_up.events.get(kind="follow-up-meeting-held").data["held_at"] == (
        "2026-11-24T19:00:00+00:00"
    )


def test_the_meeting_follows_the_delivery_of_the_final_document(world: World) -> None:
    request = open_request(world, "rca")
    err = meeting_refusal(world, request)
    assert (err.status, err.message) == (
        409,
        f"the final document of case {request.number} is not delivered yet (the case is "
        "new); the follow-up meeting is recorded once it is",
    )


def test_only_rca_and_documentation_cases_have_a_follow_up_meeting(world: World) -> None:
    incident = open_customer_case(world, START)
    services.change_status(
        actor=world.engineer.user, case_id=incident.id, status="closed", now=DELIVERED
    )
    err = meeting_refusal(world, incident)
    assert (err.status, err.message) == (
        409,
        f"case {incident.number} is an incident case; a follow-up meeting is recorded on "
        "the rca or documentation case whose document it follows",
    )


def test_only_care_records_the_meeting(world: World) -> None:
    request = delivered_request(world)
    err = meeting_refusal(world, request, actor=world.customer_contact.user)
    assert err.status == 403


def test_the_meeting_is_held_between_the_request_and_now(world: World) -> None:
    request = delivered_request(world)
    err = meeting_refusal(world, request, held_at=RECORDED + timedelta(seconds=1))
    assert (err.status, err.message) == (
        422,
        "meeting time 2026-11-24T20:00:01+00:00 is in the future; expected when the meeting "
        "was held, at or before now (2026-11-24T20:00:00+00:00)",
    )
    err = meeting_refusal(world, request, held_at=LATER - timedelta(minutes=1))
    assert (err.status, err.message) == (
        422,
        f"meeting time 2026-11-23T15:59:00+00:00 is before case {request.number} was opened "
        "(2026-11-23T16:00:00+00:00); expected when the meeting was held, after that",
    )
    # At the very instants: accepted.
    services.record_follow_up_meeting(
        actor=world.engineer.user, case_id=request.id, held_at=RECORDED, now=RECORDED
    )


@pytest.mark.parametrize(
    ("held_at", "message"),
    [
        (
            "2026-11-24T14:00:00",
            "invalid request: held_at: Input should have timezone info",
        ),
        (
            1795633200,
            "invalid request: held_at: Value error, expected an RFC 3339 time as text, got "
            "1795633200",
        ),
        (
            "Tuesday afternoon",
            "invalid request: held_at: Input should be a valid datetime or date, invalid "
            "character in year",
        ),
    ],
)
def test_the_api_wants_the_meeting_time_with_its_offset(
    world: World, tokens: dict[str, str], clock: Clock, held_at: object, message: str
) -> None:
    request = delivered_request(world)
    clock.set(RECORDED)
    events = CaseEvent.objects.count()
    status, body = Api(tokens["engineer"]).post(
        f"/cases/{request.id}/follow-up-meeting", {"held_at": held_at}
    )
    assert (status, body["detail"]) == (422, message)
    assert CaseEvent.objects.count() == events


def test_the_api_records_the_meeting_and_the_history_shows_it(
    world: World, tokens: dict[str, str], clock: Clock
) -> None:
    request = delivered_request(world)
    clock.set(RECORDED.astimezone(UTC))  # as the running clock reads: answers write UTC
    path = f"/cases/{request.id}/follow-up-meeting"
    status, body = Api(tokens["customer"]).post(path, {"held_at": "2026-11-24T14:00:00-05:00"})
    assert (status, body["detail"]) == (403, "only Care may do this")
    status, event = Api(tokens["engineer"]).post(path, {"held_at": "2026-11-24T14:00:00-05:00"})
    assert status == 201
    assert (event["kind"], event["at"], event["actor"], event["data"]) == (
        "follow-up-meeting-held",
        "2026-11-24T20:00:00Z",
        "erin@care.example",
        {"held_at": "2026-11-24T19:00:00+00:00"},
    )
    # Held Tuesday 24 November 14:00 New York, Wednesday 04:00 in Tokyo: each reader is
    # told in their own zone.
    assert event["text"] == (
        "Erin recorded the follow-up meeting, held Tue 2026-11-24 14:00 (America/New_York)."
    )
    _, history = Api(tokens["customer"]).get(f"/cases/{request.id}/events")
    assert history[-1] == event | {
        "text": "Erin recorded the follow-up meeting, held Wed 2026-11-25 04:00 (Asia/Tokyo)."
    }
