"""Only designated contacts open and update cases (SPEC 3; seed 004 section 4.1: each
Designated Contact will "open and update cases"). A contact of the organisation who has not
completed the roles-and-responsibilities training reads its cases but changes nothing: every
update of a case and the organisation's webhooks answer 403 with one sentence, and nothing
is written. Care is unaffected.

The frozen clock reads Monday 2026-11-23 10:00 New York (15:00 UTC).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Profile
from caredesk.automation.models import Outbox, Timer, WebhookSubscription
from caredesk.automation.services import subscribe
from caredesk.cases import services
from caredesk.cases.models import Case, CaseEvent, CaseLink, SeverityRequest
from caredesk.conftest import START
from caredesk.testing import World, open_reseller_case, person, signed_in_client

NORA = "nora@acme.example"  # a contact of the reseller who has not done the training
NOT_DESIGNATED = (
    rf"^{NORA} is not a designated contact; only designated contacts \(who completed the "
    r"roles-and-responsibilities training\) may {}$"
)


@dataclass
class Scene:
    """A Severity 2 reseller case Care has marked restored (its post-mortem is due), a
    second case to link it to, and a webhook of the reseller."""

    world: World
    nora: Profile
    case: Case
    other: Case
    hook: WebhookSubscription


@pytest.fixture
def scene(world: World) -> Scene:
    nora = person(START, world.reseller, NORA, designated=False)
    case = open_reseller_case(world, START)
    other = open_reseller_case(world, START, subject="Reports show no data for yesterday")
    services.change_status(actor=world.engineer.user, case_id=case.id, status="restored", now=START)
    hook, _ = subscribe(
        actor=world.engineer.user,
        organisation_id=world.reseller.id,
        url="https://hooks.acme.example/caredesk",
        event_types=[],
        now=START,
    )
    return Scene(world, nora, case, other, hook)


def call(profile: Profile, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    token = accounts.issue_token(user=profile.user, now=START)
    headers = {"Authorization": f"Bearer {token}"}
    client = Client()
    if method == "get":
        response = client.get(f"/api{path}", headers=headers)
    else:
        send = client.post if method == "post" else client.delete
        response = send(
            f"/api{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )
    return response.status_code, response.json() if response.content else None


def written() -> dict[str, Any]:
    """Everything an update could write: history, requests, links, the outbox, timers,
    the webhooks and the cases' own columns."""
    return {
        "events": list(CaseEvent.objects.order_by("id").values_list("id", flat=True)),
        "severity_requests": SeverityRequest.objects.count(),
        "links": CaseLink.objects.count(),
        "outbox": sorted(Outbox.objects.values_list("id", "state")),
        "timers": Timer.objects.count(),
        "webhooks": sorted(WebhookSubscription.objects.values_list("id", "url", "active")),
        "cases": sorted(Case.objects.values_list("id", "status", "severity", "updated_at")),
    }


# (name, method, path, body, what the refusal says the contact may not do); paths are
# filled with the scene's case, other case, organisation and webhook.
Update = tuple[str, str, Callable[[Scene], str], Callable[[Scene], Any], str]
UPDATES: list[Update] = [
    (
        "comment",
        "post",
        lambda s: f"/cases/{s.case.id}/comments",
        lambda s: {"body": "Agents still get the error."},
        "update cases",
    ),
    (
        "status",
        "post",
        lambda s: f"/cases/{s.case.id}/status",
        lambda s: {"status": "closed", "reason": "works again"},
        "update cases",
    ),
    (
        "severity-request",
        "post",
        lambda s: f"/cases/{s.case.id}/severity-requests",
        lambda s: {"severity": 3, "reason": "only one team is affected now"},
        "update cases",
    ),
    (
        "escalation",
        "post",
        lambda s: f"/cases/{s.case.id}/escalations",
        lambda s: {"description": "No progress.", "business_impact": "Sales stopped."},
        "update cases",
    ),
    (
        "link",
        "post",
        lambda s: f"/cases/{s.case.id}/links",
        lambda s: {"case_number": s.other.number, "kind": "related"},
        "update cases",
    ),
    (
        "incident-report-request",
        "post",
        lambda s: f"/cases/{s.case.id}/incident-report-requests",
        lambda s: {"text": "Please send us the Incident Report."},
        "update cases",
    ),
    (
        "webhooks-list",
        "get",
        lambda s: f"/organisations/{s.world.reseller.id}/webhooks",
        lambda s: None,
        "manage the organisation's webhooks",
    ),
    (
        "webhook-create",
        "post",
        lambda s: f"/organisations/{s.world.reseller.id}/webhooks",
        lambda s: {"url": "https://nora.example/hook", "event_types": []},
        "manage the organisation's webhooks",
    ),
    (
        "webhook-delete",
        "delete",
        lambda s: f"/organisations/{s.world.reseller.id}/webhooks/{s.hook.id}",
        lambda s: None,
        "manage the organisation's webhooks",
    ),
]
UPDATE_PARAMS = [pytest.param(*update[1:], id=update[0]) for update in UPDATES]


@pytest.mark.parametrize(("method", "path", "body", "may_not"), UPDATE_PARAMS)
def test_a_contact_who_is_not_designated_updates_nothing(
    scene: Scene,
    method: str,
    path: Callable[[Scene], str],
    body: Callable[[Scene], Any],
    may_not: str,
) -> None:
    before = written()
    status, answer = call(scene.nora, method, path(scene), body(scene))
    assert status == 403, answer
    assert re.match(NOT_DESIGNATED.format(may_not), answer["detail"]), answer
    assert written() == before


@pytest.mark.parametrize(("method", "path", "body", "may_not"), UPDATE_PARAMS)
def test_a_designated_contact_of_the_same_organisation_may(
    scene: Scene,
    method: str,
    path: Callable[[Scene], str],
    body: Callable[[Scene], Any],
    may_not: str,
) -> None:
    # The same request from Rita, a designated contact of the reseller, goes through: the
    # refusal above is the rule of who, not of what.
    status, answer = call(scene.world.reseller_contacts[0], method, path(scene), body(scene))
    assert status in (200, 201, 204), answer


def test_a_contact_who_is_not_designated_still_reads_the_cases(scene: Scene) -> None:
    # Reading is not updating: every person of the organisation follows its cases.
    for path in (
        f"/cases/{scene.case.id}",
        f"/cases/{scene.case.id}/events",
        f"/cases/{scene.case.id}/sla",
        "/cases",
    ):
        status, answer = call(scene.nora, "get", path)
        assert status == 200, (path, answer)


def test_care_updates_whoever_opened_the_case(scene: Scene) -> None:
    engineer = scene.world.engineer
    status, _ = call(engineer, "post", f"/cases/{scene.case.id}/comments", {"body": "On it."})
    assert status == 201
    status, hooks = call(engineer, "get", f"/organisations/{scene.world.reseller.id}/webhooks")
    assert (status, [h["id"] for h in hooks]) == (200, [scene.hook.id])


def test_the_case_page_refuses_a_comment_from_a_contact_who_is_not_designated(
    scene: Scene,
) -> None:
    client = signed_in_client(scene.nora)
    page = client.get(f"/cases/{scene.case.id}")
    assert page.status_code == 200
    text = page.content.decode()
    assert scene.case.number in text
    assert 'name="body"' not in text  # no comment form: Nora may not comment
    assert "Only designated contacts update cases" in text
    before = written()
    response = client.post(f"/cases/{scene.case.id}", {"body": "Agents still get the error."})
    assert response.status_code == 403
    assert f"{NORA} is not a designated contact" in response.content.decode()
    assert written() == before


def test_a_contact_who_is_not_designated_cannot_accept_a_proposed_resolution(
    scene: Scene,
) -> None:
    # Accepting closes the case: an update like any other, refused before it is looked at.
    services.change_status(
        actor=scene.world.engineer.user,
        case_id=scene.case.id,
        status="resolution-proposed",
        reason="The certificate was renewed.",
        now=START,
    )
    before = written()
    status, answer = call(scene.nora, "post", f"/cases/{scene.case.id}/accept", {})
    assert status == 403, answer
    assert re.match(NOT_DESIGNATED.format("update cases"), answer["detail"]), answer
    assert written() == before
    status, answer = call(
        scene.world.reseller_contacts[0], "post", f"/cases/{scene.case.id}/accept", {}
    )
    assert status == 200, answer
    assert Case.objects.get(id=scene.case.id).status == "closed"
