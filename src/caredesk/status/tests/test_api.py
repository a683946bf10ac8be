"""Services, their planned maintenance and an organisation's subscriptions over the API.

Instants are hand-worked: 3 March 2026 is a Tuesday; New York is on EST (UTC-5) until
Sunday 8 March. The world's Globex is in London, Initech in Tokyo.
"""

from __future__ import annotations

from typing import Any

import pytest

from caredesk.status.models import Subscription
from caredesk.status.tests.conftest import Api
from caredesk.testing import World


def test_the_catalogue(apis: dict[str, Api]) -> None:
    status, body = apis["account"].get("/services")
    assert status == 200
    assert [s["id"] for s in body] == [
        "pureengage-cloud",
        "premier-edition",
        "outbound-engagement",
        "social-analytics",
        "purecloud",
    ]
    premier = body[1]
    assert premier["name"]["ja"] == "Premier Edition (セルフサービスを含む)"
    assert premier["maintenance"] == {
        "zone": "America/New_York",
        "local_time": False,
        "windows": {d: ["22:00-05:00"] for d in ("tue", "wed", "thu")},
        "text": "Tue-Thu 22:00-05:00 America/New_York",
    }
    assert body[0]["maintenance"]["local_time"] is True
    assert body[4]["maintenance"] is None


def test_maintenance_at(apis: dict[str, Api]) -> None:
    # Tue 3 Mar 2026 22:30 EST, inside Premier's Tuesday window.
    status, body = apis["account"].get(
        "/services/premier-edition/maintenance", at="2026-03-03T22:30:00-05:00"
    )
    assert (status, body) == (
        200,
        {
            "service": "premier-edition",
            "at": "2026-03-04T03:30:00Z",
            "in_maintenance": True,
            "window": {"start": "2026-03-04T03:00:00Z", "end": "2026-03-04T10:00:00Z"},
        },
    )
    # Wed 4 Mar 05:00 EST: just over.
    status, body = apis["account"].get(
        "/services/premier-edition/maintenance", at="2026-03-04T10:00:00Z"
    )
    assert (body["in_maintenance"], body["window"]) == (False, None)


def test_a_local_time_service_in_an_organisations_zone(world: World, apis: dict[str, Api]) -> None:
    # 2026-03-09T16:00Z is Tue 10 Mar 01:00 in Tokyo and Mon 9 Mar 16:00 in London.
    at = "2026-03-09T16:00:00Z"
    path = "/services/pureengage-cloud/maintenance"
    _, tokyo = apis["engineer"].get(path, at=at, org=world.customer.id)
    _, london = apis["engineer"].get(path, at=at, org=world.account.id)
    assert tokyo["window"] == {"start": "2026-03-09T15:00:00Z", "end": "2026-03-09T21:00:00Z"}
    assert london["in_maintenance"] is False
    _, by_zone = apis["engineer"].get(path, at=at, tz="Asia/Tokyo")
    assert by_zone == tokyo


def test_windows(apis: dict[str, Api]) -> None:
    # Outbound Engagement around the March change: Sun 8 Mar 00:00 EST to 05:00 EDT.
    status, body = apis["account"].get(
        "/services/outbound-engagement/windows",
        **{"from": "2026-03-07T00:00:00Z", "to": "2026-03-09T00:00:00Z"},
    )
    assert (status, body) == (
        200,
        [
            {
                "start": "2026-03-08T05:00:00Z",
                "end": "2026-03-08T09:00:00Z",
                "start_local": "2026-03-08T00:00:00-05:00",
                "end_local": "2026-03-08T05:00:00-04:00",
            }
        ],
    )
    # The same window, shown to a viewer in Tokyo.
    _, body = apis["account"].get(
        "/services/outbound-engagement/windows",
        **{"from": "2026-03-07T00:00:00Z", "to": "2026-03-09T00:00:00Z", "tz": "Asia/Tokyo"},
    )
    assert body[0]["start_local"] == "2026-03-08T14:00:00+09:00"


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (
            "/services/pureengage-cloud/maintenance",
            {"at": "2026-03-03T00:00:00Z"},
            "service 'pureengage-cloud' has its maintenance windows in the customer's local time",
        ),
        ("/services/premier-edition/maintenance", {"at": "2026-03-03T00:00:00"}, "timezone"),
        ("/services/premier-edition/maintenance", {"at": "tuesday"}, "at:"),
        ("/services/premier-edition/maintenance", {}, "at: Field required"),
        (
            "/services/premier-edition/maintenance",
            {"at": "2026-03-03T00:00:00Z", "tz": "Tokio"},
            "unknown time zone 'Tokio'",
        ),
        (
            "/services/premier-edition/maintenance",
            {"at": "2026-03-03T00:00:00Z", "tz": "UTC", "org": 1},
            "give either tz or org, not both",
        ),
        (
            "/services/premier-edition/windows",
            {"from": "2026-03-09T00:00:00Z", "to": "2026-03-02T00:00:00Z"},
            "the end 2026-03-02T00:00:00+00:00 is before the start 2026-03-09T00:00:00+00:00",
        ),
        ("/services/premier-edition/windows", {"from": "2026-03-09T00:00:00Z"}, "to: Field"),
    ],
)
def test_bad_input_is_422(
    apis: dict[str, Api], path: str, params: dict[str, Any], message: str
) -> None:
    status, body = apis["account"].get(path, **params)
    assert status == 422, body
    assert message in body["detail"]


def test_an_unknown_service_is_404(apis: dict[str, Api]) -> None:
    status, body = apis["account"].get("/services/genesys/maintenance", at="2026-03-03T00:00Z")
    assert status == 404
    assert body["detail"].startswith("unknown service 'genesys'; expected one of: ")


def test_an_organisation_out_of_scope_is_not_found(world: World, apis: dict[str, Api]) -> None:
    status, body = apis["account"].get(
        "/services/pureengage-cloud/maintenance", at="2026-03-03T00:00Z", org=world.customer.id
    )
    assert (status, body["detail"]) == (404, f"organisation {world.customer.id} not found")


# -- an organisation's services ------------------------------------------------------------


def test_care_sets_an_organisations_services(world: World, apis: dict[str, Api]) -> None:
    path = f"/organisations/{world.account.id}/services"
    status, body = apis["account"].get(path)
    assert (status, body["organisation_id"], body["services"]) == (200, world.account.id, [])
    status, body = apis["engineer"].put(path, {"services": ["premier-edition", "pureengage-cloud"]})
    assert status == 200, body
    # In catalogue order, whatever order they were given in.
    assert [s["id"] for s in body["services"]] == ["pureengage-cloud", "premier-edition"]
    _, seen = apis["account"].get(path)
    assert seen == body
    _, body = apis["engineer"].put(path, {"services": ["premier-edition"]})
    assert [s["id"] for s in body["services"]] == ["premier-edition"]
    assert Subscription.objects.filter(organisation=world.account).count() == 1


def test_only_care_sets_them(world: World, apis: dict[str, Api]) -> None:
    path = f"/organisations/{world.account.id}/services"
    status, body = apis["account"].put(path, {"services": ["premier-edition"]})
    assert (status, body["detail"]) == (403, "only Care may do this")
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"services": ["premier-edition", "genesys"]},
            "unknown service 'genesys'; expected services from: pureengage-cloud",
        ),
        ({"services": "premier-edition"}, "services: Input should be a valid list"),
        ({"services": [], "since": "now"}, "since: unknown field"),
    ],
)
def test_bad_services_are_refused_and_nothing_written(
    world: World, apis: dict[str, Api], payload: dict[str, Any], message: str
) -> None:
    path = f"/organisations/{world.account.id}/services"
    apis["engineer"].put(path, {"services": ["outbound-engagement"]})
    status, body = apis["engineer"].put(path, payload)
    assert status == 422
    assert message in body["detail"]
    assert list(Subscription.objects.values_list("service_id", flat=True)) == [
        "outbound-engagement"
    ]
