"""Platform incidents: Care declares them and posts their timeline in English and Japanese;
customers read those on their subscribed services; a linked case counts restoration from
the incident's start (SPEC 1.2); resolving can restore linked cases; the post-mortem and
Incident Report are held for the incident.

The frozen clock reads Monday 23 November 2026 15:00 UTC (10:00 New York, Tue 00:00
Tokyo). Initech (Tokyo, PureCloud Customer Care, Standard) takes PureCloud: Severity 1
restoration 4 h in clock time, counted from a platform incident's start; Globex (reseller's
end user) takes Premier Edition.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from caredesk.automation.models import Outbox
from caredesk.cases import services as cases
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied
from caredesk.status import services
from caredesk.status.models import Incident, IncidentCase, IncidentUpdate
from caredesk.status.tests.conftest import Api
from caredesk.testing import World, mails, open_customer_case, open_reseller_case, speaks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Tue 00:00 Tokyo
STARTED = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Mon 23:00 Tokyo

INCIDENT = {
    "title_en": "Calls fail to connect",
    "title_ja": "通話が接続できません",
    "impact": "outage",
    "services": ["purecloud"],
    "started_at": "2026-11-23T14:00:00Z",
    "text_en": "We are investigating failed calls.",
    "text_ja": "通話の失敗を調査しています。",
}


def post(api: Api, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    response = api.client.post(
        f"/api{path}", json.dumps(body or {}), content_type="application/json", headers=api.headers
    )
    return response.status_code, response.json()


@pytest.fixture
def subscribed(world: World, apis: dict[str, Api]) -> None:
    apis["engineer"].put(
        f"/organisations/{world.customer.id}/services", {"services": ["purecloud"]}
    )
    apis["engineer"].put(
        f"/organisations/{world.account.id}/services", {"services": ["premier-edition"]}
    )


def declare(world: World, **overrides: Any) -> Incident:
    fields: dict[str, Any] = {**INCIDENT, "started_at": STARTED, **overrides}
    return services.declare_incident(actor=world.engineer.user, now=NOW, **fields)


def sev1_case(world: World) -> Case:
    return open_customer_case(
        world,
        NOW,
        severity=1,
        critical_contact_name="Kenji",
        critical_contact_phone="+81 3 1234 5678",
    )


def test_care_declares_and_updates_an_incident_read_by_the_subscribed(
    world: World, apis: dict[str, Api], subscribed: None
) -> None:
    status, body = post(apis["engineer"], "/incidents", INCIDENT)
    assert status == 201, body
    assert (body["stage"], body["impact"], body["services"]) == (
        "investigating",
        "outage",
        ["purecloud"],
    )
    assert body["updates"][0]["text"] == {
        "en": "We are investigating failed calls.",
        "ja": "通話の失敗を調査しています。",
    }
    update = {"stage": "identified", "text_en": "A router failed.", "text_ja": "ルーター障害。"}
    status, body = post(apis["engineer"], f"/incidents/{body['id']}/updates", update)
    assert status == 201, body
    assert [u["stage"] for u in body["updates"]] == ["identified", "investigating"]
    # Initech takes PureCloud and reads it; Globex (Premier Edition) does not.
    status, listed = apis["customer"].get("/incidents")
    assert (status, [i["id"] for i in listed]) == (200, [body["id"]])
    status, listed = apis["account"].get("/incidents")
    assert (status, listed) == (200, [])
    status, missing = apis["account"].get(f"/incidents/{body['id']}")
    assert status == 404, missing


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"impact": "catastrophic"}, "impact", "unknown impact 'catastrophic'"),
        ({"services": ["telex"]}, "services", "unknown service 'telex'"),
        ({"services": []}, "services", "no service named"),
        ({"title_ja": " "}, "title", "the title in Japanese is empty"),
        ({"text_en": ""}, "text", "the text in English is empty"),
        ({"stage": "resolved"}, "stage", "cannot start resolved"),
        ({"started_at": "2026-11-23T16:00:00Z"}, "started_at", "is in the future"),
    ],
)
def test_a_bad_incident_is_refused_and_nothing_written(
    world: World, apis: dict[str, Api], change: dict[str, Any], field: str, words: str
) -> None:
    status, body = post(apis["engineer"], "/incidents", {**INCIDENT, **change})
    assert status == 422, body
    assert words in body["detail"]
    assert body["errors"][0]["field"] == field
    assert Incident.objects.count() == IncidentUpdate.objects.count() == 0


def test_only_care_declares_incidents(world: World, apis: dict[str, Api]) -> None:
    status, body = post(apis["customer"], "/incidents", INCIDENT)
    assert (status, body["detail"]) == (403, "only Care may do this")
    assert Incident.objects.count() == 0


def test_a_linked_case_counts_restoration_from_the_incident_start(
    world: World, apis: dict[str, Api]
) -> None:
    case = sev1_case(world)
    before = case.clocks.get(metric="restoration")
    # Opened 15:00 UTC: 4 h of restoration runs to 19:00 UTC (Tue 04:00 Tokyo).
    assert before.due_at == datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    incident = declare(world)
    services.link_case(actor=world.engineer.user, incident_id=incident.id, case_id=case.id, now=NOW)
    after = case.clocks.get(metric="restoration")
    # From the incident's start, 14:00 UTC: due 18:00 UTC (Tue 03:00 Tokyo).
    assert (after.started_at, after.due_at) == (STARTED, datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
    event = case.events.get(kind=EventKind.INCIDENT_LINKED)
    assert event.data == {
        "started_at": "2026-11-23T14:00:00+00:00",
        "incident": str(incident.id),
        "title": "Calls fail to connect",
    }
    # The explanation says why, in the reader's language.
    status, answer = apis["engineer"].get(f"/cases/{case.id}/sla")
    assert status == 200, answer
    assert "Linked to a platform incident that started earlier" in json.dumps(answer)


def test_linking_twice_or_a_closed_case_is_refused_and_nothing_written(world: World) -> None:
    case = sev1_case(world)
    incident = declare(world)
    services.link_case(actor=world.engineer.user, incident_id=incident.id, case_id=case.id, now=NOW)
    events = CaseEvent.objects.count()
    with pytest.raises(Conflict, match=r"already linked to a platform incident"):
        services.link_case(
            actor=world.engineer.user, incident_id=incident.id, case_id=case.id, now=NOW
        )
    with pytest.raises(DomainError, match=r"incident 999 not found"):
        services.link_case(actor=world.engineer.user, incident_id=999, case_id=case.id, now=NOW)
    with pytest.raises(PermissionDenied):
        services.link_case(
            actor=world.customer_contact.user, incident_id=incident.id, case_id=case.id, now=NOW
        )
    assert (CaseEvent.objects.count(), IncidentCase.objects.count()) == (events, 1)


def test_resolving_with_restore_linked_restores_each_waiting_case(world: World) -> None:
    case = sev1_case(world)
    incident = declare(world)
    services.link_case(actor=world.engineer.user, incident_id=incident.id, case_id=case.id, now=NOW)
    later = NOW + timedelta(hours=1)
    services.post_update(
        actor=world.engineer.user,
        incident_id=incident.id,
        stage="resolved",
        text_en="Calls connect again.",
        text_ja="通話は再び接続できます。",
        restore_linked=True,
        now=later,
    )
    case.refresh_from_db()
    incident.refresh_from_db()
    assert (case.status, incident.stage, incident.resolved_at) == ("restored", "resolved", later)
    moved = case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert moved is not None
    assert (moved.data["to"], moved.reason) == (
        "restored",
        "Calls fail to connect: Calls connect again.",
    )
    assert case.clocks.get(metric="restoration").stopped_at == later


def test_a_resolved_incident_takes_no_update_and_restore_needs_resolved(world: World) -> None:
    incident = declare(world)
    with pytest.raises(DomainError, match=r"not at stage 'monitoring'; expected stage 'resolved'"):
        services.post_update(
            actor=world.engineer.user,
            incident_id=incident.id,
            stage="monitoring",
            text_en="Watching.",
            text_ja="監視中。",
            restore_linked=True,
            now=NOW,
        )
    services.post_update(
        actor=world.engineer.user,
        incident_id=incident.id,
        stage="resolved",
        text_en="Fixed.",
        text_ja="解決。",
        now=NOW,
    )
    with pytest.raises(Conflict, match=r"is resolved; its timeline is closed"):
        services.post_update(
            actor=world.engineer.user,
            incident_id=incident.id,
            stage="monitoring",
            text_en="Again.",
            text_ja="再び。",
            now=NOW,
        )
    assert IncidentUpdate.objects.filter(incident=incident).count() == 2


def test_the_post_mortem_and_report_are_held_for_the_incident_on_each_case(
    world: World,
) -> None:
    # Rita's Severity 2 case on PureEngage Cloud (reseller policy: a post-mortem within
    # 5 BD of Service Resolution, the Incident Report on written request).
    case = open_reseller_case(world, NOW)
    incident = declare(world, services=["pureengage-cloud"])
    care = world.engineer.user
    services.link_case(actor=care, incident_id=incident.id, case_id=case.id, now=NOW)
    with pytest.raises(Conflict, match=r"no case linked to incident \d+ has a post-mortem due"):
        services.record_post_mortem(actor=care, incident_id=incident.id, now=NOW)
    later = NOW + timedelta(hours=1)
    services.post_update(
        actor=care,
        incident_id=incident.id,
        stage="resolved",
        text_en="Fixed.",
        text_ja="解決。",
        restore_linked=True,
        now=later,
    )
    assert case.events.filter(kind=EventKind.POST_MORTEM_DUE).exists()
    services.record_post_mortem(actor=care, incident_id=incident.id, now=later)
    with pytest.raises(Conflict, match=r"has an Incident Report due"):
        services.deliver_incident_report(actor=care, incident_id=incident.id, now=later)
    cases.request_incident_report(
        actor=world.reseller_contacts[0].user, case_id=case.id, text="Please send it.", now=later
    )
    services.deliver_incident_report(actor=care, incident_id=incident.id, now=later)
    incident.refresh_from_db()
    assert (incident.post_mortem_held_at, incident.report_delivered_at) == (later, later)
    assert [
        case.events.filter(kind=k).count()
        for k in (EventKind.POST_MORTEM_HELD, EventKind.INCIDENT_REPORT_DELIVERED)
    ] == [1, 1]


def test_each_update_is_mailed_to_the_subscribed_in_their_language(
    world: World, subscribed: None
) -> None:
    speaks(world.customer_contact, "ja")
    incident = declare(world)
    services.post_update(
        actor=world.engineer.user,
        incident_id=incident.id,
        stage="resolved",
        text_en="Calls connect again.",
        text_ja="通話は再び接続できます。",
        now=NOW + timedelta(hours=1),
    )
    # Initech takes PureCloud: Kenji (Japanese, Tokyo) gets both updates; nobody of
    # Globex or its reseller (Premier Edition), nor Care.
    told = Outbox.objects.filter(event="incident-updated")
    assert {o.payload["to"] for o in told} == {"kenji@initech.example", "new@initech.example"}
    (first, resolved) = mails(world.customer_contact, "incident-updated")
    assert first[0] == "調査中: 通話が接続できません (PureCloud)"
    # Started 14:00 UTC: Mon 23:00 in Tokyo.
    assert "月 2026-11-23 23:00 (Asia/Tokyo)" in first[1]
    assert "通話の失敗を調査しています。" in first[1]
    assert resolved[0] == "解決済み: 通話が接続できません (PureCloud)"
    assert "通話は再び接続できます。" in resolved[1]
