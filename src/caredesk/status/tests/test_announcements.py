"""Unplanned maintenance (with the policy's notice) and emergency suspensions (at once), told
to the subscribed organisations in their language (seed 004 section 3).

The frozen clock reads Monday 23 November 2026 10:00 New York (15:00 UTC); the reseller
policy's notice of 48 hours runs to Wednesday 25 November 15:00 UTC. Globex (London) is the
reseller's end user and takes Premier Edition; Initech (Tokyo) takes PureCloud, whose
policies promise no notice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]
from django.test import Client

from caredesk.automation.models import Outbox
from caredesk.status.models import MaintenanceWindow
from caredesk.status.tests.conftest import Api
from caredesk.testing import World, speaks

UNPLANNED = {
    "kind": "unplanned",
    "services": ["premier-edition"],
    "start": "2026-11-26T03:00:00Z",  # Thu 26 Nov 03:00 London
    "end": "2026-11-26T06:00:00Z",
    "summary": "Database failover test.",
}


@pytest.fixture
def subscribed(world: World, apis: dict[str, Api]) -> None:
    apis["engineer"].put(
        f"/organisations/{world.account.id}/services", {"services": ["premier-edition"]}
    )
    apis["engineer"].put(
        f"/organisations/{world.customer.id}/services", {"services": ["purecloud"]}
    )


def post(api: Api, body: dict[str, Any]) -> tuple[int, Any]:
    response = api.client.post(
        "/api/maintenance", body, content_type="application/json", headers=api.headers
    )
    return response.status_code, response.json()


def told() -> dict[str, dict[str, Any]]:
    return {
        o.payload["to"]: o.payload for o in Outbox.objects.filter(event="maintenance-announced")
    }


def test_unplanned_maintenance_is_told_to_the_subscribed_organisations(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    speaks(world.account_contact, "ja")
    status, body = post(apis["engineer"], UNPLANNED)
    assert status == 201, body
    assert (body["kind"], body["services"], body["end"]) == (
        "unplanned",
        ["premier-edition"],
        "2026-11-26T06:00:00Z",
    )
    mails = told()
    # Globex's contact and its reseller's; not Initech's, nor Care.
    assert set(mails) == {"gina@globex.example", "rita@acme.example", "ravi@acme.example"}
    gina = mails["gina@globex.example"]
    assert gina["subject"].startswith("計画外メンテナンス: ")
    assert "Database failover test." in gina["body"]
    rita = mails["rita@acme.example"]  # New York, English
    assert rita["subject"] == (
        "Unplanned maintenance: Premier Edition (including Self-Service) from "
        "Wed 2026-11-25 22:00 (America/New_York)"
    )
    assert "until Thu 2026-11-26 01:00 (America/New_York)" in rita["body"]
    status, listed = apis["account"].get("/maintenance", service="premier-edition")
    assert (status, [a["id"] for a in listed]) == (200, [body["id"]])


def test_less_notice_than_the_policy_promises_is_refused(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    status, body = post(apis["engineer"], {**UNPLANNED, "start": "2026-11-24T15:00:00Z"})
    assert status == 422
    assert body["detail"] == (
        "unplanned maintenance of premier-edition starting 2026-11-24T15:00:00+00:00 gives less "
        "notice than its policy promises; start at or after 2026-11-25T15:00:00+00:00, or "
        "announce an emergency suspension"
    )
    assert not MaintenanceWindow.objects.exists()
    assert not told()
    # Exactly 48 hours ahead is enough.
    status, _ = post(apis["engineer"], {**UNPLANNED, "start": "2026-11-25T15:00:00Z"})
    assert status == 201


def test_a_service_whose_policy_promises_no_notice(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    status, _ = post(
        apis["engineer"],
        {**UNPLANNED, "services": ["purecloud"], "start": "2026-11-23T16:00:00Z"},
    )
    assert status == 201
    assert set(told()) == {"kenji@initech.example", "new@initech.example"}


def test_an_emergency_suspension_starts_at_once(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    status, body = post(
        apis["manager"],
        {"kind": "emergency", "services": ["premier-edition"], "summary": "Attack mitigation."},
    )
    assert status == 201, body
    assert (body["start"], body["end"]) == ("2026-11-23T15:00:00Z", None)
    rita = told()["rita@acme.example"]
    assert rita["subject"] == "Emergency suspension: Premier Edition (including Self-Service)"
    assert rita["body"].startswith(
        "Care has suspended Premier Edition (including Self-Service) from "
        "Mon 2026-11-23 10:00 (America/New_York) until further notice"
    )


@pytest.mark.parametrize(
    ("who", "change", "expected", "message"),
    [
        ("account", {}, 403, "only Care may do this"),
        ("engineer", {"kind": "outage"}, 422, "unknown kind 'outage'; expected one of"),
        ("engineer", {"services": []}, 422, "no service named"),
        ("engineer", {"services": ["nothing"]}, 422, "unknown service 'nothing'"),
        ("engineer", {"end": "2026-11-26T02:00:00Z"}, 422, "is not after the start"),
        ("engineer", {"end": None}, 422, "unplanned maintenance needs its end"),
        ("engineer", {"start": None}, 422, "unplanned maintenance needs its start"),
        ("engineer", {"start": "2026-11-26T03:00:00"}, 422, "timezone"),
        ("engineer", {"summary": " "}, 422, "the summary is empty"),
        (
            "engineer",
            {"kind": "emergency", "start": "2026-11-23T14:00:00Z"},
            422,
            "start 2026-11-23T14:00:00+00:00 has passed",
        ),
    ],
)
def test_refusals_write_nothing(
    world: World,
    apis: dict[str, Api],
    subscribed: None,
    who: str,
    change: dict[str, Any],
    expected: int,
    message: str,
) -> None:
    status, body = post(apis[who], {**UNPLANNED, **change})
    assert status == expected, body
    assert message in body["detail"]
    assert not MaintenanceWindow.objects.exists()
    assert not told()


def test_announced_maintenance_is_in_the_calendar_feeds(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    post(apis["engineer"], UNPLANNED)
    post(apis["engineer"], {"kind": "emergency", "services": ["premier-edition"], "summary": "x"})
    _, services = apis["account"].get(f"/organisations/{world.account.id}/services")
    organisation_feed = Client().get(services["calendar_url"] + "&lang=ja").content
    assert "SUMMARY:計画外メンテナンス: Premier Edition".encode() in organisation_feed
    for text in (
        organisation_feed,
        Client().get("/api/services/premier-edition/maintenance.ics").content,
    ):
        calendar: Any = vobject.readOne(text.decode("utf-8"))
        announced = {
            str(e.uid.value): e for e in calendar.vevent_list if e.uid.value.startswith("announced")
        }
        assert len(announced) == 2
        unplanned, emergency = sorted(announced.values(), key=lambda e: e.dtstart.value)[::-1]
        # Thu 26 Nov 03:00-06:00 UTC; the suspension from Mon 23 Nov 15:00 UTC, no end.
        assert unplanned.dtstart.value.astimezone(UTC) == datetime(2026, 11, 26, 3, tzinfo=UTC)
        assert unplanned.dtend.value.astimezone(UTC) == datetime(2026, 11, 26, 6, tzinfo=UTC)
        assert emergency.dtstart.value.astimezone(UTC) == datetime(2026, 11, 23, 15, tzinfo=UTC)
        assert not hasattr(emergency, "dtend")
