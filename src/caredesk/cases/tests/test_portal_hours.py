"""Portal hours of the PureCloud Support policy (seed 000: "Web portal support 8:00am to
5:00pm"; "Phone support: For Severity 1 only, 24x7x365"). The portal takes cases at any
hour; Severity 2-4 clocks count business hours (the same 08:00-17:00), so they start at
the next opening; a Severity 1 submitted through the portal outside its hours is taken, its
10-minute response counts from submission (Severity 1 is "responded to 24x7x365"), and the
opener is told to phone Care as well.

Umbrella Corp is a PureCloud Support customer in New York (US holidays). Saturday
2026-11-28 10:00 EST is 15:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Profile
from caredesk.cases import services
from caredesk.cases.tests.test_api import Api
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import (
    PURECLOUD_INTAKE,
    World,
    customer_case_payload,
    ny,
    organisation,
    person,
    signed_in_client,
    speaks,
)

SATURDAY = ny(11, 28, 10)  # Saturday 10:00 EST
NOTICE = (
    "Care staffs the web portal Mon-Fri 08:00-17:00 America/New_York, public holidays of "
    "US, and this Severity 1 case came in outside those hours: phone Care as well (phone "
    "support takes Severity 1 at any hour) so that an engineer takes it at once."
)


def services_token(profile: Profile) -> str:
    return accounts.issue_token(user=profile.user, now=START)


@pytest.fixture
def umbrella(world: World) -> Profile:
    org = organisation(
        START,
        "umbrella",
        name="Umbrella Corp",
        policy="purecloud-support",
        plan="standard",
        licences=["communicate"],
    )
    return person(START, org, "uma@umbrella.example", engineer=world.engineer)


def payload(umbrella: Profile, at: datetime, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "actor": umbrella.user,
        "now": at,
        "case_type": "incident",
        "severity": 1,
        "channel": "portal",
        "subject": "No calls reach the agents",
        "description": "Every inbound call fails.",
        "intake_fields": dict(PURECLOUD_INTAKE, org_short_name="umbrella"),
        "critical_contact_name": "Uma",
        "critical_contact_phone": "+1 212 555 0100",
    }
    fields.update(overrides)
    return fields


def response_due(opened: services.Opened) -> datetime | None:
    (clock,) = [c for c in opened.clocks if c.metric == "response"]
    return clock.due_at


def test_a_severity_1_on_the_portal_on_saturday_is_taken_and_phoned_in(
    world: World, umbrella: Profile
) -> None:
    opened = services.open_case(**payload(umbrella, SATURDAY))
    assert opened.portal_unstaffed is not None
    assert (
        opened.portal_unstaffed.describe()
        == "Mon-Fri 08:00-17:00 America/New_York, public holidays of US"
    )
    # The 10-minute response counts 24x7 from submission: Saturday 10:10 EST.
    assert response_due(opened) == datetime(2026, 11, 28, 15, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "overrides", "due"),
    [
        # Severity 2 waits for business hours: 1 BH from Monday 30 08:00 EST -> 09:00 EST.
        (SATURDAY, {"severity": 2}, datetime(2026, 11, 30, 14, tzinfo=UTC)),
        # By phone: already where Severity 1 goes at any hour.
        (SATURDAY, {"channel": "phone"}, datetime(2026, 11, 28, 15, 10, tzinfo=UTC)),
        # Monday 30 10:00 EST: the portal is staffed.
        (ny(11, 30, 10), {}, datetime(2026, 11, 30, 15, 10, tzinfo=UTC)),
    ],
)
def test_nothing_more_to_do_in_portal_hours_by_phone_or_below_severity_1(
    world: World, umbrella: Profile, at: datetime, overrides: dict[str, Any], due: datetime
) -> None:
    opened = services.open_case(**payload(umbrella, at, **overrides))
    assert opened.portal_unstaffed is None
    assert response_due(opened) == due


def test_the_customer_care_portal_is_staffed_24x7x365(world: World) -> None:
    # Kenji (PureCloud Customer Care, Tokyo): Saturday 10:00 New York is Sunday 00:00 JST.
    opened = services.open_case(
        **customer_case_payload(
            world,
            SATURDAY,
            severity=1,
            critical_contact_name="Kenji Sato",
            critical_contact_phone="+81 3-1234-5678",
        )
    )
    assert opened.portal_unstaffed is None


def test_the_api_answer_tells_the_opener_to_phone_care(
    world: World, umbrella: Profile, clock: Clock
) -> None:
    clock.set(SATURDAY)
    token = services_token(umbrella)
    body = {
        "severity": 1,
        "channel": "api",
        "subject": "No calls reach the agents",
        "description": "Every inbound call fails.",
        "intake": dict(PURECLOUD_INTAKE, org_short_name="umbrella"),
        "critical_contact_name": "Uma",
        "critical_contact_phone": "+1 212 555 0100",
    }
    status, case = Api(token).post("/cases", body)
    assert status == 201
    assert case["portal_hours_notice"] == NOTICE
    (response,) = [c for c in case["clocks"] if c["metric"] == "response"]
    assert response["due"] == "2026-11-28T15:10:00Z"
    # Severity 2: no such notice (its response waits for Monday, as business hours do).
    status, case = Api(token).post("/cases", {**body, "severity": 2, "subject": "Slow reports"})
    assert (status, case["portal_hours_notice"]) == (201, None)
    _, read = Api(token).get(f"/cases/{case['id']}")
    assert "portal_hours_notice" not in read  # told once, in the answer that opened it


def test_the_api_answer_is_in_the_openers_language(
    world: World, umbrella: Profile, clock: Clock
) -> None:
    speaks(umbrella, "ja")
    clock.set(SATURDAY)
    body = {
        "severity": 1,
        "subject": "No calls reach the agents",
        "description": "Every inbound call fails.",
        "intake": dict(PURECLOUD_INTAKE, org_short_name="umbrella"),
        "critical_contact_name": "Uma",
        "critical_contact_phone": "+1 212 555 0100",
    }
    status, case = Api(services_token(umbrella)).post("/cases", body)
    assert status == 201
    assert case["portal_hours_notice"] == (
        "Care が Web ポータルで対応する時間は Mon-Fri 08:00-17:00 America/New_York、US の祝日"
        " です。この重大度 1 のケースは時間外に届いたため、エンジニアがすぐに対応"
        "できるよう Care にもお電話ください (重大度 1 は電話サポートが常時受け付けます)。"
    )


def test_the_case_page_tells_the_opener_until_care_responds(
    world: World, umbrella: Profile, clock: Clock
) -> None:
    client = signed_in_client(umbrella)
    clock.set(SATURDAY)
    form = {
        "case_type": "incident",
        "severity": "1",
        "priority": "1",
        "subject": "No calls reach the agents",
        "description": "Every inbound call fails.",
        "critical_contact_name": "Uma",
        "critical_contact_phone": "+1 212 555 0100",
        **{f"intake_{k}": v for k, v in PURECLOUD_INTAKE.items()},
    }
    response = client.post("/cases/new", form, follow=True)
    page = response.content.decode()
    assert NOTICE in page
    case = response.context["case"]
    # Care answers at 10:04 EST: the opener has nothing more to do.
    clock.set(SATURDAY + timedelta(minutes=4))
    services.add_comment(actor=world.engineer.user, case_id=case.id, body="On it.", now=clock.now())
    assert NOTICE not in client.get(f"/cases/{case.id}").content.decode()
