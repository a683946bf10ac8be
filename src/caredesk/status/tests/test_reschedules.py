"""Reschedule requests for one occurrence of planned maintenance (seed 004 section 3).

The frozen clock reads Monday 23 November 2026 10:00 New York (15:00 UTC). Premier Edition's
next windows: Tue 24 Nov 22:00 EST (25 Nov 03:00 UTC), Wed 25 Nov and Thu 26 Nov 22:00, each
to 05:00 the next morning. Globex (London) is the reseller's end user; Initech is in Tokyo.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caredesk.automation.models import Outbox
from caredesk.status.models import Reschedule
from caredesk.status.tests.conftest import Api
from caredesk.testing import World, run_cli, speaks

TUESDAY = "2026-11-25T03:00:00Z"  # Tue 24 Nov 22:00 EST
SATURDAY = "2026-11-29T03:00:00Z"  # Sat 28 Nov 22:00 EST
REQUEST = {
    "service": "premier-edition",
    "occurrence_start": TUESDAY,
    "proposed_start": SATURDAY,
    "reason": "Black Friday campaign runs through Wednesday morning.",
}


@pytest.fixture
def subscribed(world: World, apis: dict[str, Api]) -> None:
    for org in (world.account, world.customer):
        status, _ = apis["engineer"].put(
            f"/organisations/{org.id}/services",
            {"services": ["premier-edition", "pureengage-cloud"]},
        )
        assert status == 200


def post(api: Api, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = api.client.post(
        f"/api{path}", body, content_type="application/json", headers=api.headers
    )
    return response.status_code, response.json()


def mails(event: str) -> list[dict[str, Any]]:
    return [o.payload for o in Outbox.objects.filter(event=event).order_by("id")]


def starts(api: Api, org_id: int) -> list[str]:
    _, body = api.get(
        "/services/premier-edition/windows",
        **{"from": "2026-11-24T00:00:00Z", "to": "2026-12-01T00:00:00Z", "org": str(org_id)},
    )
    return [w["start"] for w in body]


def test_an_accepted_reschedule_moves_the_occurrence_for_that_organisation_only(
    world: World, apis: dict[str, Api], subscribed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    speaks(world.manager, "ja")
    status, asked = post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    assert status == 201, asked
    assert (asked["state"], asked["occurrence_end"]) == ("requested", "2026-11-25T10:00:00Z")
    # Care's managers are told, each in their language (Max reads Japanese).
    (to_care,) = mails("maintenance-reschedule-requested")
    assert to_care["to"] == "max@care.example"
    assert (
        to_care["subject"]
        == "メンテナンス日程変更の依頼: Globex の Premier Edition (セルフサービスを含む)"
    )
    assert "Black Friday" in to_care["body"]

    status, decided = post(apis["engineer"], f"/reschedules/{asked['id']}/accept", {})
    assert status == 200, decided
    # Accepted at the proposed start, as long as the planned window (7 hours).
    assert (decided["state"], decided["new_start"], decided["new_end"]) == (
        "accepted",
        "2026-11-29T03:00:00Z",
        "2026-11-29T10:00:00Z",
    )
    (to_contact,) = mails("maintenance-reschedule-decided")
    assert to_contact["to"] == "gina@globex.example"
    assert to_contact["subject"] == (
        "Maintenance rescheduled: Premier Edition (including Self-Service) for Globex"
    )
    # Globex's calendar (in London): Tuesday's window is gone, Saturday's is there.
    assert "Sun 2026-11-29 03:00 (Europe/London)" in to_contact["body"]
    assert starts(apis["engineer"], world.account.id) == [
        "2026-11-26T03:00:00Z",
        "2026-11-27T03:00:00Z",
        SATURDAY,
    ]
    # Initech's is as planned.
    assert starts(apis["engineer"], world.customer.id)[0] == TUESDAY
    _, globex = apis["engineer"].get(
        "/services/premier-edition/maintenance", at="2026-11-25T04:00:00Z", org=world.account.id
    )
    assert globex["in_maintenance"] is False
    code, out, _ = run_cli(
        capsys,
        "maintenance",
        "at",
        "--service",
        "premier-edition",
        "--at",
        "2026-11-29T04:00Z",
        "--org",
        "globex",
        "--json",
    )
    assert code == 0
    assert '"window": {"start": "2026-11-29T03:00:00Z", "end": "2026-11-29T10:00:00Z"}' in out
    # And Globex's calendar feed.
    _, services = apis["account"].get(f"/organisations/{world.account.id}/services")
    feed = Client().get(services["calendar_url"]).content
    assert b"DTSTART;TZID=America/New_York:20261128T220000" in feed
    assert b"DTSTART;TZID=America/New_York:20261124T220000" not in feed


def test_care_accepts_at_another_time(world: World, apis: dict[str, Api], subscribed: None) -> None:
    _, asked = post(apis["reseller"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    status, decided = post(
        apis["engineer"],
        f"/reschedules/{asked['id']}/accept",
        {"new_start": "2026-11-28T23:00:00-05:00", "note": "Saturday 22:00 is taken."},
    )
    assert status == 200
    assert (decided["new_start"], decided["decision_reason"]) == (
        "2026-11-29T04:00:00Z",
        "Saturday 22:00 is taken.",
    )
    (mail,) = mails("maintenance-reschedule-decided")
    assert mail["to"] == "rita@acme.example"
    assert "Care's note: Saturday 22:00 is taken." in mail["body"]


def test_a_declined_reschedule_changes_nothing(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    _, asked = post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    status, decided = post(
        apis["engineer"], f"/reschedules/{asked['id']}/decline", {"reason": "A security fix."}
    )
    assert (status, decided["state"], decided["new_start"]) == (200, "declined", None)
    (mail,) = mails("maintenance-reschedule-decided")
    assert mail["subject"].startswith("Maintenance reschedule declined")
    assert mail["body"].endswith("Reason: A security fix.")
    assert starts(apis["engineer"], world.account.id)[0] == TUESDAY
    # Declined, the occurrence may be asked about again.
    status, _ = post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    assert status == 201


@pytest.mark.parametrize(
    ("who", "change", "expected", "message"),
    [
        ("untrained", {}, 403, "is not a designated contact"),
        ("account", {"service": "outbound-engagement"}, 422, "does not subscribe to service"),
        (
            "account",
            {"occurrence_start": "2026-11-25T04:00:00Z"},
            422,
            "no planned window of premier-edition starts at 2026-11-25T04:00:00+00:00; "
            "the next starts 2026-11-26T03:00:00+00:00",
        ),
        ("account", {"occurrence_start": "2026-11-20T03:00:00Z"}, 422, "has passed"),
        ("account", {"proposed_start": "2026-11-20T03:00:00Z"}, 422, "has passed"),
        ("account", {"reason": "  "}, 422, "the reason is empty"),
        ("account", {"occurrence_start": "2026-11-24T22:00:00"}, 422, "timezone"),
        ("account", {"proposed_start": TUESDAY}, 422, "the proposed start is the planned one"),
        ("account", {"service": "nothing"}, 404, "unknown service 'nothing'"),
    ],
)
def test_refused_requests_write_nothing(
    world: World,
    apis: dict[str, Api],
    subscribed: None,
    who: str,
    change: dict[str, str],
    expected: int,
    message: str,
) -> None:
    org = world.customer if who == "untrained" else world.account
    status, body = post(apis[who], f"/organisations/{org.id}/reschedules", {**REQUEST, **change})
    assert status == expected, body
    assert message in body["detail"]
    assert not Reschedule.objects.exists()
    assert not Outbox.objects.filter(event__startswith="maintenance-").exists()


def test_one_live_request_per_occurrence(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    status, body = post(apis["reseller"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    assert status == 409
    assert "already has a reschedule request" in body["detail"]
    assert Reschedule.objects.count() == 1


def test_only_care_decides_and_only_once(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    _, asked = post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    status, body = post(apis["account"], f"/reschedules/{asked['id']}/accept", {})
    assert (status, body["detail"]) == (403, "only Care may do this")
    status, body = post(apis["engineer"], f"/reschedules/{asked['id']}/decline", {"reason": ""})
    assert (status, body["detail"]) == (
        422,
        "a declined reschedule needs a reason for the requester",
    )
    assert Reschedule.objects.get().state == "requested"
    post(apis["engineer"], f"/reschedules/{asked['id']}/accept", {})
    status, body = post(apis["engineer"], f"/reschedules/{asked['id']}/decline", {"reason": "x"})
    assert (status, body["detail"]) == (409, f"reschedule {asked['id']} was already accepted")
    assert len(mails("maintenance-reschedule-decided")) == 1


def test_the_organisation_lists_its_requests(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    post(apis["account"], f"/organisations/{world.account.id}/reschedules", REQUEST)
    status, body = apis["reseller"].get(f"/organisations/{world.account.id}/reschedules")
    assert status == 200
    assert [(r["service"], r["requested_by"]) for r in body] == [
        ("premier-edition", "gina@globex.example")
    ]
    status, _ = apis["customer"].get(f"/organisations/{world.account.id}/reschedules")
    assert status == 404
